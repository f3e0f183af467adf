import ParamCountCore
import Testing

/// A Llama as transformers' LlamaForCausalLM builds it, written flat: each decoder layer is
/// rmsnorm, attention, rmsnorm and the gated MLP as three dense layers (gate, up, down) with their
/// widths given; then the final norm and the untied output head.
func llama(vocab: Int, dim: Int, layers: Int, heads: Int, kvHeads: Int, ff: Int) -> Model {
    var out = [Layer(.embedding, name: "embed_tokens", [(.vocab, .int(vocab)), (.dim, .int(dim))])]
    for _ in 0..<layers {
        out += [
            Layer(.rmsnorm, name: "input_layernorm"),
            Layer(.attention, name: "self_attn", [(.heads, .int(heads)), (.kvHeads, .int(kvHeads)), (.bias, .bool(false))]),
            Layer(.rmsnorm, name: "post_attention_layernorm"),
            Layer(.dense, name: "gate_proj", [(.in, .int(dim)), (.out, .int(ff)), (.bias, .bool(false))]),
            Layer(.dense, name: "up_proj", [(.in, .int(dim)), (.out, .int(ff)), (.bias, .bool(false))]),
            Layer(.dense, name: "down_proj", [(.in, .int(ff)), (.out, .int(dim)), (.bias, .bool(false))]),
        ]
    }
    out += [Layer(.rmsnorm, name: "norm"), Layer(.dense, name: "lm_head", [(.out, .int(vocab)), (.bias, .bool(false))])]
    return Model(name: "Llama", convention: .pytorch, layers: out)
}

/// meta-llama/Llama-2-7b-hf's config.json: 32 layers, 32 heads (no GQA), head_dim 128.
let llama2_7b = llama(vocab: 32_000, dim: 4096, layers: 32, heads: 32, kvHeads: 32, ff: 11_008)
/// meta-llama/Llama-3.1-8B's config.json: 32 layers, 32 query heads, 8 key/value heads.
let llama31_8b = llama(vocab: 128_256, dim: 4096, layers: 32, heads: 32, kvHeads: 8, ff: 14_336)
/// The tiny Llama of scripts/reference/plan_reference.py: 2 layers, 6 heads, 2 key/value heads.
let tinyLlama = llama(vocab: 500, dim: 96, layers: 2, heads: 6, kvHeads: 2, ff: 256)

func plan(_ model: Model, _ settings: PlanSettings) throws -> Plan {
    try Planner.plan(model, count: Counter.count(model), settings: settings)
}

func figure(_ plan: Plan, _ id: PlanFigure.ID) -> PlanFigure? {
    (plan.memory + plan.compute + [plan.adapters, plan.activations].compactMap { $0 }).first { $0.id == id }
}

@Suite("planner: published worked examples")
struct PlanPublishedTests {
    @Test func theModelsAreTheRealOnes() throws {
        // transformers' sum(p.numel()) for LlamaForCausalLM on each config (the presets list).
        #expect(try Counter.count(llama2_7b).total == 6_738_415_616)
        #expect(try Counter.count(llama31_8b).total == 8_030_261_248)
        #expect(try Counter.count(tinyLlama).total == 293_088)   // plan_reference.py: parameters=293088
    }

    /// meta-llama/Llama-2-7b-hf's fp16 checkpoint on the Hugging Face Hub is 13.5 GB (two safetensors
    /// shards, 9.98 GB + 3.50 GB), which is 12.55 GiB.
    @Test func llama2WeightsInFP16() throws {
        let p = try plan(llama2_7b, PlanSettings(weights: .fp16))
        let w = try #require(figure(p, .weights))
        #expect(w.value == 13_476_831_232)
        #expect(PlanFormat.decimal(w.value!) == "13.48 GB")
        #expect(PlanFormat.binary(w.value!) == "12.55 GiB")
        #expect(w.line == "N × bytes = 6,738,415,616 × 2 = 13,476,831,232 B (12.55 GiB · 13.48 GB)")
        #expect(w.certainty == .exact)
    }

