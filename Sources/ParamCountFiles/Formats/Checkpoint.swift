import ParamCountCore

/// A checkpoint (safetensors or GGUF) as paramcount shows it, beyond its rows: what its headers
/// say, kept once per open model. Rows find their tensors here by module path, so the editor can
/// list a row's tensors and the count command the file's dtypes without reading the files again.
public final class Checkpoint: Sendable, Equatable {
    public let format: TensorFormat
    /// The files read, in order (shards, or the one file).
    public let files: [String]
    /// Every tensor's elements, buffers included: the model's total.
    public let totalElements: Int
    public let bytesByDtype: [String: Int]
    /// The file's own key/values (safetensors `__metadata__` and the index's `metadata`, GGUF's).
    public let metadata: [MetadataEntry]
    /// The entries worth showing first (GGUF: name, architecture, blocks, context, width, quantisation).
    public let summary: [MetadataEntry]
    /// The check against a `config.json` beside the weights, when one was read.
    public let configCheck: ConfigCheck?
    /// Every tensor, in file order.
    private let tensors: [TensorInfo]
    /// Each row's tensors, as a range of `order`, by the row's name path in the model
    /// (`Model.namePath`: `model/layers/0/self_attn/q_proj`).
    private let rows: [String: Range<Int>]
    /// Indices into `tensors`, row after row.
    private let order: [Int32]

    init(listing: TensorListing, rows: CheckpointModel.Rows, configCheck: ConfigCheck?) {
        format = listing.format
        files = listing.files
        totalElements = listing.totalElements
        bytesByDtype = listing.bytesByDtype
        metadata = listing.metadata
        summary = listing.summary
        tensors = listing.tensors
        self.rows = rows.ranges
        order = rows.order
        self.configCheck = configCheck
    }

    /// The tensors of one row, without copying them.
    public struct Row: RandomAccessCollection {
        let all: [TensorInfo]
        let picks: ArraySlice<Int32>
        public var startIndex: Int { picks.startIndex }
        public var endIndex: Int { picks.endIndex }
        public subscript(i: Int) -> TensorInfo { all[Int(picks[i])] }
    }

    /// The tensors a row holds directly, in file order, found by the row's name path in the model
    /// (`Model.namePath(at:)`; a top-level row's is its name); nil for a layer the checkpoint does
    /// not have (a group, or a layer added to an edited copy).
    public func tensors(at namePath: String) -> Row? {
        rows[namePath].map { Row(all: tensors, picks: order[$0]) }
    }

    /// The name path by which the layer at `path` finds its tensors: its names along the path,
    /// found in steps as deep as the tree (`Model.namePath(at:)` numbers unnamed layers by
    /// reading every layer before them in each list, which a list of 10,000 blocks makes slow per
    /// frame). Checkpoint rows are all named; another layer's path is worked out the long way.
    public static func namePath(in model: Model, at path: LayerPath) -> String? {
        var parts: [String] = []
        var list = model.layers
        for (n, step) in path.steps.enumerated() {
            guard case .layer(let i) = step, list.indices.contains(i), let name = list[i].name, !name.isEmpty else {
                return model.namePath(at: path)
            }
            parts.append(name)
            if n + 1 < path.steps.count { list = list[i].body }
        }
        return parts.joined(separator: "/")
    }

    /// `bytesByDtype`, largest first (ties by name).
    public var bytesByDtypeSorted: [(dtype: String, bytes: Int)] {
        bytesByDtype.map { (dtype: $0.key, bytes: $0.value) }
            .sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.dtype < $1.dtype }
    }

    public var totalBytes: Int { bytesByDtype.values.reduce(0, +) }

    /// "safetensors, 2 files" / "GGUF v3": the format as a line of the count's table names it.
    public var formatTitle: String {
        switch format {
        case .safetensors: return "safetensors" + (files.count == 1 ? "" : ", \(files.count) files")
        case .gguf: return "GGUF" + (summary.first { $0.key == "GGUF.version" }.map { " v" + $0.value } ?? "")
        }
    }

    /// The summary without the entries `formatTitle` already says.
    public var shownSummary: [MetadataEntry] { summary.filter { $0.key != "GGUF.version" } }

    /// "F16 12.6 GiB · F32 8.0 KiB".
    public var dtypeLine: String {
        bytesByDtypeSorted.map { "\($0.dtype) \(Format.bytes(Double($0.bytes)))" }.joined(separator: " · ")
    }

    /// Two checkpoints are the same when they are the same reading: comparing every tensor would
    /// cost more than the editor can spend per frame.
    public static func == (a: Checkpoint, b: Checkpoint) -> Bool { a === b }
}

/// Turns a checkpoint's tensor listing into a read-only model: one `custom` row per module that
/// holds tensors directly, named by its module path, in the module tree's order. A row's count is
/// the sum of its tensors' elements, its `category` the kind most of its values have by their
/// names (`TensorClassifier`), and a row holding nothing but known buffers (rotary frequencies, causal masks) is not trainable,
/// so the total stays the sum of every tensor while the trainable figure leaves buffers out.
enum CheckpointModel {
    /// Which tensors each row holds: `order` lists tensor indices row after row, `ranges` says
    /// where each row's run is, by the row's name path.
    struct Rows {
        var order: [Int32] = []
        var ranges: [String: Range<Int>] = [:]
    }

