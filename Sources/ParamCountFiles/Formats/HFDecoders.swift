import ParamCountCore

/// The llama-like decoders: an embedding, a list of decoder layers (norms, attention, MLP or mixture
/// of experts), a final RMSNorm and, in `XxxForCausalLM`, `lm_head`. The families differ in their
/// config defaults, in where biases and norms sit, and in the MLP of each layer; each difference
/// below follows the family's modeling_*.py and configuration_*.py in transformers 5.24.
enum HFDecoders {
    static func build(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        switch c.family {
        case .llama: return try llama(c).modules(c)
        case .mistral, .mixtral: return try mistral(c).modules(c)
        case .qwen2, .qwen2_moe: return try qwen2(c).modules(c)
        case .qwen3, .qwen3_moe: return try qwen3(c).modules(c)
        case .gemma, .gemma2: return try gemma(c).modules(c)
        case .phi3: return try phi3(c).modules(c)
        case .olmo2: return try olmo2(c).modules(c)
        case .deepseek_v3: return try deepseek(c).modules(c)
        default: preconditionFailure("not a llama-like family: \(c.family)")
        }
    }

    // MARK: Families

    static func llama(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        var p = try DecoderPlan(c, vocab: 32000, hidden: 4096, ff: 11008, layers: 32, heads: 32,
                                kv: .nullable(nil), headDim: .optional(zeroIsDerived: false), checksDivisibility: true)
        let bias = try c.flag("attention_bias", false)
        p.attention.qkvBias = bias
        p.attention.outBias = bias
        p.mlpBias = try c.flag("mlp_bias", false)
        return p
    }

    /// Mistral and Mixtral hard-code every bias to false (their configs have no bias keys).
    static func mistral(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        var p = try DecoderPlan(c, vocab: 32000, hidden: 4096, ff: 14336, layers: 32, heads: 32,
                                kv: .plain(8), headDim: .optional(zeroIsDerived: true), checksDivisibility: false)
        if c.family == .mixtral {
            let experts = try c.positive("num_local_experts", alias: "num_experts", 8)
            let topK = try p.topK(c, "num_experts_per_tok", 2, experts: experts, expertsKey: "num_local_experts")
            p.moe = HFMoE(experts: experts, topK: topK, ff: p.ff)
            p.runs = [HFRun(from: 0, count: p.layers, sparse: true)]
        }
        return p
    }

    /// Qwen2 puts biases on q, k and v and none on o, whatever `attention_bias` says; Qwen2-MoE has a
    /// real `qkv_bias` key and a shared expert with a sigmoid gate.
    static func qwen2(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        let moe = c.family == .qwen2_moe
        var p = try DecoderPlan(c, vocab: 151936, hidden: moe ? 2048 : 4096, ff: moe ? 5632 : 22016,
                                layers: moe ? 24 : 32, heads: moe ? 16 : 32, kv: .nullable(moe ? 16 : 32),
                                headDim: .getattr, checksDivisibility: false)
        p.attention.qkvBias = moe ? try c.flag("qkv_bias", true) : true
        p.attention.outBias = false
        if moe {
            let experts = try c.count("num_experts", 60)
            let shared = try c.positive("shared_expert_intermediate_size", 5632)
            try p.sparseLayout(c, experts: experts, expertsKey: "num_experts", topKDefault: 4, ffDefault: 1408,
                               shared: (1, shared, true))
        }
        return p
    }

    /// Qwen3 adds RMSNorms of one head's width on q and k. Its `head_dim` is a field defaulting to
    /// 128; Qwen3-MoE has no such field and falls back to hidden_size / heads.
    static func qwen3(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        let moe = c.family == .qwen3_moe
        var p = try DecoderPlan(c, vocab: 151936, hidden: moe ? 2048 : 4096, ff: moe ? 6144 : 22016,
                                layers: moe ? 24 : 32, heads: 32, kv: moe ? .plain(4) : .nullable(32),
                                headDim: moe ? .getattr : .field(128), checksDivisibility: false)
        let bias = try c.flag("attention_bias", false)
        p.attention.qkvBias = bias
        p.attention.outBias = bias
        p.attention.qkNorm = .head
        if moe {
            let experts = try c.positive("num_experts", alias: "num_local_experts", 128)
            try p.sparseLayout(c, experts: experts, expertsKey: "num_experts", topKDefault: 8, ffDefault: 768, shared: nil)
        }
        return p
    }

