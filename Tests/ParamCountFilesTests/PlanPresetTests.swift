import Foundation
import ParamCountCore
import ParamCountFiles
import Testing

/// The published worked examples on the presets a user opens (`preset:llama-2-7b`,
/// `preset:llama-3.1-8b`, `preset:mixtral-8x7b`), each written as its module tree.
@Suite("planner: presets")
struct PlanPresetTests {
    func plan(_ id: String, _ settings: PlanSettings) throws -> Plan {
        let model = try #require(Presets.named(id)).model
        return try Planner.plan(model, count: try Counter.count(model), settings: settings)
    }

    func bytes(_ p: Plan, _ id: PlanFigure.ID) -> Int? { p.memory.first { $0.id == id }?.value }

    /// meta-llama/Llama-2-7b-hf's fp16 checkpoint: 13.5 GB (two safetensors shards, 9.98 GB + 3.50 GB),
    /// 12.55 GiB.
    @Test func llama2WeightsInFP16() throws {
        let p = try plan("llama-2-7b", PlanSettings(weights: .fp16))
        #expect(bytes(p, .weights) == 13_476_831_232)
        #expect(PlanFormat.decimal(13_476_831_232) == "13.48 GB" && PlanFormat.binary(13_476_831_232) == "12.55 GiB")
    }

    /// NVIDIA, "Mastering LLM Techniques: Inference Optimization" (2023): Llama 2 7B, 4,096 tokens,
    /// batch 1, fp16: about 2 GB of KV cache per sequence (32 layers × 32 key/value heads × 128).
    @Test func llama2KVCacheAt4096Tokens() throws {
        let p = try plan("llama-2-7b", PlanSettings(kvCache: .fp16, context: 4096, batch: 1))
        #expect(bytes(p, .kvCache) == 2 << 30)
        #expect(p.memory.first { $0.id == .kvCache }?.substituted == "2 × 32 × 32 × 128 × 4,096 × 1 × 2")
    }

    /// Llama 3.1 8B's 8 key/value heads (grouped-query attention): 0.5 GiB at 4,096 tokens in fp16.
    @Test func llama31KVCacheAt4096Tokens() throws {
        let p = try plan("llama-3.1-8b", PlanSettings(kvCache: .fp16, context: 4096, batch: 1))
        #expect(p.memory.first { $0.id == .kvCache }?.line
                == "2 × L × H_kv × d_h × T × B × bytes = 2 × 32 × 8 × 128 × 4,096 × 1 × 2 = 536,870,912 B (512.00 MiB · 536.87 MB)")
    }

    /// Rajbhandari et al. 2020 (ZeRO): mixed-precision Adam keeps 16 bytes per parameter.
    @Test func adamWMixedPrecisionOnLlama2() throws {
        let p = try plan("llama-2-7b", PlanSettings(mode: .training, optimizer: .adamw, mixedPrecision: true))
        #expect(p.exactBytes == 16 * 6_738_415_616)
        #expect(p.perParameter?.contains("2 + 2 + 4 + 4 + 4 = 16 bytes") == true)
    }

    /// PEFT's print_trainable_parameters() for Llama-2-7B with LoraConfig(r=8, target_modules=["q_proj",
    /// "v_proj"]): "trainable params: 4,194,304 || all params: 6,742,609,920"; r=16 doubles it (peft
    /// 0.21.2, scripts/reference/plan_reference.py): 16 × (4,096 + 4,096) × 2 × 32 = 8,388,608.
    @Test(arguments: [("llama-2-7b", 8, 4_194_304), ("llama-2-7b", 16, 8_388_608), ("llama-3.1-8b", 16, 6_815_744)])
    func loraOnQueryAndValue(_ id: String, _ rank: Int, _ expected: Int) throws {
        let p = try plan(id, PlanSettings(mode: .training, loraRank: rank, loraTargets: .qv))
        #expect(p.adapters?.value == expected)
    }

    /// Mistral AI: Mixtral 8x7B, 46.7B parameters, 12.9B per token. Every expert is stored.
    @Test func mixtralStoresAllAndComputesWithTheActive() throws {
        let p = try plan("mixtral-8x7b", PlanSettings(weights: .bf16, context: 4096))
        #expect(bytes(p, .weights) == 2 * 46_702_792_704)
        #expect(p.compute.first?.value == 2 * (12_879_925_248 - 32_000 * 4096) + 2 * 32 * 4096 * 4096)
    }
}
