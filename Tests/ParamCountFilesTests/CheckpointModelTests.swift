import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// Checkpoints opened as models through the format registry: what `count` and the editor get.
@Suite("checkpoints as models")
struct CheckpointModelTests {
    static let fixtures = TensorFixtureTests.folder.path

    /// The totals the reference libraries report for the committed fixtures
    /// (scripts/reference/make_tensor_fixtures.py: safetensors 0.8.0 and gguf 0.19.0).
    static func expected(_ file: String) -> [String: Any] {
        let data = try! Data(contentsOf: TensorFixtureTests.folder.appendingPathComponent("expected.json"))
        let files = (try! JSONSerialization.jsonObject(with: data) as! [String: Any])["files"] as! [String: Any]
        return files[file] as! [String: Any]
    }

    static func expectedTotal(_ file: String) -> Int { expected(file)["total_elements"] as! Int }
    static func expectedBytes(_ file: String) -> [String: Int] { expected(file)["bytes_by_dtype"] as! [String: Int] }

    func counted(_ reference: String) throws -> (LoadedModel, ModelCount) {
        let loaded = try ModelFile.load(reference)
        return (loaded, try Counter.count(loaded.model))
    }

    @Test func fixturesCountWhatTheReferenceLibrariesRead() throws {
        for (reference, key) in [("llama-tiny.safetensors", "llama-tiny.safetensors"), ("sharded", "sharded"),
                                 ("sharded/model.safetensors.index.json", "sharded"), ("tiny.gguf", "tiny.gguf"),
                                 ("tiny-big-endian.gguf", "tiny-big-endian.gguf")] {
            let (loaded, count) = try counted(Self.fixtures + "/" + reference)
            #expect(count.total == Self.expectedTotal(key), "\(reference)")
            #expect(loaded.checkpoint?.bytesByDtype == Self.expectedBytes(key), "\(reference)")
            #expect(loaded.sourceFormat == (key.hasSuffix(".gguf") ? .gguf : .safetensors))
            #expect(loaded.saveTarget == nil, "a checkpoint is never written over")
            // Rows for modules holding tensors, groups for the modules around them.
            var kinds: Set<LayerKind> = []
            loaded.model.forEachLayer { _, layer in kinds.insert(layer.kind) }
            #expect(kinds.isSubset(of: [.custom, .group]))
        }
    }