    /// NVIDIA's "Mastering LLM Techniques: Inference Optimization" (2023): Llama 2 7B, batch 1, 4,096
    /// tokens, fp16: a KV cache of about 2 GB per sequence (exactly 2 GiB: 32 layers, 32 key/value
    /// heads of 128).
    @Test func llama2KVCacheAt4096Tokens() throws {
        let p = try plan(llama2_7b, PlanSettings(weights: .fp16, kvCache: .fp16, context: 4096, batch: 1))
        let kv = try #require(figure(p, .kvCache))
        #expect(kv.value == 2 << 30)
        #expect(kv.symbolic == "2 × L × H_kv × d_h × T × B × bytes")
        #expect(kv.substituted == "2 × 32 × 32 × 128 × 4,096 × 1 × 2")
        #expect(kv.variables.map(\.symbol) == ["L", "H_kv", "d_h", "T", "B", "bytes"])
        #expect(p.exactBytes == 13_476_831_232 + (2 << 30))
    }

    /// Llama 3.1 8B caches 8 key/value heads instead of 32 (grouped-query attention): 128 KiB per
    /// token in fp16, 0.5 GiB at 4,096 tokens.
    @Test func llama31KVCacheWithGroupedQueryAttention() throws {
        let p = try plan(llama31_8b, PlanSettings(weights: .bf16, kvCache: .fp16, context: 4096, batch: 1))
        let kv = try #require(figure(p, .kvCache))
        #expect(kv.line == "2 × L × H_kv × d_h × T × B × bytes = 2 × 32 × 8 × 128 × 4,096 × 1 × 2 = 536,870,912 B (512.00 MiB · 536.87 MB)")
        #expect(kv.notes.contains { $0.contains("grouped-query") })
    }

    /// Rajbhandari et al. 2020 (ZeRO), section 3.1: mixed-precision Adam keeps 2Ψ + 2Ψ + 12Ψ = 16Ψ
    /// bytes, "for a model with 1.5B parameters, this leads to a memory requirement of at least 24 GB".
    @Test func adamWMixedPrecisionIs16BytesPerParameter() throws {
        let model = Model(layers: [Layer(.custom, [(.params, .int(1_500_000_000))])])
        let p = try plan(model, PlanSettings(mode: .training, optimizer: .adamw, mixedPrecision: true))
        #expect(p.exactBytes == 24_000_000_000)
        #expect(p.memory.map(\.id) == [.weights, .gradients, .masterWeights, .optimizerStates])
        #expect(p.memory.map(\.value) == [3_000_000_000, 3_000_000_000, 6_000_000_000, 12_000_000_000])
        #expect(p.perParameter?.contains("2 + 2 + 4 + 4 + 4 = 16 bytes per trainable parameter") == true)
        // Everything fp32: 4 + 4 + 4 + 4, the same 16 bytes, without a master copy.
        let fp32 = try plan(model, PlanSettings(mode: .training, optimizer: .adamw, mixedPrecision: false))
        #expect(fp32.exactBytes == 24_000_000_000)
        #expect(fp32.memory.map(\.id) == [.weights, .gradients, .optimizerStates])
    }

    /// PEFT's print_trainable_parameters() for Llama-2-7B with LoraConfig(r=8, target_modules=["q_proj",
    /// "v_proj"]): "trainable params: 4,194,304 || all params: 6,742,609,920". That is r = 8, not 16:
    /// 8 × (4,096 + 4,096) × 2 × 32. r = 16 doubles it, as PEFT 0.21.2 counts (plan_reference.py).
    @Test func loraOnLlama2QueryAndValue() throws {
        for (rank, expected) in [(8, 4_194_304), (16, 8_388_608)] {
            let p = try plan(llama2_7b, PlanSettings(weights: .bf16, mode: .training, loraRank: rank, loraTargets: .qv))
            let a = try #require(p.adapters)
            #expect(a.value == expected)
            #expect(p.trainable == expected)
            #expect(6_738_415_616 + expected == (rank == 8 ? 6_742_609_920 : 6_746_804_224))
        }
        let p = try plan(llama2_7b, PlanSettings(mode: .training, loraRank: 16, loraTargets: .qv))
        #expect(p.adapters?.line == "r × Σ(d_in + d_out) = 16 × (4,096 + 4,096) × 64 = 8,388,608 (8.4M)")
    }

