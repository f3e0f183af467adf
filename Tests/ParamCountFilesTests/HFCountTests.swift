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

        // Every layer of every layer list, as transformers built it: a group of layers counts per
        // repetition; a row named inside one layer (T5's relative position table, in block 0 only)
        // adds to that layer.
        for (list, expected) in want.lists {
            for run in expected.runs {
                for n in run.from...run.to {
                    var layer = 0
                    for (i, row) in loaded.model.layers.enumerated() {
                        let name = row.name ?? ""
                        if name.hasPrefix("\(list).\(n).") {
                            layer += count.layers[i].total
                        } else if row.kind == .group, Self.covers(name, list: list, length: expected.length).contains(n) {
                            layer += count.layers[i].total / count.layers[i].repeat
                        }
                    }
                    #expect(layer == run.params, "\(name): \(list)[\(n)]")
                }
            }
        }
    }

    /// The layers of `list` a group of that name holds: all of them (`model.layers`), a run
    /// (`model.layers.3-60`) or one (`model.layers.1`).
    static func covers(_ group: String, list: String, length: Int) -> Range<Int> {
        if group == list { return 0..<length }
        guard group.hasPrefix(list + ".") else { return 0..<0 }
        let numbers = group.dropFirst(list.count + 1).split(separator: "-").compactMap { Int($0) }
        switch numbers.count {
        case 1: return numbers[0]..<(numbers[0] + 1)
        case 2 where numbers[0] <= numbers[1]: return numbers[0]..<(numbers[1] + 1)
        default: return 0..<0
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

    @Test func theModelIsMadeOfKindsAndGroupsWithTheHFNames() throws {
        let (loaded, count) = try Self.load("llama-tiny-options.json")
        let layers = loaded.model.layers
        #expect(loaded.model.convention == .pytorch)
        #expect(layers.map(\.name) == ["model.embed_tokens", "model.layers", "model.norm", "lm_head"])
        #expect(layers[0] == Layer(.embedding, name: "model.embed_tokens", [(.vocab, .int(1000)), (.dim, .int(64))]))
        #expect(layers[1] == Layer.group(name: "model.layers", repeat: 3, [
            Layer(.rmsnorm, name: "input_layernorm"),
            Layer(.attention, name: "self_attn", [(.heads, .int(4)), (.kvHeads, .int(2)), (.headDim, .int(32))]),
            Layer(.rmsnorm, name: "post_attention_layernorm"),
            Layer(.mlp, name: "mlp", [(.ff, .int(176)), (.gated, .bool(true))]),
        ]))
        #expect(layers[3] == Layer(.dense, name: "lm_head", [(.out, .int(1000)), (.bias, .bool(false)), (.tied, .bool(true))]))
        // transformers: 3 layers of 59,232 (expected.json's run of model.layers).
        #expect(count.layers[1].total == 3 * 59_232)
        #expect(count.layers[1].repeat == 3)
        #expect(count.layers[1].children[0].map(\.total).reduce(0, +) == 59_232)
    }

    /// DeepSeek-V3's three dense layers and 58 MoE layers are two groups; transformers' per-layer
    /// counts: 583,483,392 and 11,507,286,016.
    @Test func layersThatDifferArePutInGroupsOfTheirOwn() throws {
        let (loaded, count) = try Self.load("deepseek_v3-DeepSeek-V3.json")
        #expect(loaded.model.layers.map(\.name) == ["model.embed_tokens", "model.layers.0-2", "model.layers.3-60", "model.norm", "lm_head"])
        #expect(count.layers[1].repeat == 3 && count.layers[1].total == 3 * 583_483_392)
        #expect(count.layers[2].repeat == 58 && count.layers[2].total == 58 * 11_507_286_016)
        #expect(loaded.model.layers[2].body.last?.kind == .moe)
    }

    /// Changing the layer count is one edit of the group's repeat, as num_hidden_layers is one key;
    /// an MLP's width is one edit of ff, as intermediate_size is.
    @Test func editingTheRepeatOrAWidthIsEditingTheConfig() throws {
        var (loaded, before) = try Self.load("llama-Llama-2-7b-hf.json")
        #expect(before.total == 6_738_415_616)
        loaded.model.layers[1].fields[.repeat] = .int(40)
        // Llama-2-7B's layer, per transformers: 202,383,360.
        #expect(try Counter.count(loaded.model).total == 6_738_415_616 + 8 * 202_383_360)
        loaded.model.layers[1].fields[.repeat] = .int(32)
        loaded.model.layers[1].body[3].fields[.ff] = .int(11_009)
        #expect(try Counter.count(loaded.model).total == 6_738_415_616 + 32 * 3 * 4_096)
        // Widths are inherited from the embedding: changing its dim is changing hidden_size.
        var (tiny, tinyBefore) = try Self.load("llama-tiny-base.json")
        tiny.model.layers[0].fields[.dim] = .int(192)
        #expect(try Counter.count(tiny.model).total > tinyBefore.total)
    }

    /// A config claiming 10^12 layers counts at once: the group repeats, nothing is written out.
    @Test func aTrillionLayersCountAtOnce() throws {
        let start = ContinuousClock.now
        let model = try HuggingFace.parse(Array(#"{"model_type": "llama", "num_hidden_layers": 1000000000000, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100}"#.utf8), file: "config.json")
        // One layer: 4·64·64 attention, 3·64·128 MLP, 2·64 norms; the embedding 100·64 and the final norm 64.
        #expect(try Counter.count(model.model).total == 1_000_000_000_000 * (4 * 64 * 64 + 3 * 64 * 128 + 2 * 64) + 100 * 64 + 64)
        let e = #expect(throws: ModelError.self) {
            try HuggingFace.parse(Array(#"{"model_type": "llama", "num_hidden_layers": 1000000000000000}"#.utf8), file: "config.json")
        }
        #expect(e?.file == "config.json")
        #expect(e?.message.contains("64 bits") == true)
        #expect(ContinuousClock.now - start < .seconds(1))
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
