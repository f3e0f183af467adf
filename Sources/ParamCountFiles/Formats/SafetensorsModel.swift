import Foundation
import ParamCountCore

/// safetensors checkpoints as read-only models: one `.safetensors` file, a shard index
/// (`model.safetensors.index.json`), or a folder holding either. Only the headers are read
/// (`Safetensors`); a `config.json` beside the weights is counted too and checked against them
/// when a config reader is registered.
struct SafetensorsModel: ModelFormatReader {
    var name: String { "safetensors" }

    /// A safetensors file starts with the length of its JSON header (8 bytes, little-endian), then
    /// the header's `{`; the length must fit in the file, which rules out text that happens to have
    /// a `{` as its ninth byte (eight bytes of text read as a length are far beyond any file size).
    /// A file named `.safetensors` is one too, so a damaged one hears what is wrong with it rather
    /// than a YAML error. An index is known by its name; a folder of weights by the files it holds.
    func recognizes(_ input: ModelInput) -> Bool {
        if input.isFolder {
            return input.folderEntries().contains { isWeights($0) || isIndex($0) }
        }
        if input.pathExtension == "safetensors" { return true }
        if let path = input.path, isIndex((path as NSString).lastPathComponent) { return true }
        guard input.head.count >= 9, input.head[8] == UInt8(ascii: "{") else { return false }
        let length = input.head[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return length >= 2 && length <= UInt64(max(0, input.size - 8))
    }

    private func isWeights(_ name: String) -> Bool { !name.hasPrefix(".") && name.lowercased().hasSuffix(".safetensors") }
    private func isIndex(_ name: String) -> Bool { name.lowercased().hasSuffix(".safetensors.index.json") }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        let listing: TensorListing
        var folder: String?
        if let bytes = input.bytesInMemory {
            // Standard input or a pipe: what was read is all there is, within the loader's limit.
            guard bytes.count <= ModelFile.maxBytes else {
                throw ModelError(file: input.name, "holds more than 16 MiB; open a checkpoint as a file, not from a pipe")
            }
            if let path = input.path, isIndex((path as NSString).lastPathComponent) {
                throw ModelError(file: input.name, "a shard index must be opened as a file, so its shards can be found beside it")
            }
            listing = try Safetensors.parse(bytes: bytes, file: input.name)
        } else if let path = input.path {
            listing = try Safetensors.read(path: path)
            folder = input.isFolder ? path : (path as NSString).deletingLastPathComponent
        } else {
            throw ModelError(file: input.name, "cannot be read as safetensors")
        }
        let (model, rows) = try CheckpointModel.build(listing, name: CheckpointNaming.name(of: input))
        let check = folder.flatMap { ConfigBeside.check(folder: $0, listing: listing) }
        return LoadedModel(model: model, origin: input.reference.description, format: name, saveTarget: nil,
                           sourceFormat: .safetensors, modelClass: nil,
                           checkpoint: Checkpoint(listing: listing, rows: rows, configCheck: check))
    }
}

/// How a checkpoint's model is named when its file does not say: by the folder it sits in when
/// its own name is the generic `model` (`Llama-2-7b-hf/model.safetensors`), else by its own name.
enum CheckpointNaming {
    static func name(of input: ModelInput) -> String? {
        guard let path = input.path else { return nil }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if input.isFolder { return nonEmpty(url.lastPathComponent) }
        var stem = url.lastPathComponent
        for suffix in [".safetensors.index.json", ".safetensors", ".gguf"] where stem.lowercased().hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        // Shards are named model-00001-of-00002: the folder names the model.
        if stem.lowercased() == "model" || stem.lowercased().hasPrefix("model-0") {
            return nonEmpty(url.deletingLastPathComponent().lastPathComponent) ?? stem
        }
        return nonEmpty(stem)
    }

    private static func nonEmpty(_ s: String) -> String? { s.isEmpty || s == "/" ? nil : s }
}

/// Reads the `config.json` beside a checkpoint's weights with the registered config reader (none
/// yet: the Hugging Face reader registers itself by conforming to `ModelConfigReader`).
enum ConfigBeside {
    static func check(folder: String, listing: TensorListing) -> ConfigCheck? {
        let path = (folder.isEmpty ? "." : folder) + "/config.json"
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, let reader = ModelFormats.configReader else { return nil }
        do {
            let input = try ModelInput(.file(path))
            guard reader.recognizes(input) else { return nil }
            let loaded = try reader.read(input)
            return checkAgainstConfig(listing: listing, configModel: loaded.model, configClass: loaded.modelClass)
        } catch {
            return ConfigCheck(problem: "\(TerminalSafe.escape(path)) was not checked: \(error.message)")
        }
    }
}