    /// peft 0.21.2 on transformers 5.24.0's LlamaForCausalLM (plan_reference.py, meta device).
    @Test(arguments: [
        ("llama-2-7b", LoRATargets.attention, 16, 16_777_216), ("llama-2-7b", .all, 8, 19_988_480),
        ("llama-2-7b", .all, 16, 39_976_960),
        ("llama-3.1-8b", .qv, 8, 3_407_872), ("llama-3.1-8b", .qv, 16, 6_815_744),
        ("llama-3.1-8b", .attention, 16, 13_631_488), ("llama-3.1-8b", .all, 16, 41_943_040),
    ])
    func loraAsPEFTCountsIt(_ model: String, _ targets: LoRATargets, _ rank: Int, _ expected: Int) throws {
        let p = try plan(model == "llama-2-7b" ? llama2_7b : llama31_8b,
                         PlanSettings(mode: .training, loraRank: rank, loraTargets: targets))
        #expect(p.adapters?.value == expected)
    }

    @Test func loraWithGroupedQueryAttentionAddsEachShapeOnce() throws {
        let p = try plan(llama31_8b, PlanSettings(mode: .training, loraRank: 16, loraTargets: .qv))
        // q: 4,096 → 4,096, v: 4,096 → 8 × 128 = 1,024, in each of the 32 layers.
        #expect(p.adapters?.substituted == "16 × [(4,096 + 4,096) × 32 + (4,096 + 1,024) × 32]")
    }

    /// Optimizer states after one step on the tiny Llama (plan_reference.py, torch 2.15.0 and
    /// transformers 5.24.0): AdamW 586,176 elements, SGD with momentum 293,088, Adafactor 5,064;
    /// fp32, 4 bytes each.
    @Test(arguments: [(Optimizer.adamw, 586_176), (.sgd, 293_088), (.adafactor, 5_064)])
    func optimizerStatesAsPyTorchKeepsThem(_ optimizer: Optimizer, _ elements: Int) throws {
        let p = try plan(tinyLlama, PlanSettings(mode: .training, optimizer: optimizer))
        #expect(figure(p, .optimizerStates)?.value == elements * 4)
    }

    /// transformers' DynamicCache after a forward pass of 10 tokens over 3 sequences of the tiny Llama
    /// (plan_reference.py): 3,840 fp32 keys and values, 15,360 bytes.
    @Test func kvCacheAsTransformersKeepsIt() throws {
        let p = try plan(tinyLlama, PlanSettings(kvCache: .fp32, context: 10, batch: 3))
        #expect(figure(p, .kvCache)?.value == 15_360)
    }
}

@Suite("planner: definitions")
struct PlanDefinitionTests {
    @Test func inferenceHasNoTrainingFigures() throws {
        let p = try plan(llama2_7b, PlanSettings())
        #expect(p.memory.map(\.id) == [.weights, .kvCache])
        #expect(p.activations == nil && p.adapters == nil && p.perParameter == nil)
        #expect(p.compute.map(\.id) == [.forwardPerToken])
        #expect(p.neededBytes == p.exactBytes)
    }

    /// Korthikanti et al. 2022, eq. 1: s·b·h·(34 + 5·a·s/h) bytes per layer. Llama-2-7B at 4,096
    /// tokens, batch 1: 4,096 × 4,096 × (34 + 5 × 32 × 4,096 / 4,096) = 3,254,779,904 per layer.
    @Test func activationsAreAnEstimateKeptApart() throws {
        let p = try plan(llama2_7b, PlanSettings(weights: .bf16, context: 4096, batch: 1, mode: .training, loraRank: 16))
        let a = try #require(p.activations)
        #expect(a.certainty == .estimate)
        #expect(a.value == 32 * 3_254_779_904)
        #expect(a.symbolic == "L × T × B × (34h + 5 × a × T)")
        #expect(a.notes.first?.hasPrefix("ESTIMATE") == true)
        #expect(!p.memory.contains { $0.id == .activations })
        #expect(p.neededBytes == p.exactBytes! + a.value!)
        #expect(p.neededIncludesEstimate)
        // Without mixed precision the activations are fp32: twice as many bytes.
        let fp32 = try plan(llama2_7b, PlanSettings(context: 4096, mode: .training, mixedPrecision: false, loraRank: 16))
        #expect(fp32.activations?.value == 2 * 32 * 3_254_779_904)
    }