    /// Gemma's defaults are gemma-7b's, Gemma 2's gemma-2-2b's; both tie the head by default and have
    /// head_dim 256 whatever the width. Gemma 2 has four norms per layer.
    static func gemma(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        let two = c.family == .gemma2
        var p = try DecoderPlan(c, vocab: 256000, hidden: two ? 2304 : 3072, ff: two ? 9216 : 24576,
                                layers: two ? 26 : 28, heads: two ? 8 : 16, kv: .plain(two ? 4 : 16),
                                headDim: .field(256), checksDivisibility: two, tied: true)
        let bias = try c.flag("attention_bias", false)
        p.attention.qkvBias = bias
        p.attention.outBias = bias
        if two { p.norms = .gemma2 }
        return p
    }

    /// Phi-3 fuses q, k, v into qkv_proj and gate, up into gate_up_proj: the same counts as the
    /// unfused modules. Every bias is hard-coded false.
    static func phi3(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        try DecoderPlan(c, vocab: 32064, hidden: 3072, ff: 8192, layers: 32, heads: 32,
                        kv: .nullable(nil), headDim: .getattr, checksDivisibility: false)
    }

    /// OLMo 2 normalises after attention and after the MLP (no input norm), and q and k over their
    /// whole width.
    static func olmo2(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        var p = try DecoderPlan(c, vocab: 50304, hidden: 4096, ff: 11008, layers: 32, heads: 32,
                                kv: .nullable(nil), headDim: .getattr, checksDivisibility: false)
        let bias = try c.flag("attention_bias", false)
        p.attention.qkvBias = bias
        p.attention.outBias = bias
        p.attention.qkNorm = .full
        p.norms = .olmo2
        return p
    }

    /// DeepSeek-V3: multi-head latent attention, the first `first_k_dense_replace` layers with a
    /// dense MLP and every later one a mixture of experts with shared experts. The routers'
    /// `e_score_correction_bias` is a buffer, not a parameter. transformers ignores `moe_layer_freq`
    /// and builds the multi-token-prediction layer (`num_nextn_predict_layers`) in no class, so
    /// neither changes the count.
    static func deepseek(_ c: HFConfig) throws(ModelError) -> DecoderPlan {
        var p = try DecoderPlan(c, vocab: 129280, hidden: 7168, ff: 18432, layers: 61, heads: 128,
                                kv: .ignored, headDim: .ignored, checksDivisibility: false)
        let bias = try c.flag("attention_bias", false)
        let qRank = try c.optionalPositive("q_lora_rank", default: 1536) ?? 0
        let latent = HFAttention.Latent(qRank: qRank, kvRank: try c.positive("kv_lora_rank", 512),
                                        ropeDim: try c.positive("qk_rope_head_dim", 64), vHeadDim: try c.positive("v_head_dim", 128))
        p.attention = HFAttention(heads: p.attention.heads, kvHeads: p.attention.heads,
                                  headDim: try c.positive("qk_nope_head_dim", 128), qkvBias: bias, outBias: bias, latent: latent)
        let experts = try c.positive("n_routed_experts", alias: "num_local_experts", 256)
        let topK = try p.topK(c, "num_experts_per_tok", 8, experts: experts, expertsKey: "n_routed_experts")
        let ff = try c.positive("moe_intermediate_size", 2048)
        let shared = try c.count("n_shared_experts", 1)
        p.moe = HFMoE(experts: experts, topK: topK, ff: ff, sharedExperts: shared, sharedFF: shared > 0 ? ff : nil)
        let dense = min(try c.count("first_k_dense_replace", 3), p.layers)
        p.runs = [HFRun(from: 0, count: dense, sparse: false), HFRun(from: dense, count: p.layers - dense, sparse: true)]
            .filter { $0.count > 0 }
        return p
    }
}

/// What a llama-like family builds, read from its config: sizes, the attention, the norms of a
/// layer, the dense MLP and, for mixture-of-experts families, the expert block and which layers
/// have it.
struct DecoderPlan {
    var vocab: Int
    var hidden: Int
    var ff: Int
    var layers: Int
    var attention: HFAttention
    var mlpBias = false
    var norms: Norms = .standard
    var moe: HFMoE?
    /// Runs of layers with the dense MLP (sparse false) or the expert block; one dense run when the
    /// family has no experts.
    var runs: [HFRun]
    var tied: Bool