    @Test func ggufNamesTheModelAndSummarisesItsMetadata() throws {
        let (loaded, _) = try counted(Self.fixtures + "/tiny.gguf")
        // expected.json: general.name "tiny llama", llama.block_count 2, context 128, width 256,
        // file type MOSTLY_Q4_K_M (gguf-py's name for llama.cpp's Q4_K_M).
        #expect(loaded.model.name == "tiny llama")
        let summary = Dictionary(uniqueKeysWithValues: try #require(loaded.checkpoint).shownSummary.map { ($0.key, $0.value) })
        #expect(summary["general.architecture"] == "llama")
        #expect(summary["llama.block_count"] == "2")
        #expect(summary["llama.context_length"] == "128")
        #expect(summary["llama.embedding_length"] == "256")
        #expect(summary["general.file_type"] == "Q4_K_M")
        #expect(loaded.checkpoint?.formatTitle == "GGUF v3")
    }

    // Llama-2-7B: 6,738,415,616 parameters (Meta's model card and the Hugging Face repository's
    // `model.safetensors.index.json`: 13,476,839,424 bytes of F16, 2 bytes per parameter, plus
    // the buffers); the published shards also hold 32 rotary `inv_freq` buffers of 64 values.
    @Test func sparseLlama2FolderIndexAndShard() throws {
        let dir = tensorTempDir("llama2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: false)
        for reference in [dir, dir + "/", dir + "/model.safetensors.index.json"] {
            let (loaded, count) = try counted(reference)
            #expect(count.total == 6_738_415_616)
            #expect(count.trainable == 6_738_415_616)
            #expect(loaded.model.name == URL(fileURLWithPath: dir).lastPathComponent)
            #expect(loaded.checkpoint?.bytesByDtype == ["F16": 2 * 6_738_415_616])
            #expect(loaded.checkpoint?.files.count == 2)
        }
        // One row per module holding tensors: the embedding, 7 projections and 2 norms in each of
        // 32 layers, the final norm and the head.
        let (loaded, count) = try counted(dir)
        // By kind, from the tensors' names: 4 attention projections of 4096², 3 MLP projections of
        // 4096×11008 per layer, the untied head as a dense layer (as the dense kind counts it).
        #expect(count.total(of: .attention) == 32 * 4 * 4_096 * 4_096)
        #expect(count.total(of: .ffn) == 32 * 3 * 4_096 * 11_008 + 32_000 * 4_096)
        #expect(count.total(of: .embedding) == 32_000 * 4_096)
        #expect(count.total(of: .norm) == 65 * 4_096)
        #expect(count.total(of: .other) == 0)
        // The module tree as groups: model (embed_tokens, layers (0 … 31), norm), lm_head.
        #expect(loaded.model.layers.map(\.name) == ["model", "lm_head"])
        #expect(loaded.model.layers.map(\.kind) == [.group, .custom])
        let model = loaded.model.layers[0]
        #expect(model.body.map(\.name) == ["embed_tokens", "layers", "norm"])
        // Numbered layers in numeric order, though a header sorts 10 before 2.
        #expect(model.body[1].body.map(\.name) == (0..<32).map(String.init))
        let layer0 = model.body[1].body[0]
        #expect(layer0.body.map(\.name) == ["self_attn", "mlp", "input_layernorm", "post_attention_layernorm"])
        #expect(layer0.body[0].body.map(\.name) == ["q_proj", "k_proj", "v_proj", "o_proj"])
        #expect(try Counter.count(loaded.model).layerCount(at: LayerPath([.layer(0), .layer(1), .layer(0)]))?.total == 202_383_360)
        // Rows, named by module: one per module holding tensors (embedding, 7 projections and 2
        // norms in each of 32 layers, the final norm and the head); every group holds some.
        var rows = 0, groups = 0
        loaded.model.forEachLayer { _, layer in if layer.kind == .custom { rows += 1 } else { groups += 1 } }
        #expect(rows == 1 + 32 * 9 + 2)
        #expect(groups == 1 + 1 + 32 * 3)
        // Every row finds its tensors by the name path the model gives it (the editor's quick way
        // of working it out agrees with the model's).
        var found = 0
        for (path, name) in loaded.model.namePaths() where loaded.model.layer(at: path)?.kind == .custom {
            #expect(Checkpoint.namePath(in: loaded.model, at: path) == name)
            if loaded.checkpoint?.tensors(at: name)?.isEmpty == false { found += 1 }
        }
        #expect(found == rows)
        // A row's tensors are found by its name path in the model.
        let q = try #require(loaded.checkpoint?.tensors(at: "model/layers/0/self_attn/q_proj"))
        #expect(loaded.model.namePath(at: LayerPath([.layer(0), .layer(1), .layer(0), .layer(0), .layer(0)])) == "model/layers/0/self_attn/q_proj")
        #expect(loaded.checkpoint?.tensors(at: "lm_head")?.map(\.name) == ["lm_head.weight"])
        #expect(loaded.checkpoint?.tensors(at: "model/layers") == nil)
        #expect(loaded.checkpoint?.tensors(at: "added/in/the/editor") == nil)
        #expect(q.map(\.name) == ["model.layers.0.self_attn.q_proj.weight"])
        #expect(q.map(\.shape) == [[4_096, 4_096]])
        #expect(q.map(\.dtype) == ["F16"])
        // One shard alone is part of the model.
        let first = try counted(dir + "/model-00001-of-00002.safetensors").1
        #expect(first.total < 6_738_415_616 && first.total > 0)
    }

    @Test func aCustomLayersCategoryIsReadWrittenAndCounted() throws {
        let yaml = "layers:\n  - kind: custom\n    params: 10\n    category: attention\n  - kind: custom\n    params: 5\n"
        let loaded = try ModelFile.parse(yaml, format: .yaml, file: "m.yaml")
        let count = try Counter.count(loaded.model)
        #expect(count.total(of: .attention) == 10 && count.total(of: .other) == 5)
        #expect(ModelWriter.yaml(loaded.model).contains("    category: attention\n"))
        #expect(ModelWriter.json(loaded.model).contains("\"category\": \"attention\""))
        #expect(!ModelWriter.yaml(loaded.model).contains("category: other"))
        let bad = "layers:\n  - kind: custom\n    params: 10\n    category: mlp\n"
        do { _ = try ModelFile.parse(bad, format: .yaml, file: "m.yaml"); Issue.record("expected an error") } catch {
            #expect(error.line == 4 && error.field == "category")
            #expect(error.message.contains("attention, ffn, embedding, recurrent, conv, norm, other"), "\(error.message)")
        }
    }

    @Test func buffersCountInTheFileButDoNotTrain() throws {
        let dir = tensorTempDir("llama2-inv")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: true)
        let (loaded, count) = try counted(dir)
        // The file holds every tensor: 6,738,415,616 + 32 × 64.
        #expect(count.total == 6_738_417_664)
        #expect(count.trainable == 6_738_415_616)
        #expect(count.nonTrainable == 2_048)
        var rotary: [Layer] = []
        loaded.model.forEachLayer { _, layer in if layer.name == "rotary_emb" { rotary.append(layer) } }
        #expect(rotary.count == 32 && rotary.allSatisfy { $0.kind == .custom && !$0.trainable })
    }

    @Test func sparseLlama2GGUF() throws {
        let dir = tensorTempDir("llama2-gguf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Q4_K (12) weights, file type 15 (Q4_K_M), as llama.cpp's quantize writes them.
        GGUFFile.llama2_7B(type: 12, fileType: 15).write(dir + "/llama-2-7b.Q4_K_M.gguf")
        let (loaded, count) = try counted(dir + "/llama-2-7b.Q4_K_M.gguf")
        #expect(count.total == 6_738_415_616)
        #expect(loaded.model.name == "Llama 2 7B")
        // llama.cpp's names: token_embd, blk (0 … 31: attn_q …), output_norm, output.
        #expect(loaded.model.layers.map(\.name) == ["token_embd", "blk", "output_norm", "output"])
        #expect(loaded.model.layers[1].body.count == 32)
        #expect(loaded.model.layers[1].body[0].body.map(\.name) == ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate",
                                                                    "ffn_up", "ffn_down", "attn_norm", "ffn_norm"])
        // Q4_K stores 256 values in 144 bytes; the norms stay F32.
        let norms = (32 * 2 + 1) * 4_096
        #expect(loaded.checkpoint?.bytesByDtype == ["Q4_K": (6_738_415_616 - norms) / 256 * 144, "F32": norms * 4])
        let attn = try #require(loaded.checkpoint?.tensors(at: "blk/0/attn_q"))
        #expect(attn.map(\.shape) == [[4_096, 4_096]] && attn.map(\.dtype) == ["Q4_K"])
    }