    /// Kaplan et al. 2020, table 1: C_forward ≈ 2N + 2 n_layer n_ctx d_attn, N without the embedding
    /// layers. Llama-2-7B: N = 6,738,415,616 − 32,000 × 4,096 (the untied head stays in N).
    @Test func computeFollowsKaplan() throws {
        let p = try plan(llama2_7b, PlanSettings(context: 4096, batch: 2, mode: .training))
        let n = 6_738_415_616 - 32_000 * 4096
        let forward = 2 * n + 2 * 32 * 4096 * 4096
        #expect(figure(p, .forwardPerToken)?.value == forward)
        #expect(figure(p, .forwardPerToken)?.symbolic == "2N + 2 × L × T × d_attn")
        #expect(figure(p, .trainingPerToken)?.value == 3 * forward)
        #expect(figure(p, .trainingPerStep)?.value == 3 * forward * 4096 * 2)
        #expect(p.compute.allSatisfy { $0.certainty == .estimate })
    }

    @Test func fullFineTuningKeepsFrozenLayersInTheirType() throws {
        var model = tinyLlama
        model.layers[0].trainable = false            // the embedding: 48,000 parameters
        let p = try plan(model, PlanSettings(weights: .int8, mode: .training, optimizer: .sgd, mixedPrecision: true))
        let trainable = 293_088 - 48_000
        #expect(figure(p, .weights)?.symbolic == "N_t × 2 + N_f × bytes")
        #expect(figure(p, .weights)?.value == trainable * 2 + 48_000)
        #expect(figure(p, .gradients)?.value == trainable * 2)
        #expect(figure(p, .optimizerStates)?.value == trainable * 4)
    }

    /// QLoRA's setting: a 4-bit frozen base, 16-bit adapters. A 4-bit type writes every term in bits.
    @Test func fourBitWeightsAreCountedInBits() throws {
        let p = try plan(llama2_7b, PlanSettings(weights: .int4, mode: .training, loraRank: 8))
        let w = try #require(figure(p, .weights))
        #expect(w.symbolic == "(N × bits + P × 16) / 8")
        #expect(w.value == (6_738_415_616 * 4 + 4_194_304 * 16) / 8)
        // An odd number of 4-bit weights still takes whole bytes.
        let one = try plan(Model(layers: [Layer(.custom, [(.params, .int(3))])]), PlanSettings(weights: .int4))
        #expect(figure(one, .weights)?.value == 2)
        #expect(figure(one, .weights)?.line == "N × bits / 8 = 3 × 4 / 8 = 2 B")
    }

    /// Each block of an encoder or decoder stack has its attention: GPT-2 small written as a stack of 12
    /// caches 2 × 12 × 12 × 64 values per token, 36 KiB in fp16.
    @Test func stacksCountTheirBlocks() throws {
        let model = Model(convention: .pytorch, layers: [
            Layer(.embedding, [(.vocab, .int(50_257)), (.dim, .int(768))]),
            Layer(.encoder, [(.layers, .int(12)), (.heads, .int(12)), (.ff, .int(3072)), (.finalNorm, .bool(true))]),
        ])
        let p = try plan(model, PlanSettings(context: 1, batch: 1))
        #expect(figure(p, .kvCache)?.value == 36 * 1024)
        // A decoder block also caches its cross-attention (the source taken as T tokens).
        let decoder = Model(convention: .pytorch, layers: [Layer(.decoder, [(.dim, .int(512)), (.layers, .int(6))])])
        let d = try plan(decoder, PlanSettings(context: 1, batch: 1))
        #expect(figure(d, .kvCache)?.value == 2 * 6 * 2 * 8 * 64 * 2)
        #expect(figure(d, .kvCache)?.notes.contains { $0.contains("Cross-attention") } == true)
    }

    @Test func modelsWithoutAttentionHaveNoCacheAndSaySo() throws {
        let model = Model(layers: [dense(10, 10)])
        let p = try plan(model, PlanSettings())
        #expect(p.memory.map(\.id) == [.weights])
        #expect(p.notes.contains { $0.contains("No attention layers") })
        let t = try plan(model, PlanSettings(mode: .training))
        #expect(t.activations == nil)
        #expect(t.notes.contains { $0.contains("no activation estimate") })
    }

