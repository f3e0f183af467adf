import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// A scratch folder removed when the value goes away.
final class ScratchFolder {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pc-files-\(UUID())").path

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

func loadFailure(_ reference: String) -> ModelError? {
    do { _ = try ModelFile.load(reference) } catch { return error }
    Issue.record("expected \(reference) to fail")
    return nil
}

@Suite("model references and formats")
struct FormatTests {
    static let yaml = "layers:\n  - kind: dense\n    in: 3\n    out: 4\n"
    static let json = #"{"layers": [{"kind": "dense", "in": 3, "out": 4}]}"#

    @Test func referencesAreParsedOnce() throws {
        let dir = try ScratchFolder()
        #expect(ModelReference("preset:bert-base") == .preset("bert-base"))
        #expect(ModelReference(dir.path) == .folder(dir.path))
        #expect(ModelReference(dir.path + "/m.yaml") == .file(dir.path + "/m.yaml"))
        // Only the count command's arguments read `-` as standard input; a prompt never does.
        #expect(ModelReference("-") == .file("-"))
        #expect(ModelReference.commandLine("-") == .standardInput)
        #expect(ModelReference.commandLine("preset:x").description == "preset:x")
    }

    @Test func paramcountFilesAreSavedBackWhereTheyCameFrom() throws {
        let dir = try ScratchFolder()
        let y = try ModelFile.load(try dir.write("m.yaml", Self.yaml))
        #expect(y.saveTarget == SaveTarget(path: dir.path + "/m.yaml", format: .yaml))
        #expect(y.format == "paramcount YAML")
        let j = try ModelFile.load(try dir.write("m.json", Self.json))
        #expect(j.saveTarget == SaveTarget(path: dir.path + "/m.json", format: .json))
        #expect(j.format == "paramcount JSON")
        #expect(j.model == y.model)
        #expect(try ModelFile.load("preset:lenet5").saveTarget == nil)
    }

    @Test func aHuggingFaceConfigIsToldApartByItsKeys() throws {
        let dir = try ScratchFolder()
        // Abridged from bert-base-uncased's config.json.
        let config = #"{"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 768, "num_hidden_layers": 12}"#
        let file = try ModelFile.load(try dir.write("config.json", config))
        #expect(file.format == "Hugging Face config")
        #expect(file.modelClass == "BertForMaskedLM")
        // Never written back over the config: saving asks for a name.
        #expect(file.saveTarget == nil)
        // transformers.BertForMaskedLM(BertConfig()) has 109,514,298 parameters (bert-base-uncased's class).
        #expect(try Counter.count(file.model).total == 109_514_298)
        // A folder holding one, as downloaded from the hub.
        #expect(try ModelFile.load(dir.path).model == file.model)
        // A bad one is an error about the config, located.
        let e = loadFailure(try dir.write("config.json", #"{"model_type": "bert", "hidden_size": -1}"#))
        #expect(e?.file == dir.path + "/config.json")
        #expect(e?.field == "hidden_size")
        // `model_type` beside `layers` is paramcount's schema, which reports the unknown key.
        let ours = loadFailure(try dir.write("m.json", #"{"model_type": "x", "layers": [{"kind": "dense", "in": 1, "out": 1}]}"#))
        #expect(ours?.field == "model_type")
        #expect(ours?.message.contains("is not a top-level key") == true)
    }

    @Test func binaryFormatsAreRecognizedByTheirFirstBytes() throws {
        let dir = try ScratchFolder()
        // safetensors: an 8-byte little-endian header length, then the JSON header.
        let header = Array(#"{"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}"#.utf8)
        var st = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
        st += [UInt8](repeating: 0, count: 16)
        // Whatever the file is called: the header decides.
        for name in ["model.safetensors", "weights.bin"] {
            let loaded = try ModelFile.load(try dir.write(name, st))
            #expect(loaded.sourceFormat == .safetensors && loaded.format == "safetensors")
            #expect(try Counter.count(loaded.model).total == 4)
            #expect(loaded.saveTarget == nil)
        }
        // GGUF: the magic, then a version; this one lists no tensors, which is worth saying.
        let gguf = Array("GGUF".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        let e = loadFailure(try dir.write("model.gguf", gguf))
        #expect(e?.message == "holds no tensors; there is nothing to count")
        #expect(e?.file == dir.path + "/model.gguf")
        // A folder of shards.
        let shards = try ScratchFolder()
        try shards.write("model-00001-of-00002.safetensors", st)
        #expect(try ModelFile.load(shards.path).sourceFormat == .safetensors)
    }

    @Test func theExtensionIsReadFromTheName() {
        func ext(_ path: String) -> String { ModelInput(bytes: [], reference: .file(path)).pathExtension }
        #expect(ext("models/config.JSON") == "json")
        #expect(ext("a.b/model") == "")
        #expect(ext("dir/.hidden") == "")
        #expect(ext("dir/.hidden.yaml") == "yaml")
        #expect(ext("weights.") == "")
        #expect(ext("model.safetensors.index.json") == "json")
        #expect(ModelInput(bytes: [], reference: .standardInput).pathExtension == "")
    }

    @Test func textWithABraceAtTheNinthByteIsStillYAML() throws {
        let dir = try ScratchFolder()
        // "layers: " is eight bytes; read as a length it is far beyond the file's size.
        let e = loadFailure(try dir.write("m.yaml", "layers: {kind: dense}\n"))
        #expect(e?.message.contains("must be a list of layers") == true)
    }

    @Test func anEmptyFolderIsNotAModel() throws {
        let dir = try ScratchFolder()
        #expect(loadFailure(dir.path)?.message.hasPrefix("is a folder, not a model file") == true)
    }

    @Test func contentsInMemoryGoThroughTheSameRegistry() throws {
        #expect(try ModelFile.read(Array(Self.json.utf8), named: "m.json").saveTarget == SaveTarget(path: "m.json", format: .json))
        #expect(throws: ModelError.self) { try ModelFile.read(Array("GGUF\u{3}\0\0\0".utf8), named: "m.yaml") }
    }
}
