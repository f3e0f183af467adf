import Foundation
import ParamCountCore
import ParamCountFiles
import Testing

/// The planner on the published config.json files of the fixtures (as transformers 5.24 builds
/// the models), against published worked examples and PEFT's counts for the same configs.
@Suite("planner: Hugging Face configs")
struct PlanHFTests {
    static let folder = Bundle.module.url(forResource: "hf", withExtension: nil, subdirectory: "Fixtures")!

    func plan(_ file: String, _ settings: PlanSettings) throws -> Plan {
        let loaded = try ModelFile.load(Self.folder.appendingPathComponent(file).path)
        return try Planner.plan(loaded.model, count: try Counter.count(loaded.model), settings: settings)
    }

    func bytes(_ p: Plan, _ id: PlanFigure.ID) -> Int? { p.memory.first { $0.id == id }?.value }

    /// meta-llama/Llama-2-7b-hf: 13.5 GB of fp16 weights (12.55 GiB); NVIDIA's "Mastering LLM
    /// Techniques: Inference Optimization": about 2 GB of KV cache per 4,096-token sequence in fp16.
    @Test func llama2() throws {
        let p = try plan("llama-Llama-2-7b-hf.json", PlanSettings(weights: .fp16, kvCache: .fp16, context: 4096, batch: 1))
        #expect(bytes(p, .weights) == 13_476_831_232)
        #expect(bytes(p, .kvCache) == 2 << 30)
    }

    /// meta-llama/Llama-3.1-8B: 8 key/value heads, 0.5 GiB per 4,096-token sequence in fp16.
    @Test func llama31() throws {
        let p = try plan("llama-Meta-Llama-3.1-8B.json", PlanSettings(kvCache: .fp16, context: 4096, batch: 1))
        #expect(bytes(p, .kvCache) == 512 << 20)
    }

    /// peft 0.21.2's trainable parameters for these two configs (scripts/reference/plan_reference.py).
    @Test(arguments: [
        ("llama-Llama-2-7b-hf.json", LoRATargets.qv, 8, 4_194_304), ("llama-Llama-2-7b-hf.json", .qv, 16, 8_388_608),
        ("llama-Llama-2-7b-hf.json", .attention, 8, 8_388_608), ("llama-Llama-2-7b-hf.json", .mlp, 16, 23_199_744),
        ("llama-Llama-2-7b-hf.json", .all, 8, 19_988_480),
        ("llama-Meta-Llama-3.1-8B.json", .qv, 16, 6_815_744), ("llama-Meta-Llama-3.1-8B.json", .mlp, 8, 14_155_776),
        ("llama-Meta-Llama-3.1-8B.json", .all, 16, 41_943_040),
    ])
    func loraAsPEFT(_ file: String, _ targets: LoRATargets, _ rank: Int, _ expected: Int) throws {
        let p = try plan(file, PlanSettings(mode: .training, loraRank: rank, loraTargets: targets))
        #expect(p.adapters?.value == expected)
    }

    /// DeepSeek-V2's section 2.1: latent attention caches d_c + d_h^R values per token and layer;
    /// DeepSeek-V3's config: 61 layers, kv_lora_rank 512, qk_rope_head_dim 64.
    @Test func deepseekV3() throws {
        let p = try plan("deepseek_v3-DeepSeek-V3.json", PlanSettings(kvCache: .bf16, context: 1, batch: 1))
        #expect(bytes(p, .kvCache) == 61 * (512 + 64) * 2)
    }

    /// Mistral AI: Mixtral 8x7B uses 12.9B of its 46.7B parameters per token; compute follows those.
    @Test func mixtralComputesWithItsActiveParameters() throws {
        let p = try plan("mixtral-Mixtral-8x7B-v0.1.json", PlanSettings(context: 4096))
        let n = 12_879_925_248 - 32_000 * 4096
        #expect(p.compute.first?.value == 2 * n + 2 * 32 * 4096 * 4096)
    }
}