    @Test func loraWithNothingToAdaptTrainsNothing() throws {
        let p = try plan(Model(layers: [dense(10, 10)]), PlanSettings(mode: .training, loraRank: 8, loraTargets: .qv))
        #expect(p.adapters?.value == 0)
        #expect(p.adapters?.notes.contains { $0.contains("nothing trains") } == true)
    }

    /// Llama-3.1-8B in bf16 at 32,768 tokens × 4 sequences needs 16,060,522,496 + 17,179,869,184 bytes
    /// (30.96 GiB): an 80 GiB card fits it with 49.04 GiB to spare, a 24 GiB card is short.
    @Test func fitsOnTheCardsWithEnoughMemory() throws {
        let p = try plan(llama31_8b, PlanSettings(weights: .bf16, kvCache: .bf16, context: 32_768, batch: 4))
        #expect(p.neededBytes == 33_240_391_680)
        let h100 = try #require(p.fits.first { $0.accelerator.name == "H100 80 GB" })
        #expect(h100.fits && h100.headroom == 80 << 30 - 33_240_391_680)
        #expect(PlanFormat.binary(h100.headroom) == "49.04 GiB")
        let l4 = try #require(p.fits.first { $0.accelerator.name == "L4 24 GB" })
        #expect(!l4.fits)
        #expect(p.fits.count == Accelerators.all.count)
    }

    @Test func hugeSettingsAreReportedNotTrapped() throws {
        let p = try plan(llama2_7b, PlanSettings(context: Int.max, batch: Int.max, mode: .inference))
        #expect(figure(p, .kvCache)?.value == nil)
        #expect(figure(p, .kvCache)?.resultText.contains("too large") == true)
        #expect(p.exactBytes == nil && p.neededBytes == nil && p.fits.isEmpty)
        let t = try plan(llama2_7b, PlanSettings(context: Int.max, batch: 2, mode: .training, loraRank: Int.max))
        #expect(t.adapters?.value == nil)
        #expect(t.exactBytes == nil)
    }

    @Test func unitsSayWhichTheyAre() {
        #expect(PlanFormat.binary(536_870_912) == "512.00 MiB")
        #expect(PlanFormat.decimal(536_870_912) == "536.87 MB")
        #expect(PlanFormat.flops(14_288_429_056) == "14.29 GFLOP")
        #expect(PlanFormat.binary(512) == "512 B")
        #expect(PlanFormat.signedBinary(-(3 << 29)) == "−1.50 GiB")
    }
}

@Suite("planner: recomputation")
struct PlanRecomputeTests {
    /// Korthikanti et al. 2022, table 2 without parallelism: 34·s·b·h per layer with selective
    /// recomputation, 2·s·b·h with full recomputation (only each layer's input kept).
    @Test func recomputationShrinksTheEstimate() throws {
        let base = PlanSettings(context: 4096, batch: 1, mode: .training, loraRank: 16)
        var selective = base, full = base
        selective.recompute = .selective
        full.recompute = .full
        let s = try plan(llama2_7b, selective), f = try plan(llama2_7b, full)
        #expect(s.activations?.value == 34 * 32 * 4096 * 4096)
        #expect(s.activations?.symbolic == "34 × L × T × B × h")
        #expect(f.activations?.value == 2 * 32 * 4096 * 4096)
        // Full recomputation runs the forward pass a second time: 4 × forward per token.
        let forward = try #require(figure(f, .forwardPerToken)?.value)
        #expect(figure(f, .trainingPerToken)?.value == 4 * forward)
        #expect(figure(s, .trainingPerToken)?.value == 3 * forward)
    }
}

/// Models written with the mlp and moe kinds and multi-head latent attention.
@Suite("planner: today's kinds")
struct PlanNewKindTests {
    /// A Llama decoder whose feed-forward is one gated mlp layer, or a mixture of experts.
    static func decoder(vocab: Int, layers: Int, kvHeads: Int, ffLayer: Layer) -> Model {
        var out = [Layer(.embedding, [(.vocab, .int(vocab)), (.dim, .int(4096))])]
        for _ in 0..<layers {
            out += [Layer(.rmsnorm), Layer(.attention, [(.heads, .int(32)), (.kvHeads, .int(kvHeads)), (.bias, .bool(false))]),
                    Layer(.rmsnorm), ffLayer]
        }
        return Model(convention: .pytorch, layers: out + [Layer(.rmsnorm), Layer(.dense, [(.out, .int(vocab)), (.bias, .bool(false))])])
    }

