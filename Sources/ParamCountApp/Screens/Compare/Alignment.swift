import ParamCountCore

/// One row of two models side by side: a layer of A, of B, or of both.
public struct AlignedRow: Equatable, Sendable {
    public var a: Int?
    public var b: Int?
}

public enum Alignment {
    /// Above this many pairs (two 500-layer models), matching by name would cost too much per
    /// keystroke: the alignment is worked out for every frame. Rows then pair by position alone.
    static let nameMatchLimit = 250_000

    /// Pairs layers whose names match (in order, as many as possible); between those anchors,
    /// layers of the same kind (a renamed dense beside a dense); the rest by position.
    public static func align(_ a: Model, _ b: Model) -> [AlignedRow] {
        align(a.layers.map { ($0.name, $0.kind) }, b.layers.map { ($0.name, $0.kind) })
    }

    /// The same over any two lists of (name, kind): the top level, or the rows of two layer trees
    /// named by their paths.
    public static func align(_ a: [(name: String?, kind: LayerKind)], _ b: [(name: String?, kind: LayerKind)]) -> [AlignedRow] {
        // Unnamed layers never match by name.
        var anchors = pairs(a.count, b.count) { i, j in a[i].name != nil && a[i].name == b[j].name }
        anchors.append((a.count, b.count))
        var rows: [AlignedRow] = []
        var i = 0, j = 0
        for (ai, bj) in anchors {
            // The gap before this anchor: same kinds first, then by position.
            var inner = pairs(ai - i, bj - j) { x, y in a[i + x].kind == b[j + y].kind }.map { ($0 + i, $1 + j) }
            inner.append((ai, bj))
            for (ki, kj) in inner {
                while i < ki || j < kj {
                    rows.append(AlignedRow(a: i < ki ? i : nil, b: j < kj ? j : nil))
                    if i < ki { i += 1 }
                    if j < kj { j += 1 }
                }
                if ki < ai {
                    rows.append(AlignedRow(a: ki, b: kj))
                    i = ki + 1
                    j = kj + 1
                }
            }
            if ai < a.count {
                rows.append(AlignedRow(a: ai, b: bj))
                i = ai + 1
                j = bj + 1
            }
        }
        return rows
    }

    /// The longest common subsequence of two index ranges under `same`, as pairs in order; none
    /// above `nameMatchLimit` pairs, where the work would show on every keystroke.
    static func pairs(_ n: Int, _ m: Int, _ same: (Int, Int) -> Bool) -> [(Int, Int)] {
        guard n > 0, m > 0, n * m <= nameMatchLimit else { return [] }
        var dp = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                dp[i][j] = same(i, j) ? dp[i + 1][j + 1] + 1 : max(dp[i + 1][j], dp[i][j + 1])
            }
        }
        var out: [(Int, Int)] = []
        var i = 0, j = 0
        while i < n && j < m {
            if same(i, j) && dp[i][j] == dp[i + 1][j + 1] + 1 { out.append((i, j)); i += 1; j += 1 }
            else if dp[i + 1][j] >= dp[i][j + 1] { i += 1 } else { j += 1 }
        }
        return out
    }
}

/// B − A for one figure, as the delta line and the count command show it.
public struct Delta: Equatable, Sendable {
    public let a: Int
    public let b: Int

    public init(_ a: Int, _ b: Int) {
        self.a = a
        self.b = b
    }

    /// Counts are never negative, so the difference always fits.
    public var difference: Int { b - a }

    /// "+18.4M", "−2.0K", "0".
    public var signedHuman: String { Format.signed(difference, human: true) }

    /// "+2.3G": a difference of operations (G for 10⁹, not B as for parameters).
    public var signedOperations: String {
        difference == 0 ? "0" : (difference > 0 ? "+" : "−") + Format.operations(abs(difference))
    }

    /// "×1.17"; "—" when A is zero.
    public var ratio: String {
        let r = Format.ratio(a, b)
        return r == Format.noRatio ? r : "×" + r
    }
}

/// Where things go when two models are side by side.
public struct CompareLayout: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Category rows in the breakdown (only those with parameters on either side).
    public let categories: Int

    public var sideWidth: Int { width / 2 }
    public var breakdownHeight: Int { min(2 + 2 + categories, max(5, height / 3)) }
    public var paneTop: Int { 1 }
    public var paneHeight: Int { height - 2 - breakdownHeight }
    /// Inside the border, less the side's totals line.
    public var listRows: Int { max(1, paneHeight - 3) }
    public var breakdownTop: Int { paneTop + paneHeight }
}
