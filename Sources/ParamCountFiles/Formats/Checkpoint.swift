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
    /// Tensors by the row holding them: the module's path, or a top-level tensor's own name.
    private let rows: [String: [TensorInfo]]

    init(listing: TensorListing, rows: [String: [TensorInfo]], configCheck: ConfigCheck?) {
        format = listing.format
        files = listing.files
        totalElements = listing.totalElements
        bytesByDtype = listing.bytesByDtype
        metadata = listing.metadata
        summary = listing.summary
        self.rows = rows
        self.configCheck = configCheck
    }

    /// The tensors a row holds directly, in file order; nil for a row the checkpoint does not have
    /// (a layer added to an edited copy).
    public func tensors(ofModule path: String) -> [TensorInfo]? { rows[path] }

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
/// the sum of its tensors' elements, and a row holding nothing but known buffers (rotary frequencies, causal masks) is not trainable,
/// so the total stays the sum of every tensor while the trainable figure leaves buffers out.
enum CheckpointModel {
    static func build(_ listing: TensorListing, name: String?) throws(ModelError) -> (model: Model, rows: [String: [TensorInfo]]) {
        let root = ModuleTree.build(listing)
        var layers: [Layer] = []
        var rows: [String: [TensorInfo]] = [:]
        func add(_ path: String, _ tensors: [TensorInfo]) {
            var elements = 0
            // Each sum is part of the listing's total, which was checked.
            for t in tensors { elements += t.elements }
            let buffersOnly = tensors.allSatisfy { TensorClassifier.isBuffer($0.name) }
            layers.append(Layer(.custom, name: path, trainable: !buffersOnly, [(.params, .int(elements))]))
            rows[path, default: []] += tensors
        }
        func visit(_ node: ModuleNode) {
            if !node.tensors.isEmpty {
                if node.path.isEmpty {
                    // Tensors at the top (a ViT's `cls_token`) are rows of their own.
                    for t in node.tensors { add(t.name, [t]) }
                } else {
                    add(node.path, node.tensors)
                }
            }
            // Depth is bounded: TensorListing refuses names nested deeper than `maxModuleDepth`.
            for child in node.children { visit(child) }
        }
        visit(root)
        guard !layers.isEmpty else {
            throw ModelError(file: listing.files.first ?? "", "holds no tensors; there is nothing to count")
        }
        guard layers.count <= ModelFile.maxLayers else {
            throw ModelError(file: listing.files.first ?? "", "has \(layers.count) modules holding tensors; at most "
                             + "\(Format.grouped(ModelFile.maxLayers)) rows are allowed")
        }
        return (Model(name: name, convention: .pytorch, layers: layers), rows)
    }
}
