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
    /// The reader that read it ("paramcount YAML", "preset", "safetensors", "GGUF").
    public let reader: String
    public let sourceFormat: SourceFormat
    public let modelClass: String?
    public let checkpoint: Checkpoint?
    /// Memory and compute under some settings: `count --format json --plan` adds it as `plan`.
    public var plan: Plan?

    public init(model: Model, count: ModelCount, dtype: DType, origin: String, reader: String = "paramcount",
                sourceFormat: SourceFormat = .paramcount, modelClass: String? = nil, checkpoint: Checkpoint? = nil) {
        self.model = model
        self.count = count
        self.dtype = dtype
        self.origin = origin
        self.reader = reader
        self.sourceFormat = sourceFormat
        self.modelClass = modelClass
        self.checkpoint = checkpoint
    }

    /// The report of a loaded model, saying where it came from.
    public init(_ loaded: LoadedModel, count: ModelCount, dtype: DType, origin: String) {
        self.init(model: loaded.model, count: count, dtype: dtype, origin: origin, reader: loaded.format,
                  sourceFormat: loaded.sourceFormat, modelClass: loaded.modelClass, checkpoint: loaded.checkpoint)
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
            var shape = tensorShapes(layer, row: i) ?? (try? layer.resolve(previousOutput: lc.received).shape) ?? ""
            if let t = lc.tiedTo { shape += " to " + model.layers[t].label }
            return Row(index: i + 1, name: layer.name ?? "", kind: layer.kind.rawValue, shape: shape,
                       params: lc.total, trainable: lc.trainable, nonTrainable: lc.nonTrainable)
        }
    }

    public var title: String { model.name ?? origin }

    /// A checkpoint row's tensors as its shape: `4096×4096 F16`, weight and bias joined by `+`.
    func tensorShapes(_ layer: Layer, row: Int) -> String? {
        guard let checkpoint, layer.kind == .custom, let name = layer.name,
              let tensors = checkpoint.tensors(ofModule: name, row: row), !tensors.isEmpty else { return nil }
        var out = ""
        for (k, t) in tensors.prefix(3).enumerated() {
            if k > 0 { out += " + " }
            out += Report.shape(t.shape)
            out += " "
            out += t.dtype
        }
        return tensors.count > 3 ? out + " + \(tensors.count - 3) more" : out
    }

    /// `[4096, 11008]` as `4096×11008`; a scalar as `scalar`.
    public static func shape(_ dims: [Int]) -> String {
        if dims.isEmpty { return "scalar" }
        var out = String(dims[0])
        for d in dims.dropFirst() {
            out += "×"
            out += String(d)
        }
        return out
    }

    /// Where the model came from and what its files hold, as "label: value" lines under the table.
    var sourceLines: [(label: String, value: String)] {
        var out: [(String, String)] = []
        if let checkpoint {
            out.append(("Source", checkpoint.formatTitle))
            out.append(("Stored", checkpoint.dtypeLine + " (\(Format.grouped(checkpoint.totalBytes)) bytes)"))
            for entry in checkpoint.shownSummary { out.append(("  " + entry.key, entry.value)) }
            if let check = checkpoint.configCheck {
                let lines = check.lines()
                out.append(("Config check", lines[0]))
                for line in lines.dropFirst() { out.append(("", line)) }
            }
        } else {
            out.append(("Source", reader))
        }
        if let modelClass { out.append(("Class", modelClass)) }
        return out
    }

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
        // Cells and their widths in flat arrays, measured once, and the lines written straight into
        // one string: a checkpoint can have 100,000 rows.
        var cells = header
        cells.reserveCapacity((rows.count + 1) * header.count)
        for r in rows {
            cells.append(String(r.index))
            cells.append(Report.clip(TerminalSafe.escape(r.name), 36))
            cells.append(r.kind)
            cells.append(r.shape)
            cells.append(Format.grouped(r.params) + (r.nonTrainable > 0 && r.trainable > 0 ? "*"
                                                     : r.trainable == 0 && r.params > 0 ? " (frozen)" : ""))
            cells.append(Format.percent(r.params, of: count.total))
        }
        let cellWidths = cells.map(DisplayWidth.columns)
        var widths = Array(repeating: 0, count: header.count)
        for (i, w) in cellWidths.enumerated() { widths[i % header.count] = max(widths[i % header.count], w) }
        let rightAligned = [true, false, false, false, true, true]
        func line(_ row: Int, into text: inout String) {
            let lineStart = text.utf8.count
            for c in 0..<header.count {
                let i = row * header.count + c
                if c > 0 { text += "  " }
                let pad = widths[c] - cellWidths[i]
                if rightAligned[c] { text += String(repeating: " ", count: pad) + cells[i] }
                else { text += cells[i] + String(repeating: " ", count: pad) }
            }
            while text.utf8.count > lineStart, text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
            text += "\n"
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var body = ""
        body.reserveCapacity(rows.count * (widths.reduce(0, +) + 12))
        for row in stride(from: 1, through: rows.count, by: 1) { line(row, into: &body) }
        if body.hasSuffix("\n") { body.removeLast() }
        var head = ""
        line(0, into: &head)
        head.removeLast()
        var out = [TerminalSafe.escape(title) + "  (\(count.convention.rawValue) convention)", rule, head, rule]
        if !rows.isEmpty { out.append(body) }
        out.append(rule)
        out.append("Total params:         \(Format.grouped(count.total)) (\(Format.human(count.total)))")
        out.append("Trainable params:     \(Format.grouped(count.trainable)) (\(Format.human(count.trainable)))")
        out.append("Non-trainable params: \(Format.grouped(count.nonTrainable)) (\(Format.human(count.nonTrainable)))")
        if count.routed {
            out.append("Active params:        \(Format.grouped(count.active)) (\(Format.human(count.active))) per token")
        }
        out.append("Weights (\(dtype.rawValue)):       ".prefix(22) + memory)
        for (label, value) in sourceLines {
            let head = label.isEmpty ? "" : TerminalSafe.escape(label) + ":"
            out.append(head + String(repeating: " ", count: max(1, 22 - DisplayWidth.columns(head))) + TerminalSafe.escape(value))
        }
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
        out += i1 + "\"source_format\": \"\(sourceFormat.rawValue)\",\n"
        out += i1 + "\"class\": " + (modelClass.map(ModelWriter.quoted) ?? "null") + ",\n"
        out += i1 + "\"convention\": \"\(count.convention.rawValue)\",\n"
        out += i1 + "\"layers\": [\n"
        let rows = self.rows
        for (j, r) in rows.enumerated() {
            let formula = (try? Counter.derivation(of: model.layers[j], previousOutput: count.layers[j].received,
                                                   convention: count.convention,
                                                   tiedTo: count.layers[j].tiedTo.map { model.layers[$0].label })
                .lines.joined(separator: "; ")) ?? ""
            out += i1 + "  {\"index\": \(r.index), \"kind\": \"\(r.kind)\", \"name\": "
                + (model.layers[j].name.map(ModelWriter.quoted) ?? "null")
                + ", \"shape\": \(ModelWriter.quoted(r.shape)), \"params\": \(r.params), \"trainable\": \(r.trainable), "
                + "\"non_trainable\": \(r.nonTrainable), \"active\": \(count.layers[j].active), \"formula\": \(ModelWriter.quoted(formula))}"
                + (j + 1 < rows.count ? "," : "") + "\n"
        }
        out += i1 + "],\n"
        out += i1 + "\"total\": \(count.total),\n"
        out += i1 + "\"trainable\": \(count.trainable),\n"
        out += i1 + "\"non_trainable\": \(count.nonTrainable),\n"
        // Parameters one token passes through: the total unless a mixture of experts routes tokens.
        out += i1 + "\"active\": \(count.active),\n"
        out += i1 + "\"dtype\": \"\(dtype.rawValue)\",\n"
        out += i1 + "\"weight_bytes\": \(Int(exactly: dtype.bytes(forParams: count.total)).map(String.init) ?? "null"),\n"
        out += i1 + "\"bytes_by_dtype\": " + (checkpoint.map { c in
            "{" + c.bytesByDtypeSorted.map { "\(ModelWriter.quoted($0.dtype)): \($0.bytes)" }.joined(separator: ", ") + "}"
        } ?? "null") + ",\n"
        out += i1 + "\"metadata\": " + (checkpoint.flatMap { c in
            c.shownSummary.isEmpty ? nil
                : "{" + c.shownSummary.map { "\(ModelWriter.quoted($0.key)): \(ModelWriter.quoted($0.value))" }.joined(separator: ", ") + "}"
        } ?? "null") + ",\n"
        out += i1 + "\"config_check\": " + (checkpoint?.configCheck.map(Report.json) ?? "null")
        if let plan { out += ",\n" + i1 + "\"plan\": " + PlanReport(plan: plan, title: title, origin: origin).json(indent: i1) }
        return out + "\n" + indent + "}"
    }

    static func json(_ c: ConfigCheck) -> String {
        if let problem = c.problem { return "{\"problem\": \(ModelWriter.quoted(problem))}" }
        let buffers = c.buffers.map { "{\"name\": \(ModelWriter.quoted($0.name)), \"tensors\": \($0.tensors), \"values\": \($0.elements)}" }
        let differences = c.differences.map {
            "{\"module\": \(ModelWriter.quoted($0.module)), \"config\": \($0.config), \"weights\": \($0.weights)}"
        }
        return "{\"config\": \(c.config), \"weights\": \(c.weights), \"agrees\": \(c.agrees), "
            + "\"class\": \(c.configClass.map(ModelWriter.quoted) ?? "null"), "
            + "\"buffers\": [\(buffers.joined(separator: ", "))], \"differences\": [\(differences.joined(separator: ", "))]}"
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
        // A mixture of experts: what one token passes through, as a row of its own so the columns stay.
        if count.routed { out += "\(model),,Active per token,,,\(count.active),,,\n" }
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
            + (count.routed ? "**Active per token:** \(Format.grouped(count.active)) (\(Format.human(count.active))) · " : "")
            + "**Weights (\(dtype.rawValue)):** \(memory)\n"
        let lines = sourceLines
        if !lines.isEmpty {
            out += "\n" + lines.map { l in
                l.label.isEmpty ? cell(l.value) : "**\(cell(String(l.label.drop { $0 == " " })))**: \(cell(l.value))"
            }.joined(separator: "  \n") + "\n"
        }
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