    @Test func tensorsAtTheTopAreRowsOfTheirOwn() throws {
        // timm's ViT keeps its class token and position embedding at the top of the state dict.
        let bytes = SafetensorsFile.bytes([("cls_token", "F32", [1, 1, 8]), ("pos_embed", "F32", [1, 5, 8]),
                                           ("patch_embed.proj.weight", "F32", [8, 3, 4, 4]), ("patch_embed.proj.bias", "F32", [8])])
        let loaded = try ModelFile.read(bytes, named: "vit.safetensors")
        #expect(loaded.model.layers.map(\.name) == ["cls_token", "pos_embed", "patch_embed"])
        #expect(try Counter.count(loaded.model).layers.map(\.total) == [8, 40, 392])
        #expect(loaded.checkpoint?.tensors(at: "cls_token")?.map(\.shape) == [[1, 1, 8]])
        #expect(loaded.checkpoint?.tensors(at: "patch_embed/proj")?.map(\.name) == ["patch_embed.proj.weight", "patch_embed.proj.bias"])
    }

    @Test func oddNamesStillFindTheirTensors() throws {
        // Empty module names (`a..b`, `.x`) are numbered by the model like unnamed layers.
        let bytes = SafetensorsFile.bytes([("a..b", "F32", [2]), (".x", "F32", [3]), ("a.c.w", "F32", [4]), ("a.", "F32", [5])])
        let loaded = try ModelFile.read(bytes, named: "odd.safetensors")
        var found: [Int] = []
        for (path, name) in loaded.model.namePaths() where loaded.model.layer(at: path)?.kind == .custom {
            found += try #require(loaded.checkpoint?.tensors(at: name)).map(\.elements)
            #expect(Checkpoint.namePath(in: loaded.model, at: path) == name)
        }
        #expect(found.sorted() == [2, 3, 4, 5])
        #expect(try Counter.count(loaded.model).total == 14)
    }

