import ParamCountCore

public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json, csv, markdown
}

/// The count of one model as printed by `paramcount count`: a table like torchinfo's summary, or
/// JSON, CSV and Markdown for scripts and documents.
public struct Report {
    public let model: Model
    public let count: ModelCount
    public let dtype: DType
    public let origin: String

    public init(model: Model, count: ModelCount, dtype: DType, origin: String) {
        self.model = model
        self.count = count
        self.dtype = dtype
        self.origin = origin
    }

    struct Row {
        var index: Int
        var name: String
        var kind: String
        var shape: String
        var params: Int
        var trainable: Int
        var nonTrainable: Int
    }

    var rows: [Row] {
        model.layers.indices.map { i in
            let layer = model.layers[i], lc = count.layers[i]
            let shape = (try? layer.resolve(previousOutput: lc.received).shape) ?? ""
            return Row(index: i + 1, name: layer.name ?? "", kind: layer.kind.rawValue, shape: shape,
                       params: lc.total, trainable: lc.trainable, nonTrainable: lc.nonTrainable)
        }
    }

    public var title: String { model.name ?? origin }

    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        case .markdown: return markdown()
        }
    }

    var memory: String { Format.bytes(dtype.bytes(forParams: count.total)) }

    func table() -> String {
        let rows = self.rows
        let header = ["#", "Layer", "Kind", "Shape", "Params", "Share"]
        var cells = rows.map { r in
            [String(r.index), Report.clip(TerminalSafe.escape(r.name), 36), r.kind, r.shape,
             Format.grouped(r.params) + (r.nonTrainable > 0 && r.trainable > 0 ? "*" : r.trainable == 0 && r.params > 0 ? " (frozen)" : ""),
             Format.percent(r.params, of: count.total)]
        }
        cells.insert(header, at: 0)
        let widths = header.indices.map { c in cells.map { DisplayWidth.columns($0[c]) }.max() ?? 0 }
        let rightAligned: Set<Int> = [0, 4, 5]
        func line(_ row: [String]) -> String {
            row.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - DisplayWidth.columns(row[c]))
                return rightAligned.contains(c) ? pad + row[c] : row[c] + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var out = [TerminalSafe.escape(title) + "  (\(count.convention.rawValue) convention)", rule, line(cells[0]), rule]
        out += cells.dropFirst().map(line)
        out.append(rule)
        out.append("Total params:         \(Format.grouped(count.total)) (\(Format.human(count.total)))")
        out.append("Trainable params:     \(Format.grouped(count.trainable)) (\(Format.human(count.trainable)))")
        out.append("Non-trainable params: \(Format.grouped(count.nonTrainable)) (\(Format.human(count.nonTrainable)))")
        out.append("Weights (\(dtype.rawValue)):       ".prefix(22) + memory)
        if rows.contains(where: { $0.trainable > 0 && $0.nonTrainable > 0 }) {
            out.append("* includes non-trainable parameters")
        }
        return out.joined(separator: "\n") + "\n"
    }

    func json(indent: String = "") -> String {
        var out = indent + "{\n"
        let i1 = indent + "  "
        out += i1 + "\"name\": " + (model.name.map(ModelWriter.quoted) ?? "null") + ",\n"
        out += i1 + "\"source\": " + ModelWriter.quoted(origin) + ",\n"
        out += i1 + "\"convention\": \"\(count.convention.rawValue)\",\n"
        out += i1 + "\"layers\": [\n"
        let rows = self.rows
        for (j, r) in rows.enumerated() {
            let formula = (try? Counter.derivation(of: model.layers[j], previousOutput: count.layers[j].received,
                                                   convention: count.convention).lines.joined(separator: "; ")) ?? ""
            out += i1 + "  {\"index\": \(r.index), \"kind\": \"\(r.kind)\", \"name\": "
                + (model.layers[j].name.map(ModelWriter.quoted) ?? "null")
                + ", \"shape\": \(ModelWriter.quoted(r.shape)), \"params\": \(r.params), \"trainable\": \(r.trainable), "
                + "\"non_trainable\": \(r.nonTrainable), \"formula\": \(ModelWriter.quoted(formula))}"
                + (j + 1 < rows.count ? "," : "") + "\n"
        }
        out += i1 + "],\n"
        out += i1 + "\"total\": \(count.total),\n"
        out += i1 + "\"trainable\": \(count.trainable),\n"
        out += i1 + "\"non_trainable\": \(count.nonTrainable),\n"
        out += i1 + "\"dtype\": \"\(dtype.rawValue)\",\n"
        out += i1 + "\"weight_bytes\": \(Int(exactly: dtype.bytes(forParams: count.total)).map(String.init) ?? "null")\n"
        return out + indent + "}"
    }

    func csv(header: Bool = true) -> String {
        func field(_ s: String) -> String {
            let safe = TerminalSafe.escape(s)
            // A leading = + - @ makes spreadsheets evaluate the cell.
            let defused = safe.first.map { "=+-@".contains($0) } == true ? "'" + safe : safe
            return defused.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + defused.replacingAll("\"", "\"\"") + "\"" : defused
        }
        // The model column tells the rows of several models apart in one table.
        let model = field(origin)
        var out = header ? Report.csvHeader : ""
        for r in rows {
            out += "\(model),\(r.index),\(field(r.name)),\(r.kind),\(field(r.shape)),\(r.params),\(r.trainable),\(r.nonTrainable),"
                + "\(Format.percent(r.params, of: count.total))\n"
        }
        out += "\(model),,Total,,,\(count.total),\(count.trainable),\(count.nonTrainable),\n"
        return out
    }

    static let csvHeader = "model,index,name,kind,shape,params,trainable,non_trainable,share\n"

    func markdown() -> String {
        func cell(_ s: String) -> String { TerminalSafe.escape(s).replacingAll("|", "\\|") }
        var out = "### \(cell(title)) (\(count.convention.rawValue))\n\n"
        out += "| # | Layer | Kind | Shape | Params | Share |\n|--:|:--|:--|:--|--:|--:|\n"
        for r in rows {
            out += "| \(r.index) | \(cell(r.name)) | \(r.kind) | \(cell(r.shape)) | \(Format.grouped(r.params)) | "
                + "\(Format.percent(r.params, of: count.total)) |\n"
        }
        out += "\n**Total:** \(Format.grouped(count.total)) (\(Format.human(count.total))) · "
            + "**Trainable:** \(Format.grouped(count.trainable)) · **Non-trainable:** \(Format.grouped(count.nonTrainable)) · "
            + "**Weights (\(dtype.rawValue)):** \(memory)\n"
        return out
    }

    static func clip(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(width - 1)) + "…"
    }

    /// Several reports in one format: blocks one after another, or one JSON array.
    public static func render(_ reports: [Report], _ format: ReportFormat) -> String {
        if format == .json {
            if reports.count == 1 { return reports[0].json() + "\n" }
            return "[\n" + reports.map { $0.json(indent: "  ") }.joined(separator: ",\n") + "\n]\n"
        }
        if format == .csv { return csvHeader + reports.map { $0.csv(header: false) }.joined() }
        return reports.map { $0.render(format) }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }

    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
