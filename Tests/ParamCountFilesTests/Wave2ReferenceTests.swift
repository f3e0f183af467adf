import Foundation
import ParamCountCore
import ParamCountFiles
import Testing

/// Model files for attention variants (Qwen2, Qwen3, OLMo 2, Llama GQA, DeepSeek-V3 MLA), MLPs,
/// mixtures of experts, groups that repeat and whole language models built from them (Mistral,
/// Gemma, DeepSeek-V3), with the counts PyTorch 2.15 and transformers 5.24 give for the same modules
/// (each entry's `source` names the module and its config).
@Suite("framework reference cases: attention variants, mlp, moe, groups")
struct Wave2ReferenceTests {
    struct Expected: Decodable {
        let total: Int
        let trainable: Int
        let non_trainable: Int
        let active: Int?
        let source: String
    }

    static let folder = Bundle.module.url(forResource: "reference/wave2", withExtension: nil, subdirectory: "Fixtures")!

    static let expected: [(String, Expected)] = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode([String: Expected].self, from: data).sorted { $0.key < $1.key }
    }()

    @Test func thereAreCasesForEveryNewKind() throws {
        #expect(Self.expected.count == 21)
        var kinds: Set<LayerKind> = []
        for (file, _) in Self.expected {
            let loaded = try ModelFile.load(Self.folder.appendingPathComponent("cases/" + file).path)
            loaded.model.forEachLayer { _, layer in kinds.insert(layer.kind) }
        }
        #expect(kinds.isSuperset(of: [.attention, .mlp, .moe, .group]))
    }

    @Test(arguments: expected.map(\.0))
    func matchesTheFramework(_ file: String) throws {
        let want = Self.expected.first { $0.0 == file }!.1
        let loaded = try ModelFile.load(Self.folder.appendingPathComponent("cases/" + file).path)
        let c = try Counter.count(loaded.model)
        let got: [Int] = [c.total, c.trainable, c.nonTrainable]
        #expect(got == [want.total, want.trainable, want.non_trainable], "\(file): \(want.source)")
        // Without a mixture of experts every parameter is active.
        #expect(c.active == (want.active ?? want.total), "\(file): \(want.source)")
        #expect(c.routed == (want.active != nil), "\(file)")
    }
}