    static let llama2 = decoder(vocab: 32_000, layers: 32, kvHeads: 32,
                                ffLayer: Layer(.mlp, [(.ff, .int(11_008)), (.gated, .bool(true)), (.bias, .bool(false))]))
    static let mixtral = decoder(vocab: 32_000, layers: 32, kvHeads: 8,
                                 ffLayer: Layer(.moe, [(.experts, .int(8)), (.topK, .int(2)), (.ff, .int(14_336))]))

    /// peft 0.21.2 on LlamaForCausalLM (plan_reference.py): gate, up and down at r=8 train
    /// 11,599,872 parameters; every linear layer but lm_head 19,988,480.
    @Test func loraOnTheMLPAsPEFTCountsIt() throws {
        #expect(try Counter.count(Self.llama2).total == 6_738_415_616)
        #expect(try plan(Self.llama2, PlanSettings(mode: .training, loraRank: 8, loraTargets: .mlp)).adapters?.value == 11_599_872)
        #expect(try plan(Self.llama2, PlanSettings(mode: .training, loraRank: 8, loraTargets: .all)).adapters?.value == 19_988_480)
    }

    /// Mistral AI's announcement of Mixtral 8x7B: 46.7B parameters in all, 12.9B used per token
    /// (transformers: 46,702,792,704 and 12,879,925,248). The weights are all stored; compute follows
    /// the active ones, without the 32,000 × 4,096 embedding.
    @Test func mixtralStoresEveryExpertAndComputesWithTheActiveOnes() throws {
        let c = try Counter.count(Self.mixtral)
        #expect(c.total == 46_702_792_704 && c.active == 12_879_925_248)
        let p = try plan(Self.mixtral, PlanSettings(weights: .bf16, context: 4096))
        #expect(figure(p, .weights)?.value == 46_702_792_704 * 2)
        let n = 12_879_925_248 - 32_000 * 4096
        #expect(figure(p, .forwardPerToken)?.value == 2 * n + 2 * 32 * 4096 * 4096)
        #expect(figure(p, .forwardPerToken)?.variables.first?.meaning == "non-embedding parameters active per token")
        // Its cache is Llama-3.1-8B's: 32 layers, 8 key/value heads of 128.
        #expect(figure(p, .kvCache)?.value == 2 * 32 * 8 * 128 * 4096 * 2)
    }

    /// DeepSeek-V2 (DeepSeek-AI 2024), section 2.1: multi-head latent attention caches (d_c + d_h^R)
    /// elements per token and layer, the compressed key/value and the rotary key. DeepSeek-V3's 61
    /// layers with d_c = 512 and d_h^R = 64: 35,136 values, 70,272 bytes in BF16 per token.
    @Test func latentAttentionCachesTheCompressedVector() throws {
        let mla = Layer(.attention, [(.heads, .int(128)), (.headDim, .int(128)), (.ropeDim, .int(64)), (.vHeadDim, .int(128)),
                                     (.kvRank, .int(512)), (.qRank, .int(1536)), (.bias, .bool(false))])
        let model = Model(convention: .pytorch, layers: [Layer(.embedding, [(.vocab, .int(129_280)), (.dim, .int(7168))])]
                          + Array(repeating: mla, count: 61))
        let p = try plan(model, PlanSettings(kvCache: .bf16, context: 1, batch: 1))
        let kv = try #require(figure(p, .kvCache))
        #expect(kv.value == 70_272)
        #expect(kv.symbolic == "L × (r_kv + d_rope) × T × B × bytes")
        #expect(kv.notes.contains { $0.contains("latent attention") })
    }
}

