import ParamCountCore

/// llama.cpp's GGUF files (versions 2 and 3) as read-only models, read by their headers alone
/// (`GGUF`). Rows are llama.cpp's tensor names (`blk.0.attn_q`); the count is the number of values
/// whatever the quantisation, the bytes those of the stored types.
struct GGUFModel: ModelFormatReader {
    var name: String { "GGUF" }

    /// Starts with the magic `GGUF` (or `FUGG`, the big-endian files' magic), or is named `.gguf`:
    /// a damaged GGUF file then hears what is wrong with it rather than a YAML error.
    func recognizes(_ input: ModelInput) -> Bool {
        !input.isFolder && (input.pathExtension == "gguf" || Formats.sniff(firstBytes: input.head) == .gguf)
    }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        let listing: TensorListing
        if let bytes = input.bytesInMemory {
            guard bytes.count <= ModelFile.maxBytes else {
                throw ModelError(file: input.name, "holds more than 16 MiB; open a checkpoint as a file, not from a pipe")
            }
            listing = try GGUF.parse(bytes: bytes, file: input.name)
        } else if let path = input.path {
            listing = try GGUF.read(path: path)
        } else {
            throw ModelError(file: input.name, "cannot be read as GGUF")
        }
        // The file's own name for the model, unless it is empty.
        let stated = listing.value(of: "general.name").flatMap { $0.isEmpty ? nil : $0 }
        let (model, rows) = try CheckpointModel.build(listing, name: stated ?? CheckpointNaming.name(of: input))
        return LoadedModel(model: model, origin: input.reference.description, format: name, saveTarget: nil,
                           sourceFormat: .gguf, modelClass: nil,
                           checkpoint: Checkpoint(listing: listing, rows: rows, configCheck: nil))
    }
}
