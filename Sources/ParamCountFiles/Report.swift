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
    /// How many levels of the tree to show (1: the top-level layers only); nil shows them all.
    /// A folded group or parallel still shows its total.
    public var depth: Int?

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
        /// `3`, `3.2`, `3.2.1`: the position in each list from the top, from 1.
        var index: String
        /// 0 for a top-level layer.
        var depth: Int
        var name: String
        var kind: String
        var shape: String
        var params: Int
        var trainable: Int
        var nonTrainable: Int
        /// A group's repetitions (1 for anything else).
        var `repeat`: Int
        /// The repetitions of the groups around the row multiplied: a row inside a repeated group
        /// shows one repetition's count, which occurs this many times.
        var times: Int
        /// Whether every repetition around the row counts alike, so `params × times` is the row's
        /// part of the total (not so when a group's first repetition reads another width).
        var alike: Bool
        /// A branch of a parallel, not a layer: it has no record of its own in JSON.
        var isBranch = false
        /// With the model's input shape: what the row gives, and its multiply-accumulates (one
        /// repetition's inside a repeated group, like `params`).
        var outputShape: Shape? = nil
        var macs: Int? = nil
    }

    var rows: [Row] {
        var out: [Row] = []
        out.reserveCapacity(count.layers.count)
        for i in model.layers.indices {
            appendRows(model.layers[i], count.layers[i], index: String(i + 1), depth: 0, times: 1, alike: true,
                       namePath: model.layers[i].name, into: &out)
        }
        return out
    }

    /// Whether a group's repetitions all count as its first does.
    static func repeatsAlike(_ lc: LayerCount) -> Bool {
        guard lc.repeat > 1, let first = lc.children.first else { return true }
        var one = 0
        for c in first { one &+= c.total }
        let (all, overflow) = one.multipliedReportingOverflow(by: lc.repeat)
        return !overflow && all == lc.total
    }

    /// A layer's row, then (unless folded by `depth`) the rows of what it holds. `namePath` is the
    /// layer's name path in the model (`model/layers/0/self_attn`) when every layer on the way is
    /// named, which is how a checkpoint's rows find their tensors.
    private func appendRows(_ layer: Layer, _ lc: LayerCount, index: String, depth level: Int, times: Int, alike: Bool,
                            namePath: String?, into out: inout [Row]) {
        var shape = tensorShapes(layer, namePath: namePath) ?? (try? layer.resolve(counted: lc).shape) ?? ""
        if let t = lc.tiedTo { shape += " to " + model.layers[t].label }
        out.append(Row(index: index, depth: level, name: layer.name ?? "", kind: layer.kind.rawValue, shape: shape,
                       params: lc.total, trainable: lc.trainable, nonTrainable: lc.nonTrainable, repeat: lc.repeat,
                       times: times, alike: alike, outputShape: lc.shapes?.output, macs: lc.shapes?.macs))
        guard layer.kind.holdsLayers, depth.map({ level + 1 < $0 }) ?? true else { return }
        if layer.kind == .group {
            guard let inner = lc.children.first else { return }
            let (n, overflow) = times.multipliedReportingOverflow(by: lc.repeat)
            let alike = alike && !overflow && Report.repeatsAlike(lc)
            for (j, child) in layer.body.enumerated() where j < inner.count {
                let path = checkpoint == nil ? nil : namePath.flatMap { p in child.name.map { p + "/" + $0 } }
                appendRows(child, inner[j], index: index + ".\(j + 1)", depth: level + 1, times: overflow ? Int.max : n, alike: alike,
                           namePath: path, into: &out)
            }
            return
        }
        for (b, branch) in layer.branches.enumerated() where b < lc.children.count {
            let counts = lc.children[b]
            var total = 0, trainable = 0, nonTrainable = 0, macs = 0
            for c in counts { total &+= c.total; trainable &+= c.trainable; nonTrainable &+= c.nonTrainable; macs &+= c.shapes?.macs ?? 0 }
            let end = counts.last.map { $0.output } ?? lc.received ?? 0
            let start = lc.received.map { "\($0)→" } ?? ""
            let branchIndex = index + ".\(b + 1)"
            out.append(Row(index: branchIndex, depth: level + 1, name: branch.isEmpty ? "branch \(b) (identity)" : "branch \(b)",
                           kind: "branch", shape: start + String(end), params: total, trainable: trainable, nonTrainable: nonTrainable,
                           repeat: 1, times: times, alike: alike, isBranch: true,
                           outputShape: lc.shapes.map { (counts.last?.shapes?.output ?? $0.input) }, macs: lc.shapes.map { _ in macs }))
            guard depth.map({ level + 2 < $0 }) ?? true else { continue }
            for (j, child) in branch.enumerated() where j < counts.count {
                appendRows(child, counts[j], index: branchIndex + ".\(j + 1)", depth: level + 2, times: times, alike: alike,
                           namePath: nil, into: &out)
            }
        }
    }

    /// A row's count as the table shows it: one repetition's, marked `×32`, inside a repeated group;
    /// `marks` adds `*` (some of it frozen) or `(frozen)`.
    static func params(_ r: Row, marks: Bool) -> String {
        Format.grouped(r.params) + (r.times > 1 ? " ×" + Format.grouped(r.times) : "")
            + (!marks ? "" : r.nonTrainable > 0 && r.trainable > 0 ? "*" : r.trainable == 0 && r.params > 0 ? " (frozen)" : "")
    }

    /// A row's share of the total: blank inside a group whose repetitions count differently.
    func share(_ r: Row) -> String {
        guard r.alike else { return "" }
        let (all, overflow) = r.params.multipliedReportingOverflow(by: r.times)
        return overflow ? "" : Format.percent(all, of: count.total)
    }

    public var title: String { model.name ?? origin }

    /// A checkpoint row's tensors as its shape: `4096×4096 F16`, weight and bias joined by `+`.
    /// `namePath` is the row's name path in the model (a top-level row's is its name).
    func tensorShapes(_ layer: Layer, namePath: String? = nil) -> String? {
        guard let checkpoint, layer.kind == .custom, let key = namePath ?? layer.name,
              let tensors = checkpoint.tensors(at: key), !tensors.isEmpty else { return nil }
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
        // torchinfo's two most read columns beside the count, when the model has an input shape.
        let shaped = count.macs != nil
        let header = ["#", "Layer", "Kind", "Shape"] + (shaped ? ["Output shape"] : []) + ["Params"] + (shaped ? ["MACs"] : []) + ["Share"]
        // Cells and their widths in flat arrays, measured once, and the lines written straight into
        // one string: a checkpoint can have 100,000 rows.
        var cells = header
        cells.reserveCapacity((rows.count + 1) * header.count)
        for r in rows {
            cells.append(r.index)
            // Indented like torchinfo's depth view: two columns per level.
            cells.append(String(repeating: "  ", count: r.depth) + Report.clip(TerminalSafe.escape(r.name), 36))
            cells.append(r.kind)
            cells.append(r.shape)
            if shaped { cells.append(r.outputShape?.description ?? "") }
            cells.append(Report.params(r, marks: true))
            if shaped { cells.append(r.macs.map { Format.grouped($0) + (r.times > 1 ? " ×" + Format.grouped(r.times) : "") } ?? "") }
            cells.append(share(r))
        }
        let cellWidths = cells.map(DisplayWidth.columns)
        var widths = Array(repeating: 0, count: header.count)
        for (i, w) in cellWidths.enumerated() { widths[i % header.count] = max(widths[i % header.count], w) }
        // Positions right-aligned as numbers, unless the tree makes them paths like 3.2.1.
        let rightAligned = [!rows.contains { $0.depth > 0 }, false, false, false] + (shaped ? [false] : []) + [true] + (shaped ? [true] : [])
            + [true]
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
        if let macs = count.macs, let input = count.inputShape, let output = count.outputShape {
            out.append("Input shape:          \(input) → output \(output)")
            out.append("Total MACs:           \(Format.grouped(macs)) (\(Format.operations(macs))) per sample")
        }
        out.append("Weights (\(dtype.rawValue)):       ".prefix(22) + memory)
        for (label, value) in sourceLines {
            let head = label.isEmpty ? "" : TerminalSafe.escape(label) + ":"
            out.append(head + String(repeating: " ", count: max(1, 22 - DisplayWidth.columns(head))) + TerminalSafe.escape(value))
        }
        if rows.contains(where: { $0.trainable > 0 && $0.nonTrainable > 0 }) {
            out.append("* includes non-trainable parameters")
        }
        if rows.contains(where: { $0.times > 1 }) {
            out.append("×N: the first repetition's count, inside groups that repeat N times")
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
        let records = count.layers.indices.map { j in
            record(model.layers[j], count.layers[j], index: j + 1, path: .top(j), level: 0, namePath: model.layers[j].name,
                   indent: i1 + "  ")
        }
        out += records.joined(separator: ",\n")
        if !records.isEmpty { out += "\n" }
        out += i1 + "],\n"
        out += i1 + "\"total\": \(count.total),\n"
        out += i1 + "\"trainable\": \(count.trainable),\n"
        out += i1 + "\"non_trainable\": \(count.nonTrainable),\n"
        // Parameters one token passes through: the total unless a mixture of experts routes tokens.
        out += i1 + "\"active\": \(count.active),\n"
        // Multiply-accumulates of one forward pass at batch 1: FlopCounterMode's total halved.
        out += i1 + "\"input_shape\": " + Report.jsonShape(count.inputShape) + ",\n"
        out += i1 + "\"output_shape\": " + Report.jsonShape(count.outputShape) + ",\n"
        out += i1 + "\"macs\": " + (count.macs.map(String.init) ?? "null") + ",\n"
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

    /// One layer's JSON record; a group's or parallel's `children` holds one list of records per
    /// branch (a group has one: its first repetition's layers). Folded by `depth`, it has none.
    private func record(_ layer: Layer, _ lc: LayerCount, index: Int, path: LayerPath, level: Int, namePath: String?,
                        indent: String) -> String {
        let formula = (try? Counter.derivation(of: layer, previousOutput: lc.received, shape: lc.shapes?.input, convention: count.convention,
                                               tiedTo: lc.tiedTo.map { model.layers[$0].label })
            .lines.joined(separator: "; ")) ?? ""
        var shape = tensorShapes(layer, namePath: namePath) ?? (try? layer.resolve(counted: lc).shape) ?? ""
        if let t = lc.tiedTo { shape += " to " + model.layers[t].label }
        var out = indent + "{\"index\": \(index), \"path\": \(ModelWriter.quoted(path.description)), \"kind\": \"\(layer.kind.rawValue)\", "
            + "\"name\": " + (layer.name.map(ModelWriter.quoted) ?? "null")
            + ", \"shape\": \(ModelWriter.quoted(shape)), \"params\": \(lc.total), \"trainable\": \(lc.trainable), "
            + "\"non_trainable\": \(lc.nonTrainable), \"active\": \(lc.active), \"repeat\": \(lc.repeat), "
            + "\"output_shape\": " + Report.jsonShape(lc.shapes?.output) + ", \"macs\": " + (lc.shapes.map { String($0.macs) } ?? "null") + ", "
            + "\"formula\": \(ModelWriter.quoted(formula))"
        guard layer.kind.holdsLayers else { return out + ", \"children\": []}" }
        guard depth.map({ level + 1 < $0 }) ?? true else { return out + "}" }
        let lists: [([Layer], [LayerCount], (Int) -> LayerPath.Step)]
        if layer.kind == .group {
            lists = [(layer.body, lc.children.first ?? [], { .layer($0) })]
        } else {
            lists = layer.branches.enumerated().map { b, branch in
                (branch, b < lc.children.count ? lc.children[b] : [], { .branch(b, $0) })
            }
        }
        out += ", \"children\": ["
        for (k, (layers, counts, step)) in lists.enumerated() {
            let inner = layers.indices.filter { $0 < counts.count }.map { j -> String in
                let childPath: String? = checkpoint == nil || layer.kind != .group ? nil : namePath.flatMap { p in layers[j].name.map { p + "/" + $0 } }
                return record(layers[j], counts[j], index: j + 1, path: path.appending(step(j)), level: level + 1, namePath: childPath,
                              indent: indent + "    ")
            }
            out += (k > 0 ? ", " : "") + (inner.isEmpty ? "[]" : "[\n" + inner.joined(separator: ",\n") + "\n" + indent + "  ]")
        }
        return out + "]}"
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

    /// `shaped`: with output_shape and macs columns (any model of the table has an input shape).
    func csv(header: Bool = true, shaped: Bool? = nil) -> String {
        let shaped = shaped ?? (count.macs != nil)
        func field(_ s: String) -> String {
            let safe = TerminalSafe.escape(s)
            // A leading = + - @ makes spreadsheets evaluate the cell.
            let defused = safe.first.map { "=+-@".contains($0) } == true ? "'" + safe : safe
            return defused.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + defused.replacingAll("\"", "\"\"") + "\"" : defused
        }
        // The model column tells the rows of several models apart in one table.
        let model = field(origin)
        var out = header ? Report.csvHeader(shaped: shaped) : ""
        for r in rows {
            out += "\(model),\(r.index),\(field(r.name)),\(r.kind),\(field(r.shape)),\(r.params),\(r.trainable),\(r.nonTrainable),"
                + "\(share(r)),\(r.depth),\(r.repeat),\(r.times)"
                + (shaped ? "," + field(r.outputShape?.description ?? "") + "," + (r.macs.map(String.init) ?? "") : "") + "\n"
        }
        let extra = shaped ? ",," : ""
        out += "\(model),,Total,,,\(count.total),\(count.trainable),\(count.nonTrainable),,,,"
            + (shaped ? "," + field(count.outputShape?.description ?? "") + "," + (count.macs.map(String.init) ?? "") : "") + "\n"
        // A mixture of experts: what one token passes through, as a row of its own so the columns stay.
        if count.routed { out += "\(model),,Active per token,,,\(count.active),,,,,,\(extra)\n" }
        return out
    }

    /// `depth`: 0 for a top-level layer; `repeat`: a group's repetitions; `times`: how often the
    /// row's count occurs (the repetitions of the groups around it multiplied).
    /// With input shapes, two more columns: each row's output shape and multiply-accumulates.
    static func csvHeader(shaped: Bool) -> String {
        "model,index,name,kind,shape,params,trainable,non_trainable,share,depth,repeat,times" + (shaped ? ",output_shape,macs" : "") + "\n"
    }

    func markdown() -> String {
        func cell(_ s: String) -> String { TerminalSafe.escape(s).replacingAll("|", "\\|") }
        var out = "### \(cell(title)) (\(count.convention.rawValue))\n\n"
        let shaped = count.macs != nil
        out += shaped ? "| # | Layer | Kind | Shape | Output shape | Params | MACs | Share |\n|--:|:--|:--|:--|:--|--:|--:|--:|\n"
                      : "| # | Layer | Kind | Shape | Params | Share |\n|--:|:--|:--|:--|--:|--:|\n"
        for r in rows {
            // Markdown trims spaces in a cell: the indentation is non-breaking.
            let indent = String(repeating: "&nbsp;&nbsp;", count: r.depth)
            let outShape = shaped ? " \(r.outputShape?.description ?? "") |" : ""
            let macs = shaped ? " \(r.macs.map { Format.grouped($0) + (r.times > 1 ? " ×" + Format.grouped(r.times) : "") } ?? "") |" : ""
            out += "| \(r.index) | \(indent)\(cell(r.name)) | \(r.kind) | \(cell(r.shape)) |\(outShape) \(Report.params(r, marks: false)) |\(macs) \(share(r)) |\n"
        }
        out += "\n**Total:** \(Format.grouped(count.total)) (\(Format.human(count.total))) · "
            + "**Trainable:** \(Format.grouped(count.trainable)) · **Non-trainable:** \(Format.grouped(count.nonTrainable)) · "
            + (count.routed ? "**Active per token:** \(Format.grouped(count.active)) (\(Format.human(count.active))) · " : "")
            + (count.macs.map { "**MACs:** \(Format.grouped($0)) (\(Format.operations($0))) per sample · " } ?? "")
            + "**Weights (\(dtype.rawValue)):** \(memory)\n"
        let lines = sourceLines
        if !lines.isEmpty {
            out += "\n" + lines.map { l in
                l.label.isEmpty ? cell(l.value) : "**\(cell(String(l.label.drop { $0 == " " })))**: \(cell(l.value))"
            }.joined(separator: "  \n") + "\n"
        }
        return out
    }

    static func jsonShape(_ shape: Shape?) -> String {
        shape.map { "[" + $0.dims.map(String.init).joined(separator: ", ") + "]" } ?? "null"
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
        if format == .csv {
            // One table: the shape columns when any model has them.
            let shaped = reports.contains { $0.count.macs != nil }
            return csvHeader(shaped: shaped) + reports.map { $0.csv(header: false, shaped: shaped) }.joined()
        }
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