    enum Norms { case standard, gemma2, olmo2 }

    /// How a family reads `num_key_value_heads`.
    enum KVRule {
        /// Typed `int | None`: missing takes the default (nil: the number of heads), null means heads.
        case nullable(Int?)
        /// Typed `int`: missing takes the default, null is refused.
        case plain(Int)
        /// Changes no shape (DeepSeek's latent attention).
        case ignored
    }

    /// How a family reads `head_dim`.
    enum HeadDimRule {
        /// A field typed `int | None`: missing or null is hidden_size / heads. Mistral and Mixtral
        /// also read 0 that way (`head_dim or hidden // heads`).
        case optional(zeroIsDerived: Bool)
        /// A field typed `int` with a number as default (not hidden_size / heads).
        case field(Int)
        /// No field: the attention reads `getattr(config, "head_dim", hidden // heads)`, so a
        /// head_dim in config.json is used. A null there crashes transformers; it is read as missing.
        case getattr
        case ignored
    }

    init(_ c: HFConfig, vocab: Int, hidden: Int, ff: Int, layers: Int, heads: Int, kv: KVRule,
         headDim: HeadDimRule, checksDivisibility: Bool, tied: Bool = false) throws(ModelError) {
        self.vocab = try c.positive("vocab_size", vocab)
        self.hidden = try c.positive("hidden_size", hidden)
        self.ff = try c.positive("intermediate_size", ff)
        self.layers = try c.positive("num_hidden_layers", layers)
        self.tied = try c.flag("tie_word_embeddings", tied)
        let d = self.hidden
        let h = try c.positive("num_attention_heads", heads)
        var k: Int
        switch kv {
        case .nullable(let n):
            k = c.has("num_key_value_heads") ? (try c.optionalPositive("num_key_value_heads") ?? h) : (n ?? h)
        case .plain(let n): k = try c.positive("num_key_value_heads", n)
        case .ignored: k = h
        }
        if checksDivisibility && d % h != 0 {
            throw c.error("num_attention_heads", "\(h) heads do not divide hidden_size \(d) "
                          + "(transformers' \(c.family.classPrefix)Config refuses this, even with head_dim given)")
        }
        var hd: Int?
        switch headDim {
        case .optional(let zeroIsDerived):
            if zeroIsDerived, c.has("head_dim"), c.isZero("head_dim") { hd = nil } else { hd = try c.optionalPositive("head_dim") }
        case .field(let n): hd = try c.positive("head_dim", n)
        case .getattr: hd = try c.optionalPositive("head_dim")
        case .ignored: hd = nil
        }
        if case .ignored = headDim {} else if hd == nil && d % h != 0 {
            // transformers divides with a floor; the attention kind derives head_dim only from a width
            // its heads divide, so the floor is written out.
            guard d / h > 0 else {
                throw c.error("num_attention_heads", "\(h) heads are more than hidden_size \(d): a head would have no width")
            }
            hd = d / h
        }
        attention = HFAttention(heads: h, kvHeads: k, headDim: hd, qkvBias: false, outBias: false)
        runs = [HFRun(from: 0, count: self.layers, sparse: false)]
    }

    func topK(_ c: HFConfig, _ key: String, _ defaultValue: Int, experts: Int, expertsKey: String) throws(ModelError) -> Int {
        let k = try c.positive(key, defaultValue)
        guard k <= experts else {
            throw c.error(key, "is \(k), more than the \(experts) experts of \(expertsKey): a token cannot be routed to more experts than there are")
        }
        return k
    }

