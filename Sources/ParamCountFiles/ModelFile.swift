import Foundation
import ParamCountCore

/// The formats paramcount writes (and reads with its own schema).
public enum FileFormat: String, Sendable {
    case yaml, json

    /// JSON for `.json`, YAML for everything else.
    public init(path: String) { self = path.lowercased().hasSuffix(".json") ? .json : .yaml }
}

/// Where each layer and field of a loaded model was written, so errors found later (by the counter)
/// can still point at a line. Shaped like the model: a group's layers and a parallel's branches
/// hold their own entries.
public struct SourceMap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The line the layer starts on.
        public var line: Int?
        /// The line of each key the layer sets.
        public var fields: [String: Int] = [:]
        public var body: [Entry] = []
        public var branches: [[Entry]] = []

        public init(line: Int?, fields: [String: Int] = [:]) {
            self.line = line
            self.fields = fields
        }
    }

    public var layers: [Entry] = []
    /// The line of the model's `input:`.
    public var input: Int?

    public init() {}

    public func line(layer: Int?, field: String?) -> Int? {
        line(path: layer.map(LayerPath.top), field: field)
    }

    /// The line of `field` in the layer at `path`, else the layer's first line; nil when the map
    /// does not reach that far (a model built in code).
    public func line(path: LayerPath?, field: String?) -> Int? {
        guard let path, let entry = entry(at: path) else { return nil }
        if let field, let l = entry.fields[field] { return l }
        return entry.line
    }

    /// Where an error found in the model points in the file.
    public func line(of error: ModelError) -> Int? {
        if error.path == nil, error.layer == nil, error.field == "input" { return input }
        return line(path: error.path ?? error.layer.map(LayerPath.top), field: error.field)
    }

    public func entry(at path: LayerPath) -> Entry? {
        path.follow(layers) { entry, branch in branch.map { entry.branches.indices.contains($0) ? entry.branches[$0] : [] } ?? entry.body }
    }
}

/// Where a model can be written back to: the file it came from, in the format it was in.
public struct SaveTarget: Sendable, Equatable {
    public var path: String
    public var format: FileFormat

    public init(path: String, format: FileFormat) {
        self.path = path
        self.format = format
    }
}

/// The kind of source a model came from, as `count --format json` names it (`source_format`).
public enum SourceFormat: String, Sendable, Equatable {
    /// paramcount's own YAML or JSON, and the presets.
    case paramcount
    case safetensors
    case gguf
    /// A Hugging Face `config.json`.
    case hfConfig = "hf-config"
}

public struct LoadedModel: Sendable, Equatable {
    public var model: Model
    public var source: SourceMap
    /// As the user named it: a path, `preset:NAME` or `-`.
    public var origin: String
    /// The reader that read it ("paramcount YAML", "preset").
    public var format: String
    /// nil when saving must ask for a new name: a preset, standard input, or a file in a format
    /// paramcount reads but does not write (it is never overwritten in paramcount's format).
    public var saveTarget: SaveTarget?
    public var sourceFormat: SourceFormat
    /// The class that was counted, for sources that name one (a Hugging Face config's
    /// `architectures[0]`); nil otherwise.
    public var modelClass: String?
    /// What was read from a checkpoint's headers: its tensors by module, dtypes, metadata.
    public var checkpoint: Checkpoint?

    public init(model: Model, source: SourceMap = SourceMap(), origin: String, format: String, saveTarget: SaveTarget?,
                sourceFormat: SourceFormat = .paramcount, modelClass: String? = nil, checkpoint: Checkpoint? = nil) {
        self.model = model
        self.source = source
        self.origin = origin
        self.format = format
        self.saveTarget = saveTarget
        self.sourceFormat = sourceFormat
        self.modelClass = modelClass
        self.checkpoint = checkpoint
    }
}

public enum ModelFile {
    public static let maxBytes = 16 * 1024 * 1024
    public static let maxLayers = 1_000_000

    /// Loads a preset, a file or a folder in any format paramcount reads, and checks it counts
    /// (every layer valid, no overflow) under its own convention.
    public static func load(_ reference: ModelReference) throws(ModelError) -> LoadedModel {
        if case .preset(let name) = reference {
            guard let preset = Presets.named(name) else {
                throw ModelError(file: reference.description, "no such preset; the presets are: "
                                 + Presets.all.map(\.id).joined(separator: ", "))
            }
            return LoadedModel(model: preset.model, origin: reference.description, format: "preset", saveTarget: nil)
        }
        return try ModelFormats.read(try ModelInput(reference))
    }

    /// Loads what a user typed: `preset:NAME` or a path (see `ModelReference.init`).
    public static func load(_ text: String) throws(ModelError) -> LoadedModel {
        try load(ModelReference(text))
    }

    /// Reads contents as if they were the file of this name (the format is chosen the same way, by
    /// the registered readers, and the save target is that name). For fuzzing and in-memory stores.
    public static func read(_ bytes: [UInt8], named name: String) throws(ModelError) -> LoadedModel {
        try ModelFormats.read(ModelInput(bytes: bytes, reference: .file(name)))
    }

    /// Reads contents in paramcount's own schema, in the given syntax, as if they were the file
    /// named `file` (named in error messages, and the save target).
    public static func parse(_ bytes: [UInt8], format: FileFormat, file: String) throws(ModelError) -> LoadedModel {
        let input = ModelInput(bytes: bytes, reference: .file(file))
        return try format == .json ? ParamcountJSON().read(input) : ParamcountYAML().read(input)
    }

    public static func parse(_ text: String, format: FileFormat, file: String) throws(ModelError) -> LoadedModel {
        try parse(Array(text.utf8), format: format, file: file)
    }
}
