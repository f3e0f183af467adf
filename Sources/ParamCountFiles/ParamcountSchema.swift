import ParamCountCore

/// paramcount's own model schema, read from a document tree that came from YAML or JSON: checks
/// each key and value, then counts the model to check the layers fit together.
struct ParamcountSchema {
    let file: String
    var source = SourceMap()

    static let topKeys = ["name", "convention", "input", "layers"]

    /// The model in `root`, valid under its own convention, and where each of its parts was written.
    static func read(_ root: DocNode, file: String) throws(ModelError) -> (Model, SourceMap) {
        var reader = ParamcountSchema(file: file)
        let model = try reader.model(root)
        do {
            _ = try Counter.count(model)
        } catch var error {
            error.file = file
            error.line = reader.source.line(of: error)
            throw error
        }
        return (model, reader.source)
    }

    mutating func model(_ root: DocNode) throws(ModelError) -> Model {
        guard case .map(let entries) = root.value else {
            throw ModelError(file: file, line: root.line,
                             "the top level must be a mapping with 'layers:' (and optional 'name:' and 'convention:'), got \(root.describe)")
        }
        var model = Model(layers: [])
        var layersNode: DocNode?
        for (key, node) in entries {
            switch key {
            case "name":
                model.name = try string(node, what: "the model's name")
            case "convention":
                guard case .string(let s) = node.value, let c = Convention(rawValue: s) else {
                    throw ModelError(file: file, line: node.line, field: "convention",
                                     "must be one of textbook, pytorch, keras; got \(node.describe)")
                }
                model.convention = c
            case "input":
                model.input = try inputShape(node)
                source.input = node.line
            case "layers":
                layersNode = node
            default:
                throw ModelError(file: file, line: node.line, field: key,
                                 "is not a top-level key" + Suggest.hint(key, Self.topKeys) + " (allowed: name, convention, input, layers)")
            }
        }
        guard let layersNode else {
            throw ModelError(file: file, line: root.line, field: "layers", "is missing: a model lists its layers under 'layers:'")
        }
        guard case .list(let items) = layersNode.value else {
            throw ModelError(file: file, line: layersNode.line, field: "layers", "must be a list of layers, got \(layersNode.describe)")
        }
        guard !items.isEmpty else {
            throw ModelError(file: file, line: layersNode.line, field: "layers", "is empty: a model needs at least one layer")
        }
        guard items.count <= ModelFile.maxLayers else {
            throw ModelError(file: file, line: layersNode.line, field: "layers",
                             "has \(items.count) layers; at most 1,000,000 are allowed")
        }
        model.layers.reserveCapacity(items.count)
        source.layers.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let (layer, entry) = try layer(item, path: [.layer(i)])
            model.layers.append(layer)
            source.layers.append(entry)
        }
        return model
    }

    /// `input: [3, 224, 224]`: one sample's shape, without the batch.
    private func inputShape(_ node: DocNode) throws(ModelError) -> [Int] {
        let allowed = "a list of 1 to 4 positive sizes without the batch, like [3, 224, 224] or [16]"
        guard case .list(let items) = node.value else {
            throw ModelError(file: file, line: node.line, field: "input", "must be \(allowed), got \(node.describe)")
        }
        var dims: [Int] = []
        for item in items {
            guard case .number(let text) = item.value, case .success(let n) = IntegerText.parse(text) else {
                throw ModelError(file: file, line: item.line ?? node.line, field: "input", "must be \(allowed), got \(item.describe)")
            }
            dims.append(n)
        }
        if let problem = Shape.problem(dims) { throw ModelError(file: file, line: node.line, field: "input", problem) }
        return dims
    }

    private func string(_ node: DocNode, what: String, path: [LayerPath.Step]? = nil, field: String? = nil) throws(ModelError) -> String {
        switch node.value {
        case .string(let s), .number(let s): return s
        case .bool(let b): return String(b)
        default:
            throw ModelError(file: file, line: node.line, path: path.map(LayerPath.init), field: field,
                             "\(what) must be text, got \(node.describe)")
        }
    }

    /// One layer at `path`; a group's layers and a parallel's branches are read here too, at most
    /// `Counter.maxNesting` levels deep (so a hostile file cannot recurse without bound).
    private func layer(_ node: DocNode, path: [LayerPath.Step]) throws(ModelError) -> (Layer, SourceMap.Entry) {
        guard case .map(let entries) = node.value else {
            throw ModelError(file: file, line: node.line, path: LayerPath(path),
                             "each layer must be a mapping like '- kind: dense', got \(node.describe)")
        }
        let name: String?
        if let n = entries.first(where: { $0.key == "name" }) {
            name = try string(n.value, what: "name", path: path, field: "name")
        } else { name = nil }
        func error(_ field: String?, _ line: Int?, _ message: String) -> ModelError {
            ModelError(file: file, line: line ?? node.line, path: LayerPath(path), layerName: name, field: field, message)
        }
        guard let kindEntry = entries.first(where: { $0.key == "kind" }) else {
            throw error("kind", node.line, "is missing; the kinds are: " + LayerKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard case .string(let kindText) = kindEntry.value.value, let kind = LayerKind(rawValue: kindText) else {
            throw error("kind", kindEntry.value.line, "\(kindEntry.value.describe) is not a layer kind"
                        + (kindEntry.value.stringValue.map { Suggest.hint($0, LayerKind.allCases.map(\.rawValue)) } ?? "")
                        + "; the kinds are: " + LayerKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var layer = Layer(kind, name: name)
        var entry = SourceMap.Entry(line: node.line)
        let specs = Schema.fields(of: kind)
        let nestedKey = kind == .group ? "layers" : kind == .parallel ? "branches" : nil
        var nested: DocNode?
        for (key, valueNode) in entries {
            if let l = valueNode.line { entry.fields[key] = l }
            switch key {
            case "kind", "name": continue
            case "trainable":
                guard case .bool(let b) = valueNode.value else {
                    throw error(key, valueNode.line, "must be true or false, got \(valueNode.describe)")
                }
                layer.trainable = b
                continue
            case nestedKey:
                nested = valueNode
                continue
            default: break
            }
            guard let spec = specs.first(where: { $0.name == key }) else {
                let allowed = Schema.commonKeys + specs.map(\.name) + (nestedKey.map { [$0] } ?? [])
                throw error(key, valueNode.line, "is not a field of \(kind.rawValue)" + Suggest.hint(key, allowed)
                            + " (allowed: " + allowed.joined(separator: ", ") + ")")
            }
            do {
                layer.fields[spec.field] = try FieldParsing.value(valueNode, spec: spec)
            } catch let e {
                throw error(key, valueNode.line, e.message)
            }
        }
        guard let nestedKey else { return (layer, entry) }
        let depth = path.count - 1
        if depth >= Counter.maxNesting {
            throw error(nil, node.line, LayerError.nestedTooDeep(depth: depth).message)
        }
        guard let nested else {
            throw error(nestedKey, node.line, kind == .group ? "is missing: a group lists its layers under 'layers:'"
                        : "is missing: a parallel lists its branches under 'branches:', each a list of layers")
        }
        func list(_ node: DocNode, what: String) throws(ModelError) -> [DocNode] {
            guard case .list(let items) = node.value else {
                throw error(nestedKey, node.line, "\(what) must be a list, got \(node.describe)")
            }
            guard items.count <= ModelFile.maxLayers else {
                throw error(nestedKey, node.line, "has \(items.count) entries; at most 1,000,000 are allowed")
            }
            return items
        }
        if kind == .group {
            let items = try list(nested, what: "a group's layers")
            guard !items.isEmpty else { throw error(nestedKey, nested.line, "is empty: a group needs at least one layer") }
            for (j, item) in items.enumerated() {
                let (inner, innerEntry) = try self.layer(item, path: path + [.layer(j)])
                layer.body.append(inner)
                entry.body.append(innerEntry)
            }
        } else {
            let branches = try list(nested, what: "a parallel's branches")
            guard !branches.isEmpty else {
                throw error(nestedKey, nested.line, "is empty: a parallel needs at least one branch ([] is one that passes its input on)")
            }
            for (b, branch) in branches.enumerated() {
                let items = try list(branch, what: "each branch (a list of layers; [] passes the input on)")
                var layers: [Layer] = [], entries: [SourceMap.Entry] = []
                for (j, item) in items.enumerated() {
                    let (inner, innerEntry) = try self.layer(item, path: path + [.branch(b, j)])
                    layers.append(inner)
                    entries.append(innerEntry)
                }
                layer.branches.append(layers)
                entry.branches.append(entries)
            }
        }
        return (layer, entry)
    }
}

extension DocNode {
    var stringValue: String? { if case .string(let s) = value { return s } else { return nil } }
}

enum FieldParsing {
    static func value(_ node: DocNode, spec: FieldSpec) throws(LayerError) -> FieldValue {
        switch spec.type {
        case .width(let inherits):
            if inherits, node.stringValue == "auto" { return .auto }
            let n = try integer(node, allowed: inherits ? "a positive integer or auto" : "a positive integer")
            guard n > 0 else { throw LayerError(field: spec.name, "must be \(inherits ? "a positive integer or auto" : "a positive integer"), got \(n)") }
            return .int(n)
        case .count:
            let n = try integer(node, allowed: "a non-negative integer")
            guard n >= 0 else { throw LayerError(field: spec.name, "must be a non-negative integer, got \(n)") }
            return .int(n)
        case .flag:
            guard case .bool(let b) = node.value else { throw LayerError(field: spec.name, "must be true or false, got \(node.describe)") }
            return .bool(b)
        case .spatialDims:
            let n = try integer(node, allowed: "1, 2 or 3")
            guard (1...3).contains(n) else { throw LayerError(field: spec.name, "must be 1, 2 or 3, got \(n)") }
            return .int(n)
        case .kernel:
            return try sizes(node, spec, least: 1, allowed: "a positive integer or a list like [3, 3]")
        case .sizes(let zero, let same):
            if same, let word = node.stringValue, ["same", "valid"].contains(word) { return .option(Word(word)!) }
            return try sizes(node, spec, least: zero ? 0 : 1, allowed: spec.allowed)
        case .choice(let options):
            guard let text = node.stringValue, options.contains(text), let word = Word(text) else {
                throw LayerError(field: spec.name, "must be \(spec.allowed), got \(node.describe)"
                                 + (node.stringValue.map { Suggest.hint($0, options) } ?? ""))
            }
            return .option(word)
        }
    }

    /// An integer, or a list of 1 to 3, each at least `least`.
    private static func sizes(_ node: DocNode, _ spec: FieldSpec, least: Int, allowed: String) throws(LayerError) -> FieldValue {
        let what = least == 0 ? "non-negative integers" : "positive integers"
        if case .list(let items) = node.value {
            guard (1...3).contains(items.count) else {
                throw LayerError(field: spec.name, "a list of sizes has 1 to 3 of them, got \(items.count)")
            }
            var sizes: [Int] = []
            for item in items {
                let n = try integer(item, allowed: "a list of \(what)")
                guard n >= least else { throw LayerError(field: spec.name, "sizes must be \(what), got \(n)") }
                guard n <= Sizes.maxSize else {
                    throw LayerError(field: spec.name, "sizes must be at most \(Format.grouped(Sizes.maxSize)), got \(Format.grouped(n))")
                }
                sizes.append(n)
            }
            return .ints(Sizes(sizes))
        }
        let n = try integer(node, allowed: allowed)
        guard n >= least else { throw LayerError(field: spec.name, "must be \(allowed), got \(n)") }
        return .int(n)
    }

    private static func integer(_ node: DocNode, allowed: String) throws(LayerError) -> Int {
        guard case .number(let text) = node.value else { throw LayerError("must be \(allowed), got \(node.describe)") }
        switch IntegerText.parse(text) {
        case .success(let n): return n
        case .failure(.tooLarge):
            throw LayerError("must be \(allowed) that fits in 64 bits (at most 9,223,372,036,854,775,807), got \(node.describe)")
        case .failure(.misspelt(let advice)): throw LayerError(advice)
        case .failure(.notAnInteger): throw LayerError("must be \(allowed), got \(node.describe)")
        }
    }
}

/// "did you mean" for misspelt keys and kinds.
enum Suggest {
    static func hint(_ word: String, _ candidates: [String]) -> String {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d <= max(1, word.count / 3) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
