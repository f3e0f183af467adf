import Foundation
import ParamCountCore
import ParamCountFiles
import Testing

/// 106 model files with the counts PyTorch 2.15 and Keras 3.15 report for the same modules (each
/// entry's `source` names the framework expression), plus by-hand textbook cases.
@Suite("framework reference cases")
struct ReferenceTests {
    struct Expected: Decodable {
        let convention: String
        let total: Int
        let trainable: Int
        let non_trainable: Int
        let source: String
    }

    static let folder = Bundle.module.url(forResource: "reference", withExtension: nil, subdirectory: "Fixtures")!

    static let expected: [(String, Expected)] = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode([String: Expected].self, from: data).sorted { $0.key < $1.key }
    }()

    @Test func thereAreCasesForEveryKindAndConvention() {
        #expect(Self.expected.count == 106)
        #expect(Set(Self.expected.map(\.1.convention)) == ["textbook", "pytorch", "keras"])
    }

    @Test(arguments: expected.map(\.0))
    func matchesTheFramework(_ file: String) throws {
        let want = Self.expected.first { $0.0 == file }!.1
        let loaded = try ModelFile.load(Self.folder.appendingPathComponent("cases/" + file).path)
        #expect(loaded.model.convention.rawValue == want.convention)
        let c = try Counter.count(loaded.model)
        let got: [Int] = [c.total, c.trainable, c.nonTrainable]
        #expect(got == [want.total, want.trainable, want.non_trainable],
                "\(file): \(want.source)")
    }
}

@Suite("presets")
struct PresetTests {
    func total(_ id: String) throws -> Int { try Counter.count(Presets.named(id)!.model).total }

    // torchvision.models.*: the totals torchvision's model docs list for each architecture (and
    // sum(p.numel()) of torchvision 0.29.2's resnet18(), resnet50(), resnet101()).
    @Test func torchvision() throws {
        #expect(try total("alexnet") == 61_100_840)
        #expect(try total("vgg16") == 138_357_544)
        #expect(try total("resnet18") == 11_689_512)
        #expect(try total("resnet50") == 25_557_032)
        #expect(try total("resnet101") == 44_549_160)
    }