    static func build(_ listing: TensorListing, name: String?) throws(ModelError) -> (model: Model, rows: Rows) {
        let index = ModuleIndex(listing.tensors)
        var order: [Int32] = []
        order.reserveCapacity(listing.tensors.count)
        // Each row's run of `order`, in document order (the order `Model.namePaths` lists rows in).
        var runs: [Range<Int>] = []
        var layerCount = 0

        // Each row's name path, worked out on the way down while every name on it is non-empty
        // (an empty module name, from a tensor named `a..b`, is numbered by the model instead).
        var keys: [String] = []
        var plainNames = true

        func row(_ name: String, _ picks: some Collection<Int32>, key: String) -> Layer {
            var elements = 0
            var buffersOnly = true
            // The kind of the row's parameters (buffers are no kind's), usually one for the whole row.
            var kind: Category?
            var mixed = false
            listing.tensors.withUnsafeBufferPointer { all in
                for i in picks {
                    let t = all[Int(i)]
                    // Each sum is part of the listing's total, which was checked.
                    elements += t.elements
                    if TensorClassifier.isBuffer(t.name) { continue }
                    buffersOnly = false
                    let c = TensorClassifier.category(of: t.name)
                    if kind == nil { kind = c } else if kind != c { mixed = true }
                }
            }
            if mixed {
                // Kinds disagree within one module: the row goes where most of its values do.
                var sums = Array(repeating: 0, count: Category.allCases.count)
                for i in picks where !TensorClassifier.isBuffer(listing.tensors[Int(i)].name) {
                    sums[TensorClassifier.category(of: listing.tensors[Int(i)].name).rawValue] += listing.tensors[Int(i)].elements
                }
                kind = Category(rawValue: sums.indices.max { sums[$0] != sums[$1] ? sums[$0] < sums[$1] : $0 > $1 }!)
            }
            let category = kind ?? .other
            var fields: [(Field, FieldValue)] = [(.params, .int(elements))]
            if category != .other { fields.append((.category, .option(category.option))) }
            let start = order.count
            order += picks
            runs.append(start..<order.count)
            keys.append(key)
            if name.isEmpty { plainNames = false }
            layerCount += 1
            return Layer(.custom, name: name, trainable: !buffersOnly, fields)
        }

        /// The layers inside module `n`: its own tensors first (as one row named after them), then
        /// a row for each child holding tensors only, a group for each child with modules inside.
        /// Depth is bounded: TensorListing refuses names nested deeper than `maxModuleDepth`.
        func layers(inside n: Int32, path: String) -> [Layer] {
            let node = index.nodes[Int(n)]
            var out: [Layer] = []
            func key(_ name: String) -> String { n == 0 ? name : path + "/" + name }
            if !node.tensors.isEmpty {
                if n == 0 {
                    // Tensors at the top (a ViT's `cls_token`) are rows of their own.
                    for i in node.tensors {
                        let name = listing.tensors[Int(i)].name
                        out.append(row(name, CollectionOfOne(i), key: name))
                    }
                } else {
                    // GPT-2's `attn` holds its causal mask beside its `c_attn` and `c_proj`.
                    let name = node.tensors.map { ModuleNode.localName(listing.tensors[Int($0)]) }.joined(separator: "+")
                    out.append(row(name, node.tensors, key: key(name)))
                }
            }
            for c in node.children {
                let child = index.nodes[Int(c)]
                let name = String(child.name)
                if child.children.isEmpty {
                    out.append(row(name, child.tensors, key: key(name)))
                } else {
                    layerCount += 1
                    if name.isEmpty { plainNames = false }
                    out.append(Layer.group(name: name, layers(inside: c, path: key(name))))
                }
            }
            return out
        }

        let model = Model(name: name, convention: .pytorch, layers: layers(inside: 0, path: ""))
        guard !runs.isEmpty else {
            throw ModelError(file: listing.files.first ?? "", "holds no tensors; there is nothing to count")
        }
        guard layerCount <= ModelFile.maxLayers else {
            throw ModelError(file: listing.files.first ?? "", "has \(Format.grouped(layerCount)) modules; at most "
                             + "\(Format.grouped(ModelFile.maxLayers)) rows and groups are allowed")
        }
        if !plainNames {
            // As the model names them: an empty name is numbered like an unnamed layer.
            keys = model.namePaths().filter { model.layer(at: $0.path)?.kind == .custom }.map(\.name)
        }
        var rows = Rows(order: order)
        rows.ranges.reserveCapacity(runs.count)
        // Two rows of one name path (`a` beside `a.weight`) keep the first's tensors.
        for (key, run) in zip(keys, runs) where rows.ranges[key] == nil { rows.ranges[key] = run }
        return (model, rows)
    }
}
