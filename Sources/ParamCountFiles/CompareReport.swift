import ParamCountCore

/// Two models' counts and their difference B − A, for `paramcount count A B --compare`.
public struct CompareReport {
    public let a: Report
    public let b: Report

    public init(a: Report, b: Report) {
        self.a = a
        self.b = b
    }

    struct Line {
        var label: String
        var a: Int
        var b: Int
        /// A size in bytes (the weights at the chosen dtype), shown in KiB/MiB/GiB for people.
        var isBytes = false
        var diff: Int { b - a }
        var ratio: String { Format.ratio(a, b) }
        /// "×1.17", or the no-ratio mark alone.
        var times: String { ratio == Format.noRatio ? ratio : "×" + ratio }
        /// For CSV: a number, or nothing when there is none.
        var ratioField: String { ratio == Format.noRatio ? "" : ratio }
        // Plain ASCII minus: scripts parse this.
        var signed: String { Format.signed(diff, minus: "-") }
        var shownLabel: String {
            isBytes ? "weights (" + label.dropFirst("weights_bytes_".count) + ")" : label == "macs" ? "MACs" : label.replacingAll("_", "-")
        }
        func shown(_ n: Int) -> String { isBytes ? Format.bytes(Double(n)) : Format.grouped(n) }
        var shownDiff: String { isBytes ? (diff < 0 ? "-" : diff > 0 ? "+" : "") + Format.bytes(Double(abs(diff))) : signed }
    }

    /// The weights' size in whole bytes, held at Int's limit (9.2E parameters in fp32 do not fit).
    static func wholeBytes(_ r: Report) -> Int {
        let b = r.dtype.bytes(forParams: r.count.total)
        return b >= Double(Int.max / 2) ? Int.max / 2 : Int(b)
    }

    /// Either model routes tokens through some of its experts, so active parameters get a line.
    var routed: Bool { a.count.routed || b.count.routed }

    /// Both models have input shapes, so their multiply-accumulates get a line.
    var shaped: Bool { a.count.macs != nil && b.count.macs != nil }

    /// The lines before the breakdown by kind: total, trainable, non-trainable, the weights' size
    /// and, for routed models, active; for shaped ones, MACs.
    var headLines: Int { 4 + (routed ? 1 : 0) + (shaped ? 1 : 0) }

    var lines: [Line] {
        var out = [Line(label: "total", a: a.count.total, b: b.count.total),
                   Line(label: "trainable", a: a.count.trainable, b: b.count.trainable),
                   Line(label: "non_trainable", a: a.count.nonTrainable, b: b.count.nonTrainable),
                   Line(label: "weights_bytes_" + a.dtype.rawValue, a: Self.wholeBytes(a), b: Self.wholeBytes(b), isBytes: true)]
        if routed { out.append(Line(label: "active", a: a.count.active, b: b.count.active)) }
        if shaped, let ma = a.count.macs, let mb = b.count.macs { out.append(Line(label: "macs", a: ma, b: mb)) }
        for cat in Category.allCases where a.count.total(of: cat) > 0 || b.count.total(of: cat) > 0 {
            out.append(Line(label: cat.title, a: a.count.total(of: cat), b: b.count.total(of: cat)))
        }
        return out
    }

    public func render(_ format: ReportFormat) -> String {
        let lines = self.lines
        let nameA = TerminalSafe.escape(a.title), nameB = TerminalSafe.escape(b.title)
        switch format {
        case .json:
            func side(_ r: Report) -> String {
                "{\"name\": \(r.model.name.map(ModelWriter.quoted) ?? "null"), \"source\": \(ModelWriter.quoted(r.origin)), \"source_format\": \"\(r.sourceFormat.rawValue)\", "
                    + "\"convention\": \"\(r.count.convention.rawValue)\", \"total\": \(r.count.total), "
                    + "\"trainable\": \(r.count.trainable), \"non_trainable\": \(r.count.nonTrainable), \"active\": \(r.count.active), "
                    + "\"macs\": \(r.count.macs.map(String.init) ?? "null")}"
            }
            let kinds = lines.dropFirst(headLines).map {
                "{\"kind\": \(ModelWriter.quoted($0.label)), \"a\": \($0.a), \"b\": \($0.b), \"difference\": \($0.diff)}"
            }
            return "{\n  \"a\": \(side(a)),\n  \"b\": \(side(b)),\n  \"difference\": {\"total\": \(lines[0].diff), "
                + "\"trainable\": \(lines[1].diff), \"non_trainable\": \(lines[2].diff), "
                + "\"active\": \(b.count.active - a.count.active), "
                + "\"macs\": \(shaped ? String((b.count.macs ?? 0) - (a.count.macs ?? 0)) : "null")},\n"
                + "  \"weights_bytes\": {\"dtype\": \"\(a.dtype.rawValue)\", \"a\": \(lines[3].a), \"b\": \(lines[3].b), \"difference\": \(lines[3].diff)},\n"
                + "  \"by_kind\": [\n    " + kinds.joined(separator: ",\n    ") + "\n  ]\n}\n"
        case .csv:
            var out = "figure,a,b,difference,ratio\n"
            for l in lines { out += "\(l.label),\(l.a),\(l.b),\(l.diff),\(l.ratioField)\n" }
            return out
        case .markdown:
            var out = "### \(nameA.replacingAll("|", "\\|")) (A) vs \(nameB.replacingAll("|", "\\|")) (B)\n\n"
            out += "| | A | B | B − A | B / A |\n|:--|--:|--:|--:|--:|\n"
            for l in lines {
                out += "| \(l.shownLabel) | \(l.shown(l.a)) | \(l.shown(l.b)) | \(l.shownDiff) | \(l.times) |\n"
            }
            return out
        case .table:
            let rows = [["", "A", "B", "B − A", "B / A"]] + lines.map {
                [$0.shownLabel, $0.shown($0.a), $0.shown($0.b), $0.shownDiff, $0.times]
            }
            let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
            var out = "A: \(nameA) (\(a.count.convention.rawValue))\nB: \(nameB) (\(b.count.convention.rawValue))\n"
            for (i, r) in rows.enumerated() {
                out += r.enumerated().map { c, cell in
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    return c == 0 ? cell + pad : pad + cell
                }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
                if i == 0 || i == headLines { out += String(repeating: "─", count: widths.reduce(0, +) + 8) + "\n" }
            }
            return out
        }
    }
}
