import ParamCountCore

/// One way of reading a model from a file or folder. A new format is one type conforming to this,
/// in its own file under Formats/, and one line in `ModelFormats.readers`.
public protocol ModelFormatReader: Sendable {
    /// How messages and reports name the format ("paramcount YAML", "safetensors").
    var name: String { get }
    /// Whether the input is in this format, decided from its name, its first bytes, or (for JSON)
    /// its top-level keys. Must not fail: an input that cannot be read is left to a later reader.
    func recognizes(_ input: ModelInput) -> Bool
    /// Reads the model; called only after `recognizes` said yes. A reader of a format paramcount
    /// does not write returns no `saveTarget`, so the editor never writes over the original.
    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel
}

/// A reader of a configuration that describes weights stored beside it (a Hugging Face
/// `config.json`). When a checkpoint's folder holds such a file, the checkpoint reader counts it
/// too and checks the weights against it (`checkAgainstConfig`).
public protocol ModelConfigReader: ModelFormatReader {}

public enum ModelFormats {
    /// Asked in this order; the first that recognizes an input reads it. Formats with a signature
    /// in their first bytes come first, then JSON told apart by its keys, then YAML, which takes
    /// any other file.
    static let readers: [any ModelFormatReader] = [
        GGUFModel(),
        SafetensorsModel(),
        HuggingFaceConfigReader(),
        ParamcountJSON(),
        ParamcountYAML(),
    ]

    /// The registered reader of configs that sit beside weights, if there is one.
    static var configReader: (any ModelConfigReader)? {
        for reader in readers { if let r = reader as? any ModelConfigReader { return r } }
        return nil
    }

    /// Reads an input with the first reader that recognizes it.
    static func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        guard let reader = readers.first(where: { $0.recognizes(input) }) else {
            throw ModelError(file: input.name, input.isFolder
                             ? "is a folder, not a model file (open a model file inside it)"
                             : "is in no format paramcount reads")
        }
        return try reader.read(input)
    }
}