    /// Qwen2-MoE and Qwen3-MoE: layer i has the expert block when it is not in `mlp_only_layers`,
    /// there are experts, and `(i + 1) % decoder_sparse_step == 0`; else the dense MLP.
    mutating func sparseLayout(_ c: HFConfig, experts: Int, expertsKey: String, topKDefault: Int, ffDefault: Int,
                               shared: (count: Int, ff: Int, gate: Bool)?) throws(ModelError) {
        let step = try c.positive("decoder_sparse_step", 1)
        let only = try c.indices("mlp_only_layers")
        let ff = try c.positive("moe_intermediate_size", ffDefault)
        if experts > 0 {
            let topK = try topK(c, "num_experts_per_tok", topKDefault, experts: experts, expertsKey: expertsKey)
            moe = HFMoE(experts: experts, topK: topK, ff: ff, sharedExperts: shared?.count ?? 0, sharedFF: shared?.ff,
                        sharedGate: shared?.gate ?? false)
        }
        runs = try HFRuns.runs(layers: layers, step: experts > 0 ? step : 0, exceptions: only,
                               key: only.isEmpty ? "decoder_sparse_step" : "mlp_only_layers", config: c)
    }

    // MARK: Modules

    func modules(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let prefix = c.within ? "model." : ""
        var out: [HFModule] = [.embedding(prefix + "embed_tokens", vocab: vocab, dim: hidden)]
        let attentionModule = try HFAttention.module("self_attn", attention, hidden: hidden, c)
        for run in runs {
            let mlp: HFModule
            if run.sparse, let moe { mlp = .moe("mlp", moe) } else { mlp = .mlp("mlp", ff: ff, gated: true, bias: mlpBias) }
            let body: [HFModule]
            switch norms {
            case .standard:
                body = [.rmsnorm("input_layernorm"), attentionModule, .rmsnorm("post_attention_layernorm"), mlp]
            case .gemma2:
                body = [.rmsnorm("input_layernorm"), attentionModule, .rmsnorm("post_attention_layernorm"),
                        .rmsnorm("pre_feedforward_layernorm"), mlp, .rmsnorm("post_feedforward_layernorm")]
            case .olmo2:
                body = [attentionModule, .rmsnorm("post_attention_layernorm"), mlp, .rmsnorm("post_feedforward_layernorm")]
            }
            out.append(.group(HFRuns.name(prefix + "layers", run, total: layers), repeat: run.count, body))
        }
        out.append(.rmsnorm(prefix + "norm"))
        try out += HFHeads.decoder(c, vocab: vocab, tied: tied)
        return out
    }
}

extension HFConfig {
    /// A size typed `int | None` with a default: missing takes the default, null means none.
    func optionalPositive(_ key: String, default defaultValue: Int) throws(ModelError) -> Int? {
        has(key) ? try optionalPositive(key) : defaultValue
    }
}

extension HFAttention {
    /// The attention module, or, when its key/value heads do not divide its query heads (which the
    /// attention kind refuses, but transformers builds: a Qwen2 config without num_key_value_heads
    /// gets 32 of them whatever its heads), its projections written out one by one.
    static func module(_ name: String, _ a: HFAttention, hidden d: Int, _ c: HFConfig) throws(ModelError) -> HFModule {
        guard a.latent == nil, a.heads % a.kvHeads != 0 else { return .attention(name, a) }
        let hd = a.headDim ?? d / a.heads
        let q = try c.product(a.heads, hd, "num_attention_heads"), kv = try c.product(a.kvHeads, hd, "num_key_value_heads")
        var body: [HFModule] = [.dense("q_proj", out: q, bias: a.qkvBias),
                                .dense("k_proj", in: d, out: kv, bias: a.qkvBias),
                                .dense("v_proj", in: d, out: kv, bias: a.qkvBias)]
        switch a.qkNorm {
        case .none: break
        case .head: body += [.rmsnorm("q_norm", dim: hd), .rmsnorm("k_norm", dim: hd)]
        case .full: body += [.rmsnorm("q_norm", dim: q), .rmsnorm("k_norm", dim: kv)]
        }
        body.append(.dense("o_proj", in: q, out: d, bias: a.outBias))
        return .group(name, repeat: 1, body)
    }
}

/// The heads on top of a base model, shared by the decoder families.
enum HFHeads {
    /// `lm_head` for a causal LM (its weight tied to the input embedding or not; never a bias), or
    /// `score` for sequence classification (no bias either).
    static func decoder(_ c: HFConfig, vocab: Int, tied: Bool) throws(ModelError) -> [HFModule] {
        switch c.head {
        case .causalLM: return [.dense("lm_head", out: vocab, bias: false, tied: tied)]
        case .sequenceClassification: return [.dense("score", out: try c.labels(), bias: false)]
        default: return []
        }
    }
}
