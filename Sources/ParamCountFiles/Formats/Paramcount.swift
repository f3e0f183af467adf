import ParamCountCore

/// paramcount's own model files in JSON: a `.json` file (or a stream starting with `{`) that no
/// reader earlier in the list claimed by its keys.
struct ParamcountJSON: ModelFormatReader {
    var name: String { "paramcount JSON" }

    func recognizes(_ input: ModelInput) -> Bool { !input.isFolder && input.looksLikeJSON }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        try checkNotEmpty(try input.contents(), input)
        let (model, source) = try ParamcountSchema.read(try input.json(), file: input.name)
        return loaded(model, source, input, format: .json, reader: name)
    }
}

/// paramcount's own model files in YAML: any other file, so the last in the list.
struct ParamcountYAML: ModelFormatReader {
    var name: String { "paramcount YAML" }

    func recognizes(_ input: ModelInput) -> Bool { !input.isFolder }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        let bytes = try input.contents()
        try checkNotEmpty(bytes, input)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ModelError(file: input.name, "is not UTF-8 text")
        }
        let (model, source) = try ParamcountSchema.read(try YAMLReader.parse(text, file: input.name), file: input.name)
        return loaded(model, source, input, format: .yaml, reader: name)
    }
}

private func checkNotEmpty(_ bytes: [UInt8], _ input: ModelInput) throws(ModelError) {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
        throw ModelError(file: input.name, "is empty: a model needs at least 'layers:' with one layer")
    }
}

/// A file in paramcount's format is saved back where it came from; standard input is not.
private func loaded(_ model: Model, _ source: SourceMap, _ input: ModelInput, format: FileFormat, reader: String) -> LoadedModel {
    let target: SaveTarget?
    if case .file(let path) = input.reference { target = SaveTarget(path: path, format: format) } else { target = nil }
    return LoadedModel(model: model, source: source, origin: input.reference.description, format: reader, saveTarget: target)
}