/// A model written with groups plans as the same model written flat: a group ×32 holds its
/// attention layers 32 times.
@Suite("planner: groups")
struct PlanGroupTests {
    /// Llama-3.1-8B as transformers' module tree: embed_tokens, layers ×32, norm, lm_head.
    static let grouped = Model(convention: .pytorch, layers: [
        Layer(.embedding, name: "embed_tokens", [(.vocab, .int(128_256)), (.dim, .int(4096))]),
        Layer.group(name: "layers", repeat: 32, [
            Layer(.rmsnorm, name: "input_layernorm"),
            Layer(.attention, name: "self_attn", [(.heads, .int(32)), (.kvHeads, .int(8)), (.bias, .bool(false))]),
            Layer(.rmsnorm, name: "post_attention_layernorm"),
            Layer(.mlp, name: "mlp", [(.ff, .int(14_336)), (.gated, .bool(true)), (.bias, .bool(false))]),
        ]),
        Layer(.rmsnorm, name: "norm"),
        Layer(.dense, name: "lm_head", [(.out, .int(128_256)), (.bias, .bool(false))]),
    ])

    @Test(arguments: [
        PlanSettings(weights: .bf16, context: 32_768, batch: 4),
        PlanSettings(context: 4096, mode: .training, optimizer: .adafactor),
        PlanSettings(context: 8192, batch: 2, mode: .training, loraRank: 16, loraTargets: .all, recompute: .selective),
    ])
    func aGroupOfThirtyTwoPlansAsThirtyTwoBlocks(_ settings: PlanSettings) throws {
        #expect(try Counter.count(Self.grouped).total == 8_030_261_248)
        let g = try plan(Self.grouped, settings), f = try plan(llama31_8b, settings)
        #expect(g.memory.map(\.value) == f.memory.map(\.value))
        #expect(g.activations?.value == f.activations?.value)
        #expect(g.compute.map(\.value) == f.compute.map(\.value))
        #expect(g.exactBytes == f.exactBytes && g.fits == f.fits)
        // The cache holds 32 attention layers, as 2 × 32 × 8 × 128 values per token.
        if !settings.training { #expect(figure(g, .kvCache)?.substituted.hasPrefix("2 × 32 × 8 × 128") == true) }
    }

    /// peft 0.21.2: r=16 on q_proj and v_proj of Llama-3.1-8B trains 6,815,744 parameters.
    @Test func loraReachesInsideTheGroup() throws {
        let p = try plan(Self.grouped, PlanSettings(mode: .training, loraRank: 16, loraTargets: .qv))
        #expect(p.adapters?.value == 6_815_744)
    }

    /// Planning reads each layer once, however many times its group repeats.
    @Test func aBillionRepetitionsPlanAtOnce() throws {
        let model = Model(layers: [Layer.group(repeat: 1_000_000_000, [Layer(.attention, [(.dim, .int(64)), (.heads, .int(4))])])])
        let p = try plan(model, PlanSettings(kvCache: .fp16, context: 1, batch: 1))
        #expect(figure(p, .kvCache)?.value == 2 * 1_000_000_000 * 4 * 16 * 2)
    }
}

@Suite("planner: shapes")
struct PlanShapeTests {
    /// A small conv net with its input shape. torch 2.15's FlopCounterMode reports FLOPs, twice the
    /// MACs: the forward figure is 2 × MACs, exact, before the per-token rule.
    @Test func aShapedModelCountsItsForwardPass() throws {
        let model = Model(convention: .pytorch, input: [3, 32, 32], layers: [
            Layer(.conv, [(.in, .int(3)), (.out, .int(8)), (.kernel, .int(3)), (.padding, .int(1)), (.bias, .bool(false))]),
            Layer(.pool, [(.mode, .option("avg")), (.output, .int(1))]),
            Layer(.flatten),
            Layer(.dense, [(.out, .int(10))]),
        ])
        let p = try plan(model, PlanSettings())
        // Conv2d(3, 8, 3, padding=1) at 32×32: 32·32·8·(3·3·3) = 221,184 MACs; Linear(8, 10): 80.
        let forward = try #require(figure(p, .forwardPerSample))
        #expect(forward.value == 2 * (221_184 + 80))
        #expect(forward.certainty == .exact)
        #expect(forward.symbolic == "2 × MACs")
        #expect(p.compute.map(\.id) == [.forwardPerSample, .forwardPerToken])
        // Without an input shape there is nothing to count it from.
        var plain = model
        plain.input = nil
        plain.layers.remove(at: 2)
        plain.layers[2].fields[.in] = .int(8)
        #expect(figure(try plan(plain, PlanSettings()), .forwardPerSample) == nil)
    }
}
