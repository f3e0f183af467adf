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

    // torchvision.models.*: the totals torchvision's model docs list for each architecture.
    @Test func torchvision() throws {
        #expect(try total("alexnet") == 61_100_840)
        #expect(try total("vgg16") == 138_357_544)
        #expect(try total("resnet18") == 11_689_512)
        #expect(try total("resnet50") == 25_557_032)
    }
    // LeNet-5 with full C3 connections: conv 1→6 k5 (156), conv 6→16 k5 (2,416), 400→120 (48,120),
    // 120→84 (10,164), 84→10 (850); the 61,706 of d2l.ai's and Keras' LeNet tutorials.
    @Test func lenet() throws { #expect(try total("lenet5") == 61_706) }
    // transformers.BertModel(BertConfig()): bert-base-uncased with pooler.
    @Test func bert() throws { #expect(try total("bert-base") == 109_482_240) }
    // transformers.GPT2Model(GPT2Config()): 124M with the LM head tied to wte.
    @Test func gpt2() throws { #expect(try total("gpt2-small") == 124_439_808) }
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