    @Test func aModuleWithTensorsAndModulesInsideHoldsItsOwnAsARow() throws {
        // GPT-2's attention module saves its causal mask (a buffer) beside its two projections.
        let bytes = SafetensorsFile.bytes([("h.0.attn.bias", "F32", [1, 1, 4, 4]), ("h.0.attn.masked_bias", "F32", []),
                                           ("h.0.attn.c_attn.weight", "F32", [8, 24]), ("h.0.attn.c_attn.bias", "F32", [24])])
        let loaded = try ModelFile.read(bytes, named: "gpt2.safetensors")
        let attn = loaded.model.layers[0].body[0].body[0]
        #expect(attn.name == "attn" && attn.kind == .group)
        #expect(attn.body.map(\.name) == ["bias+masked_bias", "c_attn"])
        #expect(attn.body[0].trainable == false)
        #expect(loaded.checkpoint?.tensors(at: "h/0/attn/bias+masked_bias")?.map(\.name) == ["h.0.attn.bias", "h.0.attn.masked_bias"])
        let count = try Counter.count(loaded.model)
        #expect(count.nonTrainable == 17 && count.trainable == 8 * 24 + 24)
    }

    @Test func standardInputAndPipesAreReadWithinTheLimit() throws {
        let bytes = SafetensorsFile.bytes([("a.weight", "F32", [2, 3])])
        let loaded = try ModelFile.read(bytes, named: "-")
        #expect(try Counter.count(loaded.model).total == 6)
        #expect(loaded.saveTarget == nil)
        let gguf = try ModelFile.read(GGUFTests.small.bytes, named: "-")
        #expect(gguf.sourceFormat == .gguf)
        // An index names shards beside it, which a stream has no folder for.
        let index = Array(#"{"weight_map": {"a": "x.safetensors"}}"#.utf8)
        #expect(throws: ModelError.self) { try SafetensorsModel().read(ModelInput(bytes: index, reference: .file("m.safetensors.index.json"))) }
    }

    @Test func hostileFilesAreErrorsNamingTheFile() throws {
        let dir = try ScratchFolder()
        func failure(_ name: String, _ bytes: [UInt8]) throws -> ModelError? {
            loadFailure(try dir.write(name, bytes))
        }
        // Truncated: the header promises 24 bytes of data, the file has 8.
        let full = SafetensorsFile.bytes([("w", "F32", [2, 3])])
        var e = try failure("cut.safetensors", Array(full.dropLast(16)))
        #expect(e?.file == dir.path + "/cut.safetensors")
        #expect(e?.message.contains("truncated") == true)
        // A header longer than the reference reader's cap.
        e = try failure("long.safetensors", withUnsafeBytes(of: UInt64(200_000_000).littleEndian, Array.init) + Array("{}".utf8))
        #expect(e?.message.contains("safetensors headers are limited to 100000000 bytes") == true)
        // A damaged file is known by its name and told what is wrong with it.
        e = try failure("bad.gguf", Array("GGUX".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16))
        #expect(e?.message == "does not start with the GGUF magic: it starts with \"GGUX\"")
        e = try failure("v9.gguf", Array("GGUF".utf8) + [9, 0, 0, 0] + [UInt8](repeating: 0, count: 16))
        #expect(e?.message == "is GGUF version 9; versions 2 and 3 are supported")
        // Names nested deeper than paramcount nests groups.
        let deep = (0..<70).map { "m\($0)" }.joined(separator: ".") + ".weight"
        e = try failure("deep.safetensors", SafetensorsFile.bytes([(deep, "F32", [1])]))
        #expect(e?.message.contains("nested 70 modules deep; at most 63 are allowed") == true)
        // A missing shard.
        let shards = try ScratchFolder()
        try shards.write("model-00001-of-00002.safetensors", full)
        try shards.write("model.safetensors.index.json", #"{"weight_map": {"w": "model-00001-of-00002.safetensors", "v": "model-00002-of-00002.safetensors"}}"#)
        e = loadFailure(shards.path)
        #expect(e?.file == shards.path + "/model.safetensors.index.json")
        #expect(e?.message.contains("names shard \"model-00002-of-00002.safetensors\", which is not in") == true)
    }

    @Test func namesComeFromTheFolderWhenTheFileIsJustModel() throws {
        let root = try ScratchFolder()
        let dir = root.path + "/Llama-2-7b-hf"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let bytes = SafetensorsFile.bytes([("a.weight", "F32", [2])])
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/model.safetensors"))
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/adapter.safetensors"))
        #expect(try ModelFile.load(dir + "/model.safetensors").model.name == "Llama-2-7b-hf")
        #expect(try ModelFile.load(dir + "/adapter.safetensors").model.name == "adapter")
    }

    @Test func savedAsAParamcountFileItCountsTheSame() throws {
        let dir = tensorTempDir("llama2-save")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: true)
        let (loaded, count) = try counted(dir)
        for format in [FileFormat.yaml, .json] {
            let text = ModelWriter.text(loaded.model, format: format)
            let again = try ModelFile.parse(text, format: format, file: "copy." + format.rawValue)
            #expect(again.model == loaded.model)
            let recount = try Counter.count(again.model)
            #expect(recount.total == count.total && recount.trainable == count.trainable)
            #expect(recount.byCategory == count.byCategory)
        }
    }

    @Test func theCountReportSaysWhereTheModelCameFrom() throws {
        let (loaded, count) = try counted(Self.fixtures + "/tiny.gguf")
        let report = Report(loaded, count: count, dtype: .fp32, origin: "tiny.gguf")
        let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
        #expect(json["source_format"] as? String == "gguf")
        #expect(json["class"] is NSNull)
        #expect(json["bytes_by_dtype"] as? [String: Int] == Self.expectedBytes("tiny.gguf"))
        #expect((json["metadata"] as? [String: String])?["general.file_type"] == "Q4_K_M")
        #expect(json["total"] as? Int == Self.expectedTotal("tiny.gguf"))
        let table = report.render(.table)
        #expect(table.contains("Source:               GGUF v3"))
        #expect(table.contains("  general.name:       tiny llama"))
        #expect(table.contains("  general.file_type:  Q4_K_M"))
        #expect(table.contains("Stored:               F16 3.5 KiB · "))
        let markdown = report.render(.markdown)
        #expect(markdown.contains("**Source**: GGUF v3"))

        let own = try ModelFile.load("preset:lenet5")
        let plain = try JSONSerialization.jsonObject(with: Data(Report(own, count: try Counter.count(own.model), dtype: .fp32,
                                                                       origin: "preset:lenet5").render(.json).utf8)) as! [String: Any]
        #expect(plain["source_format"] as? String == "paramcount")
        #expect(plain["bytes_by_dtype"] is NSNull)
    }
}

/// A checkpoint folder with its config.json, as downloaded from the hub: both are counted, and
/// checked against each other through the Hugging Face reader.
@Suite("checkpoint and the config beside it")
struct ConfigBesideTests {
    /// meta-llama/Llama-2-7b-hf's config.json (the fixture HFCountTests counts).
    static let config = HFCountTests.folder.appendingPathComponent("llama-Llama-2-7b-hf.json")

