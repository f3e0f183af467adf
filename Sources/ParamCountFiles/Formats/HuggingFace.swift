import Foundation
import ParamCountCore

/// A Hugging Face `config.json`: JSON with `model_type` and no `layers` (which would make it
/// paramcount's own JSON), or a folder holding one. It opens as the paramcount model of the class
/// named in `architectures[0]`, made of paramcount's kinds with the transformers module names, so
/// it can be edited; it is never written back over the config (saving asks for a name).
struct HuggingFaceConfigReader: ModelConfigReader {
    var name: String { HuggingFace.formatName }

    func recognizes(_ input: ModelInput) -> Bool {
        if input.isFolder { return input.folderHas("config.json") }
        guard input.looksLikeJSON, let keys = input.jsonTopLevelKeys else { return false }
        return keys.contains("model_type") && !keys.contains("layers")
    }

    func read(_ input: ModelInput) throws(ModelError) -> LoadedModel {
        if input.isFolder, let folder = input.path {
            let file = try ModelInput(.file(HuggingFace.join(folder, "config.json")))
            return try HuggingFace.read(file, origin: input.reference.description)
        }
        return try HuggingFace.read(input, origin: input.reference.description)
    }
}

public enum HuggingFace {
    /// How reports and `LoadedModel.format` name the format.
    public static let formatName = "Hugging Face config"

    /// Reads a config.json into the model paramcount counts for it.
    public static func readConfig(path: String) throws(ModelError) -> LoadedModel {
        try read(try ModelInput(.file(path)), origin: path)
    }

    /// A config.json held in memory, named `file` in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(ModelError) -> LoadedModel {
        try read(ModelInput(bytes: bytes, reference: .file(file)), origin: file)
    }

    static func read(_ input: ModelInput, origin: String) throws(ModelError) -> LoadedModel {
        let config = try HFConfig(try input.json(), file: input.name)
        let model = try model(config, title: title(config, file: input.path))
        return LoadedModel(model: model, origin: origin, format: formatName, saveTarget: nil,
                           sourceFormat: .hfConfig, modelClass: config.className)
    }

    /// The paramcount model of the config's class, checked to count.
    static func model(_ config: HFConfig, title: String) throws(ModelError) -> Model {
        let model = Model(name: title, convention: .pytorch, layers: try modules(config).map(\.layer))
        do { _ = try Counter.count(model) } catch {
            throw ModelError(file: config.file, "the model this config describes cannot be counted: \(error.description)")
        }
        return model
    }

    /// The module tree of the config's class, from the family's file.
    static func modules(_ config: HFConfig) throws(ModelError) -> [HFModule] {
        switch config.family {
        case .gpt2, .gpt_neox, .opt, .falcon: return try HFClassic.build(config)
        case .bert, .roberta, .t5: return try HFEncoders.build(config)
        default: return try HFDecoders.build(config)
        }
    }

    /// What the model is called: the hub name in `_name_or_path`, else the folder holding a file
    /// named config.json, else the file's name; then the class counted.
    /// On standard input, with no file name, the family names it.
    static func title(_ config: HFConfig, file: String?) -> String {
        // Path components from the text, not URL(fileURLWithPath:), which asks the file system.
        func components(_ path: String) -> [Substring] { path.split(separator: "/").filter { $0 != "." } }
        var base: String
        if let hub = config.nameOrPath {
            base = hub.hasPrefix("/") || hub.hasPrefix(".") ? String(components(hub).last ?? "") : hub
        } else if let file {
            var parts = components(file)
            let name = parts.popLast() ?? ""
            if name == "config.json" {
                base = parts.last.map(String.init) ?? ""
                if base.isEmpty || base == ".." {
                    base = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().lastPathComponent
                }
            } else {
                base = String(name.lastIndex(of: ".").map { $0 == name.startIndex ? name : name[..<$0] } ?? name)
            }
        } else {
            base = config.family.rawValue
        }
        if base.isEmpty || base == "." || base == "/" { base = config.family.rawValue }
        return base + " (" + config.className + ")"
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
