import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Every config in Fixtures/hf counted as transformers 5.24 counts the class it names:
/// expected.json was written by scripts/reference/hf_totals.py, which builds each model on the meta
/// device and sums `p.numel()` over `model.parameters()` (tied weights once), with the total of each
/// module, each layer of every layer list, and the active parameters of MoE models.
@Suite("Hugging Face config.json: counts from transformers 5.24")
struct HFCountTests {
    struct Expected: Decodable {
        struct List: Decodable {
            struct Run: Decodable {
                let from: Int
                let to: Int
                let params: Int
            }
            let length: Int
            let total: Int
            let runs: [Run]
        }
        let `class`: String
        let total: Int
        let active: Int?
        /// T5 configs that say tie_word_embeddings: false: transformers' total plus the lm_head their
        /// checkpoints hold (paramcount counts what the checkpoint holds; see the README).
        let checkpoint_total: Int?
        let modules: [String: Int]
        let lists: [String: List]
    }

    struct File: Decodable {
        let versions: [String: String]
        let files: [String: Expected]
    }

    static let folder = Bundle.module.url(forResource: "hf", withExtension: nil, subdirectory: "Fixtures")!

    static let file: File = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode(File.self, from: data)
    }()

    static func load(_ name: String) throws -> (LoadedModel, ModelCount) {
        let loaded = try HuggingFace.readConfig(path: folder.appendingPathComponent(name).path)
        return (loaded, try Counter.count(loaded.model))
    }

    @Test func theExpectationsAreTransformers524s() {
        #expect(Self.file.versions["transformers"] == "5.24.0")
        #expect(Self.file.files.count == 69)
        // Every family the issue names has at least one fixture.
        let families = Set(Self.file.files.keys.map { String($0.split(separator: "-")[0]) })
        #expect(families == Set(HFFamily.allCases.map(\.rawValue)))
    }

    @Test(arguments: file.files.keys.sorted())
    func countsTheClassAsTransformersBuildsIt(_ name: String) throws {
        let want = Self.file.files[name]!
        let (loaded, count) = try Self.load(name)
        #expect(loaded.modelClass == want.class)
        #expect(loaded.sourceFormat == .hfConfig)
        #expect(loaded.model.name?.hasSuffix("(\(want.class))") == true)
        #expect(loaded.saveTarget == nil)
        #expect(count.total == want.checkpoint_total ?? want.total, "\(name)")
        #expect(count.active == want.active ?? count.total, "\(name): active")

        // Each row under the deepest module path transformers reports for it (a tied weight is
        // reported nowhere, so a tied head's row holds only what is not shared).
        var byModule: [String: Int] = [:]
        for (i, layer) in loaded.model.layers.enumerated() where count.layers[i].total > 0 {
            let row = layer.name ?? ""
            let owner = want.modules.keys.filter { row == $0 || row.hasPrefix($0 + ".") }.max { $0.count < $1.count }
            if let owner { byModule[owner, default: 0] += count.layers[i].total }
            else if row == "lm_head", let untied = want.checkpoint_total {
                #expect(count.layers[i].total == untied - want.total, "\(name): T5's separate lm_head")
            } else {
                Issue.record("\(name): row \(row) (\(count.layers[i].total)) is under no module transformers has")
            }
        }
        #expect(byModule == want.modules, "\(name): per module")

        // Every layer of every layer list, as transformers built it.
        for (list, expected) in want.lists {
            for run in expected.runs {
                for n in run.from...run.to {
                    let prefix = "\(list).\(n)."
                    let layer = loaded.model.layers.indices.filter { loaded.model.layers[$0].name?.hasPrefix(prefix) == true }
                        .reduce(0) { $0 + count.layers[$1].total }
                    #expect(layer == run.params, "\(name): \(list)[\(n)]")
                }
            }
        }
    }

    /// Totals the model authors published, from their configs.
    @Test(arguments: [
        ("llama-Llama-2-7b-hf.json", 6_738_415_616, nil as Int?),            // Llama 2 (Meta)
        ("mistral-Mistral-7B-v0.1.json", 7_241_732_096, nil),                // Mistral-7B-v0.1
        ("llama-Meta-Llama-3.1-8B.json", 8_030_261_248, nil),                 // Llama 3.1 8B
        ("bert-base-uncased-no-architectures.json", 109_482_240, nil),       // BERT-base (BertModel)
        ("bert-bert-base-uncased.json", 109_514_298, nil),                    // bert-base-uncased's BertForMaskedLM
        ("gpt2-gpt2.json", 124_439_808, nil),                                 // GPT-2 small
        ("mixtral-Mixtral-8x7B-v0.1.json", 46_702_792_704, 12_879_925_248),  // Mistral's announcement: 46.7B, 12.9B active
        ("qwen3_moe-Qwen3-30B-A3B.json", 30_532_122_624, nil),               // Qwen3-30B-A3B
        ("gpt_neox-pythia-160m.json", 162_322_944, nil),                      // the Pythia paper's table of sizes
        ("gemma-gemma-7b.json", 8_537_680_896, nil),                          // Gemma report: 786,432,000 + 7,751,248,896
        ("gemma2-gemma-2-9b.json", 9_241_705_984, nil),                       // Gemma 2 report: 917,504,000 + 8,324,201,984
    ])
    func publishedTotals(_ name: String, _ total: Int, _ active: Int?) throws {
        let (_, count) = try Self.load(name)
        #expect(count.total == total)
        if let active { #expect(count.active == active) }
    }

    /// T5 v1.1 and Flan-T5 say tie_word_embeddings: false and their checkpoints hold their own
    /// lm_head; transformers 5 ties it anyway. paramcount counts what the checkpoint holds.
    @Test func t5FollowsTheCheckpoint() throws {
        let (loaded, count) = try Self.load("t5-flan-t5-base.json")
        // flan-t5-base's model.safetensors: 247,577,856 values (expected.json's note; transformers' module: 222,903,552).
        #expect(count.total == 247_577_856)
        #expect(loaded.model.layers.last?.name == "lm_head")
        #expect(loaded.model.layers.last?.fields[.tied] == nil)
        let (small, smallCount) = try Self.load("t5-t5-small.json")
        #expect(small.model.layers.last?.fields[.tied] == .bool(true))
        #expect(smallCount.total == 60_506_624)
    }

    @Test func theModelIsMadeOfKindsWithTheHFNames() throws {
        let (loaded, _) = try Self.load("llama-tiny-options.json")
        let layers = loaded.model.layers
        #expect(loaded.model.convention == .pytorch)
        #expect(layers.first == Layer(.embedding, name: "model.embed_tokens", [(.vocab, .int(1000)), (.dim, .int(64))]))
        #expect(layers[1...4].map(\.name) == ["model.layers.0.input_layernorm", "model.layers.0.self_attn",
                                               "model.layers.0.post_attention_layernorm", "model.layers.0.mlp"])
        #expect(layers[2] == Layer(.attention, name: "model.layers.0.self_attn",
                                   [(.heads, .int(4)), (.kvHeads, .int(2)), (.headDim, .int(32))]))
        #expect(layers[4] == Layer(.mlp, name: "model.layers.0.mlp", [(.ff, .int(176)), (.gated, .bool(true))]))
        #expect(layers.suffix(2).map(\.name) == ["model.norm", "lm_head"])
        #expect(layers.last == Layer(.dense, name: "lm_head", [(.out, .int(1000)), (.bias, .bool(false)), (.tied, .bool(true))]))
    }

    @Test func aWidthEditedInTheModelFollowsThrough() throws {
        // Widths are inherited from the embedding, so changing hidden size is one edit, as in the config.
        var (loaded, before) = try Self.load("llama-tiny-base.json")
        #expect(before.total == 269_664)
        loaded.model.layers[0].fields[.dim] = .int(192)
        let after = try Counter.count(loaded.model)
        #expect(after.total > before.total)
        let mlp = loaded.model.layers.firstIndex { $0.kind == .mlp }!
        loaded.model.layers[mlp].fields[.ff] = .int(1)
        #expect(try Counter.count(loaded.model).total < after.total)
    }

    @Test func aCheckpointBesideTheConfigIsCheckedAgainstIt() throws {
        let dir = try ScratchFolder()
        let config = try String(contentsOf: Self.folder.appendingPathComponent("gpt2-tiny-base.json"), encoding: .utf8)
        try dir.write("config.json", config)
        let loaded = try HuggingFace.readConfig(path: dir.path + "/config.json")
        // The folder's name stands for the model when the config has no _name_or_path.
        #expect(loaded.model.name == URL(fileURLWithPath: dir.path).lastPathComponent + " (GPT2Model)")
        #expect(ModelFormats.configReader is HuggingFaceConfigReader)
        let folder = try ModelFile.load(dir.path)
        #expect(folder.model == loaded.model)
        #expect(folder.origin == dir.path)
    }
}