    func folder(config edit: (String) -> String = { $0 }) throws -> String {
        let dir = tensorTempDir("ckpt-config")
        Llama2_7B.writeFolder(dir, invFreq: true)
        try edit(String(contentsOf: Self.config, encoding: .utf8)).write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func thePublishedFolderAgreesWithItsConfig() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ModelFile.load(dir)
        // The weights are read, not the config: a folder with weights is a checkpoint.
        #expect(loaded.sourceFormat == .safetensors)
        let check = try #require(loaded.checkpoint?.configCheck)
        #expect(check.agrees)
        #expect(check.configClass == "LlamaForCausalLM")
        #expect(check.headline == "config: 6,738,415,616 · weights: 6,738,415,616 ✓")
        #expect(check.buffers == [.init(name: "rotary_emb.inv_freq", tensors: 32, elements: 2_048)])
        let table = Report(loaded, count: try Counter.count(loaded.model), dtype: .fp32, origin: dir).render(.table)
        #expect(table.contains("Config check:         config: 6,738,415,616 · weights: 6,738,415,616 ✓"))
        #expect(table.contains("32 × rotary_emb.inv_freq (2,048 values)"))
    }

    @Test func aConfigThatDisagreesSaysWhereByModule() throws {
        // Two layers fewer and a narrower MLP than the weights hold.
        let dir = try folder {
            $0.replacingOccurrences(of: "\"num_hidden_layers\": 32", with: "\"num_hidden_layers\": 30")
                .replacingOccurrences(of: "\"intermediate_size\": 11008", with: "\"intermediate_size\": 11000")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = try #require(try ModelFile.load(dir).checkpoint?.configCheck)
        #expect(!check.agrees)
        // Per layer in the config: 4·4096² attention, 3·4096·11000 MLP, 2·4096 norms; 30 of them.
        let perLayer: Int = 4 * 4_096 * 4_096 + 3 * 4_096 * 11_000 + 2 * 4_096
        let embeddingAndHead: Int = 2 * 32_000 * 4_096
        #expect(check.config == embeddingAndHead + 30 * perLayer + 4_096)
        let mlp = ConfigCheck.Difference(module: "model.layers.mlp", config: 30 * 3 * 4_096 * 11_000, weights: 32 * 3 * 4_096 * 11_008)
        let attention = ConfigCheck.Difference(module: "model.layers.self_attn", config: 30 * 4 * 4_096 * 4_096,
                                               weights: 32 * 4 * 4_096 * 4_096)
        #expect(check.differences.contains(mlp))
        #expect(check.differences.contains(attention))
        #expect(!check.differences.contains { $0.module == "lm_head" || $0.module == "model.embed_tokens" })
    }

    @Test func aConfigThatCannotBeReadIsSaidNotFatal() throws {
        let dir = try folder { _ in #"{"model_type": "no-such-family", "architectures": ["X"]}"# }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ModelFile.load(dir)
        #expect(try Counter.count(loaded.model).total == 6_738_417_664)
        let problem = try #require(loaded.checkpoint?.configCheck?.problem)
        #expect(problem.hasPrefix("\(dir)/config.json was not checked: "), "\(problem)")
    }
}

/// The seam between a checkpoint and the config beside it, tried on a hand-made config model.
@Suite("checkpoint against its config")
struct ConfigCheckTests {
    /// Llama-2-7B as flat rows named by module path, with the per-layer count written out:
    /// 4·4096² (attention) + 3·4096·11008 (MLP) + 2·4096 (norms) = 202,383,360 per layer.
    static func config(layers: Int = 32, head: Bool = true) -> Model {
        var rows = [Layer(.embedding, name: "model.embed_tokens", [(.vocab, .int(32_000)), (.dim, .int(4_096))]),
                    Layer(.custom, name: "model.layers", [(.params, .int(layers * 202_383_360))]),
                    Layer(.rmsnorm, name: "model.norm", [(.dim, .int(4_096))])]
        if head { rows.append(Layer(.dense, name: "lm_head", [(.in, .int(4_096)), (.out, .int(32_000)), (.bias, .bool(false))])) }
        return Model(convention: .pytorch, layers: rows)
    }

    static func llamaListing(invFreq: Bool) throws -> TensorListing {
        try TensorListing.make(format: .safetensors, tensors: Llama2_7B.tensors(invFreq: invFreq).map {
            let n = $0.shape.reduce(1, *)
            return TensorInfo(name: $0.name, shape: $0.shape, dtype: "F16", elements: n, bytes: 2 * n, file: "m")
        }, metadata: [], summary: [], files: ["m"], file: "m")
    }

    @Test func agreeingCountsNameTheBuffers() throws {
        let check = checkAgainstConfig(listing: try Self.llamaListing(invFreq: true), configModel: Self.config())
        #expect(check.agrees)
        #expect(check.headline == "config: 6,738,415,616 · weights: 6,738,415,616 ✓")
        #expect(check.buffers == [.init(name: "rotary_emb.inv_freq", tensors: 32, elements: 2_048)])
        #expect(check.lines()[1] == "buffers, not parameters, left out of the weights: 32 × rotary_emb.inv_freq (2,048 values)")
        #expect(check.differences.isEmpty)
    }

    @Test func disagreementsAreShownByModule() throws {
        // A config of 30 layers and no head, against the 32-layer checkpoint.
        let check = checkAgainstConfig(listing: try Self.llamaListing(invFreq: false), configModel: Self.config(layers: 30, head: false))
        #expect(!check.agrees)
        // 32,000·4,096 + 30 × 202,383,360 + 4,096 = 6,202,576,896.
        #expect(check.headline == "config: 6,202,576,896 · weights: 6,738,415,616 ✗ (weights − config: +535,838,720)")
        #expect(check.differences == [.init(module: "model.layers", config: 30 * 202_383_360, weights: 32 * 202_383_360),
                                      .init(module: "lm_head", config: 0, weights: 131_072_000)])
        #expect(check.lines().contains("lm_head: config 0 · weights 131,072,000 (+131,072,000)"))
    }

