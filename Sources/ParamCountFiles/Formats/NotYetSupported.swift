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

    /// llama.cpp's GGUF: starts with the magic "GGUF".
    static let gguf = NotYetSupported(name: "GGUF", message: "GGUF files are not supported yet") { input in
        !input.isFolder && input.head.starts(with: Array("GGUF".utf8))
    }

    /// A safetensors file starts with the length of its JSON header (8 bytes, little-endian), then
    /// the header's `{`; the length must fit in the file, which rules out text that happens to have
    /// a `{` as its ninth byte (eight bytes of text read as a length are far beyond any file size).
    /// A folder of weights holds `.safetensors` files.
    static let safetensors = NotYetSupported(name: "safetensors", message: "safetensors files are not supported yet") { input in
        if input.isFolder {
            return input.folderEntries().contains { $0.hasSuffix(".safetensors") || $0 == "model.safetensors.index.json" }
        }
        guard input.head.count >= 9, input.head[8] == UInt8(ascii: "{") else { return false }
        let length = input.head[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return length >= 2 && length <= UInt64(max(0, input.size - 8))
    }

    /// A Hugging Face `config.json`: JSON with `model_type` and no `layers`; or a folder holding one.
    static let huggingFaceConfig = NotYetSupported(name: "Hugging Face config",
                                                   message: "Hugging Face config.json files are not supported yet") { input in
        if input.isFolder { return input.folderHas("config.json") }
        guard input.looksLikeJSON, let keys = input.jsonTopLevelKeys else { return false }
        return keys.contains("model_type") && !keys.contains("layers")
    }
}
