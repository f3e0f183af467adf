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
    /// The rows as read, in order: each one's name (the module's path, or a top-level tensor's own
    /// name) and where its tensors are in `order`.
    private let rowNames: [String]
    private let rowRanges: [Range<Int>]
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
        rowNames = rows.names
        rowRanges = rows.ranges
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

    /// The tensors a row holds directly, in file order; nil for a row the checkpoint does not have
    /// (a layer added to an edited copy). `row` is where the layer is in the model: as read, that
    /// is where its tensors are; after edits moved it, it is found by name.
    public func tensors(ofModule path: String, row: Int) -> Row? {
        if rowNames.indices.contains(row), rowNames[row] == path {
            return Row(all: tensors, picks: order[rowRanges[row]])
        }
        // A scan rather than a table by name, which every count would pay for to serve the editor
        // after an edit: a few milliseconds for 100,000 rows, once per frame at most.
        return rowNames.firstIndex(of: path).map { Row(all: tensors, picks: order[rowRanges[$0]]) }
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
    /// where each row's run is.
    struct Rows {
        var order: [Int32] = []
        var names: [String] = []
        var ranges: [Range<Int>] = []
    }

    static func build(_ listing: TensorListing, name: String?) throws(ModelError) -> (model: Model, rows: Rows) {
        let index = ModuleIndex(listing.tensors)
        var layers: [Layer] = []
        var rows = Rows()
        rows.order.reserveCapacity(listing.tensors.count)
        layers.reserveCapacity(listing.tensors.count)
        rows.names.reserveCapacity(listing.tensors.count)
        rows.ranges.reserveCapacity(listing.tensors.count)
        func add(_ path: String, _ picks: some Collection<Int32>) {
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
            layers.append(Layer(.custom, name: path, trainable: !buffersOnly, fields))
            let start = rows.order.count
            rows.order += picks
            rows.names.append(path)
            rows.ranges.append(start..<rows.order.count)
        }
        index.modulesHoldingTensors { path, node in
            if path.isEmpty {
                // Tensors at the top (a ViT's `cls_token`) are rows of their own.
                for i in node.tensors { add(listing.tensors[Int(i)].name, CollectionOfOne(i)) }
            } else {
                add(path, node.tensors)
            }
        }
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