    /// Llama-2-7B written as transformers builds it: model (embed_tokens, layers ×N, norm), lm_head.
    static func grouped(layers: Int) -> Model {
        let block = [Layer(.rmsnorm, name: "input_layernorm"),
                     Layer(.attention, name: "self_attn", [(.heads, .int(32)), (.bias, .bool(false))]),
                     Layer(.rmsnorm, name: "post_attention_layernorm"),
                     Layer(.mlp, name: "mlp", [(.ff, .int(11_008)), (.gated, .bool(true)), (.bias, .bool(false))])]
        return Model(convention: .pytorch, layers: [
            .group(name: "model", [Layer(.embedding, name: "embed_tokens", [(.vocab, .int(32_000)), (.dim, .int(4_096))]),
                                   .group(name: "layers", repeat: layers, block), Layer(.rmsnorm, name: "norm")]),
            Layer(.dense, name: "lm_head", [(.out, .int(32_000)), (.bias, .bool(false))]),
        ])
    }

    @Test func aGroupedConfigIsComparedModuleByModule() throws {
        let agree = checkAgainstConfig(listing: try Self.llamaListing(invFreq: true), configModel: Self.grouped(layers: 32))
        #expect(agree.agrees)
        // 30 layers in the config: each module of a decoder layer differs by two layers' worth.
        let check = checkAgainstConfig(listing: try Self.llamaListing(invFreq: false), configModel: Self.grouped(layers: 30))
        #expect(check.differences == [
            .init(module: "model.layers.input_layernorm", config: 30 * 4_096, weights: 32 * 4_096),
            .init(module: "model.layers.self_attn", config: 30 * 4 * 4_096 * 4_096, weights: 32 * 4 * 4_096 * 4_096),
            .init(module: "model.layers.post_attention_layernorm", config: 30 * 4_096, weights: 32 * 4_096),
            .init(module: "model.layers.mlp", config: 30 * 3 * 4_096 * 11_008, weights: 32 * 3 * 4_096 * 11_008),
        ])
    }

    @Test func gpt2CausalMasksAreBuffers() throws {
        // GPT-2's attention modules save `bias` (the causal mask) and `masked_bias` beside c_attn.
        let tensors = [("h.0.attn.bias", [1, 1, 1_024, 1_024]), ("h.0.attn.masked_bias", []),
                       ("h.0.attn.c_attn.weight", [768, 2_304]), ("h.0.attn.c_attn.bias", [2_304])].map {
            TensorInfo(name: $0.0, shape: $0.1, dtype: "F32", elements: $0.1.reduce(1, *), bytes: nil, file: "m")
        }
        let listing = try TensorListing.make(format: .safetensors, tensors: tensors, metadata: [], summary: [], files: ["m"], file: "m")
        let config = Model(layers: [Layer(.dense, name: "h.attn.c_attn", [(.in, .int(768)), (.out, .int(2_304))])])
        let check = checkAgainstConfig(listing: listing, configModel: config)
        #expect(check.agrees)
        #expect(check.buffers.map(\.name) == ["attn.bias", "attn.masked_bias"])
    }

    @Test func aConfigThatDoesNotCountIsAProblemNotACrash() throws {
        let broken = Model(layers: [Layer(.dense, name: "x", [(.in, .int(4))])])
        let check = checkAgainstConfig(listing: try Self.llamaListing(invFreq: false), configModel: broken)
        #expect(check.problem?.hasPrefix("the config does not count") == true)
        #expect(!check.agrees)
    }
}