    /// The ResNets are written as torchvision builds them: stages of blocks, each block a parallel
    /// of its main path and the downsample or the identity, with torchvision's module names.
    @Test func resnetsAreTorchvisionsModuleTree() throws {
        let r50 = Presets.named("resnet50")!.model, r101 = Presets.named("resnet101")!.model
        #expect(r50.layers.map { $0.name ?? "" } == ["conv1", "bn1", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool",
                                                     "flatten", "fc"])
        let block0 = r50.layer(at: LayerPath([.layer(4), .layer(0)]))!
        #expect(block0.kind == .parallel && block0.branches.map { $0.map { $0.name ?? "" } }
                == [["conv1", "bn1", "conv2", "bn2", "conv3", "bn3"], ["downsample.0", "downsample.1"]])
        // ResNet-101 is ResNet-50 with 23 blocks in layer3 instead of 6: one repeat.
        var back = r101
        back.name = r50.name
        var group = back.layer(at: LayerPath([.layer(5), .layer(1)]))!
        #expect(group.fields[.repeat] == .int(22))
        group.fields[.repeat] = .int(5)
        group.name = "1-5"
        back.replace(at: LayerPath([.layer(5), .layer(1)]), with: group)
        #expect(back == r50)
        // torchvision 0.29.2: sum(p.numel()) of resnet50().layer3 is 7,098,368 and of resnet101().layer3 26,090,496.
        #expect(try Counter.count(r50).layers[5].total == 7_098_368)
        #expect(try Counter.count(r101).layers[5].total == 26_090_496)
    }

    /// The language models against transformers 5.24 on each model's published config.json
    /// (Fixtures/hf/expected.json, written by scripts/reference/hf_totals.py), module by module:
    /// the totals, what a token passes through, each top-level module and one decoder layer.
    @Test(arguments: [
        ("gpt2-small", "gpt2-gpt2.json", "transformer."), ("llama-2-7b", "llama-Llama-2-7b-hf.json", "model."),
        ("llama-3.1-8b", "llama-Meta-Llama-3.1-8B.json", "model."), ("mistral-7b", "mistral-Mistral-7B-v0.1.json", "model."),
        ("mixtral-8x7b", "mixtral-Mixtral-8x7B-v0.1.json", "model."), ("qwen3-30b-a3b", "qwen3_moe-Qwen3-30B-A3B.json", "model."),
    ])
    func languageModelsMatchTransformers(_ id: String, _ config: String, _ prefix: String) throws {
        struct Expected: Decodable {
            struct List: Decodable {
                struct Run: Decodable { let params: Int }
                let length: Int
                let runs: [Run]
            }
            let total: Int
            let active: Int?
            let modules: [String: Int]
            let lists: [String: List]
        }
        let url = Bundle.module.url(forResource: "hf", withExtension: nil, subdirectory: "Fixtures")!.appendingPathComponent("expected.json")
        let files = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let entry = try JSONSerialization.data(withJSONObject: (files["files"] as! [String: Any])[config]!)
        let want = try JSONDecoder().decode(Expected.self, from: entry)

        let model = Presets.named(id)!.model
        let c = try Counter.count(model)
        #expect(c.total == want.total)
        #expect(c.active == (want.active ?? want.total))
        for (module, params) in want.modules {
            let name = module.hasPrefix(prefix) ? String(module.dropFirst(prefix.count)) : module
            let i = try #require(model.layers.firstIndex { $0.name == name }, "\(id): no layer named \(name)")
            #expect(c.layers[i].total == params, "\(id): \(module)")
        }
        // The tied head holds no weight of its own (transformers lists no lm_head module for GPT-2).
        let head = model.layers.firstIndex { $0.name == "lm_head" }!
        #expect(want.modules["lm_head"] == nil ? c.layers[head].total == 0 && c.layers[head].tiedTo == 0 : true)
        for (list, runs) in want.lists {
            let name = String(list.dropFirst(prefix.count))
            let i = try #require(model.layers.firstIndex { $0.name == name })
            #expect(c.layers[i].repeat == runs.length && runs.runs.count == 1)
            #expect(c.layers[i].children[0].map(\.total).reduce(0, +) == runs.runs[0].params, "\(id): one of \(list)")
        }
    }

    /// The published figures the presets are named after: Mistral's announcement of Mixtral 8x7B
    /// (46.7B parameters, 12.9B per token) and Qwen's model card of Qwen3-30B-A3B (30.5B, 3.3B activated).
    @Test func mixtureOfExpertsPublishedFigures() throws {
        let mixtral = try Counter.count(Presets.named("mixtral-8x7b")!.model)
        #expect(mixtral.total == 46_702_792_704 && mixtral.active == 12_879_925_248 && mixtral.routed)
        let qwen = try Counter.count(Presets.named("qwen3-30b-a3b")!.model)
        #expect(qwen.total == 30_532_122_624)
        // 3,353,032,704 as transformers reads it (checked above); the card writes 3.3B.
        #expect((3_300_000_000..<3_400_000_000).contains(qwen.active) && (30_500_000_000..<30_600_000_000).contains(qwen.total))
    }
    // LeNet-5 with full C3 connections: conv 1→6 k5 (156), conv 6→16 k5 (2,416), 400→120 (48,120),
    // 120→84 (10,164), 84→10 (850); the 61,706 of d2l.ai's and Keras' LeNet tutorials.
    @Test func lenet() throws { #expect(try total("lenet5") == 61_706) }
    // transformers.BertModel(BertConfig()): bert-base-uncased with pooler.
    @Test func bert() throws { #expect(try total("bert-base") == 109_482_240) }
    // transformers.GPT2LMHeadModel(GPT2Config()): 124M with the LM head tied to wte.
    @Test func gpt2() throws { #expect(try total("gpt2-small") == 124_439_808) }
    // The published totals of the language models (each also checked module by module below).
    @Test func languageModels() throws {
        #expect(try total("llama-2-7b") == 6_738_415_616)
        #expect(try total("llama-3.1-8b") == 8_030_261_248)
        #expect(try total("mistral-7b") == 7_241_732_096)
        #expect(try total("mixtral-8x7b") == 46_702_792_704)
        #expect(try total("qwen3-30b-a3b") == 30_532_122_624)
    }
    // Vaswani et al. 2017, Table 3 "base": 65 × 10^6 (rounded). The encoder and decoder stacks equal
    // torch.nn.Transformer()'s 44,140,544 (same defaults: 512, 8 heads, 6+6 layers, 2048, final norms);
    // the shared 37,000-token BPE embedding adds 37,000 × 512.
    @Test func transformerBase() throws {
        let model = Presets.named("transformer-base")!.model
        let c = try Counter.count(model)
        #expect(c.layers[1].total + c.layers[2].total == 44_140_544)
        #expect(c.total == 44_140_544 + 37_000 * 512)
        #expect((60_000_000...66_000_000).contains(c.total))
    }
    // keras.Sequential([Embedding(10000, 128), Bidirectional(LSTM(256, return_sequences=True)),
    // Bidirectional(LSTM(256)), Dense(17)]).count_params() with Keras 3.15: the reference file 2101.
    @Test func bilstmTagger() throws { #expect(try total("bilstm-tagger") == 3_652_113) }
    // By hand: 10000·128 + 4·[(256+128)·256 + 256] + (256·64 + 64) + (64·2 + 2).
    @Test func example() throws { #expect(try total("example") == 1_280_000 + 394_240 + 16_448 + 130) }

    @Test func presetsLoadByName() throws {
        #expect(try ModelFile.load("preset:bert-base").model.name == "BERT-base")
        #expect(throws: ModelError.self) { try ModelFile.load("preset:nope") }
    }
}
