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

    /// Pairs layers whose names match (in order, as many as possible), and between those anchors
    /// pairs the rest by position.
    public static func align(_ a: Model, _ b: Model) -> [AlignedRow] {
        let n = a.layers.count, m = b.layers.count
        var anchors: [(Int, Int)] = []
        if n * m <= nameMatchLimit {
            // Longest common subsequence over names; unnamed layers never match by name.
            var dp = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    if let name = a.layers[i].name, name == b.layers[j].name {
                        dp[i][j] = dp[i + 1][j + 1] + 1
                    } else {
                        dp[i][j] = max(dp[i + 1][j], dp[i][j + 1])
                    }
                }
            }
            var i = 0, j = 0
            while i < n && j < m {
                if let name = a.layers[i].name, name == b.layers[j].name { anchors.append((i, j)); i += 1; j += 1 }
                else if dp[i + 1][j] >= dp[i][j + 1] { i += 1 } else { j += 1 }
            }
        }
        anchors.append((n, m))
        var rows: [AlignedRow] = []
        var i = 0, j = 0
        for (ai, bj) in anchors {
            // The gap before this anchor: pair by position, the longer side's rest alone.
            while i < ai || j < bj {
                rows.append(AlignedRow(a: i < ai ? i : nil, b: j < bj ? j : nil))
                if i < ai { i += 1 }
                if j < bj { j += 1 }
            }
            if ai < n {
                rows.append(AlignedRow(a: ai, b: bj))
                i = ai + 1
                j = bj + 1
            }
        }
        return rows
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
