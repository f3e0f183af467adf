import ParamCountCore

/// Formats recognized so that they get a clear answer instead of a confusing YAML or schema error,
/// until their readers exist. Each real reader replaces its line in `ModelFormats.readers`.
struct NotYetSupported: ModelFormatReader {
    let name: String
    let message: String
    let test: @Sendable (ModelInput) -> Bool

    func recognizes(_ input: ModelInput) -> Bool { test(input) }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        throw ModelError(file: input.name, message)
    }

    /// A Hugging Face `config.json`: JSON with `model_type` and no `layers`; or a folder holding one.
    static let huggingFaceConfig = NotYetSupported(name: "Hugging Face config",
                                                   message: "Hugging Face config.json files are not supported yet") { input in
        if input.isFolder { return input.folderHas("config.json") }
        guard input.looksLikeJSON, let keys = input.jsonTopLevelKeys else { return false }
        return keys.contains("model_type") && !keys.contains("layers")
    }
}
