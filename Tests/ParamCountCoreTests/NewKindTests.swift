import ParamCountCore
import Testing

// Expected numbers: sum(p.numel()) of the named transformers 5.24 / PyTorch 2.15 module, built on
// the meta device by scripts/reference/wave2_units.py (its output is scripts/reference/wave2_units.json);
// `active` is that total minus the experts a token is not routed to, read off the module's tensors.

func attention(_ dim: Int, heads: Int, kv: Int? = nil, headDim: Int? = nil, _ more: [(Field, FieldValue)] = []) -> Layer {
    var f: [(Field, FieldValue)] = [(.dim, .int(dim)), (.heads, .int(heads))]
    if let kv { f.append((.kvHeads, .int(kv))) }
    if let headDim { f.append((.headDim, .int(headDim))) }
    return Layer(.attention, f + more)
}

func counts(_ layers: [Layer], _ convention: Convention = .pytorch) throws -> ModelCount {
    try Counter.count(Model(convention: convention, layers: layers))
}

@Suite("attention variants")
struct AttentionVariantTests {
    // modeling_qwen2.Qwen2Attention, Qwen2-0.5B's geometry (hidden 896, 14 heads, 2 KV heads): q, k
    // and v have biases, o_proj has none.
    @Test func qwen2Biases() throws {
        #expect(try count(attention(896, heads: 14, kv: 2, [(.outBias, .bool(false))]), .pytorch).0 == 1_836_160)
        // The same written the other way round: no bias, then q/k/v biases back on.
        #expect(try count(attention(896, heads: 14, kv: 2, [(.bias, .bool(false)), (.qkvBias, .bool(true))]), .pytorch).0 == 1_836_160)
    }

    // modeling_qwen3.Qwen3Attention (Qwen3-8B: 4096, 32 heads, 8 KV heads, head_dim 128, no bias):
    // q_norm and k_norm are RMSNorm(head_dim).
    @Test func qwen3HeadNorms() throws {
        let layer = attention(4096, heads: 32, kv: 8, headDim: 128, [(.bias, .bool(false)), (.qkNorm, .option("head"))])
        #expect(try count(layer, .pytorch).0 == 41_943_296)
    }

    // modeling_gemma3.Gemma3Attention (Gemma 3 4B: 2560, 8 heads, 4 KV heads, head_dim 256).
    @Test func gemma3HeadNorms() throws {
        let layer = attention(2560, heads: 8, kv: 4, headDim: 256, [(.bias, .bool(false)), (.qkNorm, .option("head"))])
        #expect(try count(layer, .pytorch).0 == 15_729_152)
    }

    // modeling_olmo2.Olmo2Attention (OLMo-2-1B: 2048, 16 heads): q_norm over heads·head_dim, k_norm
    // over kv_heads·head_dim; with 16 and with 4 KV heads.
    @Test func olmo2FullNorms() throws {
        #expect(try count(attention(2048, heads: 16, [(.bias, .bool(false)), (.qkNorm, .option("full"))]), .pytorch).0 == 16_781_312)
        #expect(try count(attention(2048, heads: 16, kv: 4, [(.bias, .bool(false)), (.qkNorm, .option("full"))]), .pytorch).0 == 10_488_320)
    }

    static func mla(_ dim: Int, heads: Int, qRank: Int, bias: Bool) -> Layer {
        var f: [(Field, FieldValue)] = [(.dim, .int(dim)), (.heads, .int(heads)), (.headDim, .int(128)), (.ropeDim, .int(64)),
                                        (.vHeadDim, .int(128)), (.kvRank, .int(512)), (.bias, .bool(bias))]
        if qRank > 0 { f.append((.qRank, .int(qRank))) }
        return Layer(.attention, f)
    }

    // modeling_deepseek_v3.DeepseekV3Attention, DeepSeek-V3's config (7168, 128 heads, q_lora_rank
    // 1536, kv_lora_rank 512, rope 64, nope 128, v 128), attention_bias False and True.
    @Test func deepseekV3LatentAttention() throws {
        #expect(try count(Self.mla(7168, heads: 128, qRank: 1536, bias: false), .pytorch).0 == 187_107_328)
        #expect(try count(Self.mla(7168, heads: 128, qRank: 1536, bias: true), .pytorch).0 == 187_116_608)
    }

    // The same module with DeepSeek-V2-Lite's config: q_lora_rank None, so one q_proj (never biased).
    @Test func deepseekV2LiteLatentAttentionWithoutQueryRank() throws {
        #expect(try count(Self.mla(2048, heads: 16, qRank: 0, bias: false), .pytorch).0 == 13_763_072)
        #expect(try count(Self.mla(2048, heads: 16, qRank: 0, bias: true), .pytorch).0 == 13_765_696)
    }

    @Test func theBoardFormulaStaysWhenBiasesAgree() throws {
        let d = try Counter.derivation(Model(layers: [attention(512, heads: 8, [(.qkvBias, .bool(true)), (.outBias, .bool(true))])]), layer: 0)
        #expect(d.lines == ["4 × (x² + x) = 4 × (512² + 512) = 1,050,624"])
        let split = try Counter.derivation(Model(layers: [attention(512, heads: 8, [(.outBias, .bool(false))])]), layer: 0)
        #expect(split.lines == ["Q, K and V projections: 3 × (x² + x) = 3 × (512² + 512) = 787,968",
                                "output projection: x² = 512² = 262,144", "total = 787,968 + 262,144 = 1,050,112"])
        #expect(split.notes.contains { $0.contains("Qwen2") })
    }

    @Test func latentAttentionDerivationNamesEachProjection() throws {
        let d = try Counter.derivation(Model(layers: [Self.mla(7168, heads: 128, qRank: 1536, bias: false)]), layer: 0)
        #expect(d.parts.map(\.label) == ["query down-projection q_a", "q_a norm", "query up-projection q_b",
                                         "key/value down-projection kv_a", "kv_a norm", "key/value up-projection kv_b", "output projection"])
        #expect(d.lines[5] == "key/value up-projection kv_b: r_kv × H × (d + d_v) = 512 × 128 × (128 + 128) = 16,777,216")
        #expect(d.total == 187_107_328)
    }

    @Test(arguments: [
        ([(Field.qRank, FieldValue.int(64))], "q_rank", "kv_rank"),
        ([(.ropeDim, .int(16))], "rope_dim", "kv_rank"),
        ([(.vHeadDim, .int(16))], "v_head_dim", "kv_rank"),
        ([(.kvRank, .int(32)), (.kvHeads, .int(2))], "kv_heads", "must equal heads"),
        ([(.kvRank, .int(32)), (.qkNorm, .option("head"))], "qk_norm", "latent"),
        ([(.qkNorm, .option("both"))], "qk_norm", "one of none, head, full"),
    ])
    func invalidOptions(_ fields: [(Field, FieldValue)], _ field: String, _ phrase: String) {
        let e = modelError { _ = try counts([attention(64, heads: 4, fields)]) }
        #expect(e?.field == field)
        #expect(e?.message.contains(phrase) == true, "\(e?.message ?? "no error")")
    }
}

@Suite("mlp")
struct MLPTests {
    static func mlp(_ dim: Int, _ ff: Int, out: Int? = nil, gated: Bool, bias: Bool? = nil) -> Layer {
        var f: [(Field, FieldValue)] = [(.dim, .int(dim)), (.ff, .int(ff)), (.gated, .bool(gated))]
        if let out { f.append((.out, .int(out))) }
        if let bias { f.append((.bias, .bool(bias))) }
        return Layer(.mlp, f)
    }

    // modeling_llama.LlamaMLP, Llama-2-7B (4096 → 11008): gate, up and down projections, no bias;
    // and with mlp_bias=True.
    @Test func llama() throws {
        #expect(try count(Self.mlp(4096, 11008, gated: true, bias: false), .pytorch).0 == 135_266_304)
        #expect(try count(Self.mlp(4096, 11008, gated: true), .pytorch).0 == 135_292_416)
    }

    // modeling_gpt2.GPT2MLP(3072, GPT2Config(n_embd=768)): c_fc and c_proj with biases; bias is the default.
    @Test func gpt2() throws { #expect(try count(Self.mlp(768, 3072, gated: false), .pytorch).0 == 4_722_432) }

    // nn.Sequential(Linear(512, 2048), GELU(), Linear(2048, 256)): out narrows the output, and the
    // next layer inherits it.
    @Test func narrowingOutput() throws {
        let c = try counts([Self.mlp(512, 2048, out: 256, gated: false), Layer(.rmsnorm)])
        #expect(c.layers[0].total == 1_575_168)
        #expect(c.layers[1].input == 256)
    }

    @Test func derivation() throws {
        let d = try Counter.derivation(Model(layers: [Self.mlp(4096, 11008, gated: true, bias: false)]), layer: 0)
        #expect(d.lines == ["gate and up projections: 2 × x × f = 2 × 4,096 × 11,008 = 90,177,536",
                            "down projection: f × x = 11,008 × 4,096 = 45,088,768", "total = 90,177,536 + 45,088,768 = 135,266,304"])
    }

    @Test func ffIsRequired() {
        let e = modelError { _ = try counts([Layer(.mlp, [(.dim, .int(8))])]) }
        #expect(e?.field == "ff" && e?.message.contains("missing") == true)
    }
}

@Suite("mixture of experts")
struct MoETests {
    static func moe(_ dim: Int, experts: Int, topK: Int, ff: Int, _ more: [(Field, FieldValue)] = []) -> Layer {
        Layer(.moe, [(.dim, .int(dim)), (.experts, .int(experts)), (.topK, .int(topK)), (.ff, .int(ff))] + more)
    }

    func totalAndActive(_ layer: Layer) throws -> [Int] {
        let c = try counts([layer])
        #expect(c.routed)
        #expect(c.layers[0].active == c.active)
        return [c.total, c.active]
    }

    // modeling_mixtral.MixtralSparseMoeBlock, Mixtral-8x7B (4096, 14336, 8 experts, 2 per token).
    @Test func mixtral() throws {
        #expect(try totalAndActive(Self.moe(4096, experts: 8, topK: 2, ff: 14336)) == [1_409_318_912, 352_354_304])
    }

    // modeling_qwen2_moe.Qwen2MoeSparseMoeBlock, Qwen1.5-MoE-A2.7B (2048, 60 experts of 1408, 4 per
    // token, a shared expert of 5632 behind a sigmoid gate Linear(2048, 1)).
    @Test func qwen2MoE() throws {
        let one = Self.moe(2048, experts: 60, topK: 4, ff: 1408,
                           [(.sharedExperts, .int(1)), (.sharedFF, .int(5632)), (.sharedGate, .bool(true))])
        #expect(try totalAndActive(one) == [553_773_056, 69_330_944])
        // Four shared experts of 1408 are one MLP 5632 wide: the same count.
        let four = Self.moe(2048, experts: 60, topK: 4, ff: 1408, [(.sharedExperts, .int(4)), (.sharedGate, .bool(true))])
        #expect(try totalAndActive(four) == [553_773_056, 69_330_944])
    }

    // modeling_qwen3_moe.Qwen3MoeSparseMoeBlock, Qwen3-30B-A3B (2048, 128 experts of 768, 8 per token).
    @Test func qwen3MoE() throws {
        #expect(try totalAndActive(Self.moe(2048, experts: 128, topK: 8, ff: 768)) == [604_241_920, 38_010_880])
    }

    // modeling_deepseek_v3.DeepseekV3MoE, DeepSeek-V3 (7168, 256 experts of 2048, 8 per token, one
    // shared expert); the router's e_score_correction_bias is a buffer.
    @Test func deepseekV3() throws {
        #expect(try totalAndActive(Self.moe(7168, experts: 256, topK: 8, ff: 2048, [(.sharedExperts, .int(1))]))
                == [11_320_164_352, 398_196_736])
    }

    @Test func derivationEndsWithWhatATokenPassesThrough() throws {
        let d = try Counter.derivation(Model(layers: [Self.moe(8, experts: 2, topK: 1, ff: 92)]), layer: 0)
        #expect(d.lines == [
            "router: x × E = 8 × 2 = 16",
            "routed experts: E × (2 × x × f + f × x) = 2 × (2 × 8 × 92 + 92 × 8) = 4,416",
            "total = 16 + 4,416 = 4,432",
            "active routed experts: k × (2 × x × f + f × x) = 1 × (2 × 8 × 92 + 92 × 8) = 2,208",
            "active = 16 + 2,208 = 2,224",
        ])
        #expect(d.total == 4_432 && d.active == 2_224)
        #expect(d.steps.last { $0.hasPrefix("active") } == "active = 16 + 2,208 = 2,224")
        #expect(d.variables.map(\.symbol) == ["x", "E", "f", "k"])
    }

    @Test func activeIsTheTotalWithoutExperts() throws {
        let c = try counts([Layer(.embedding, [(.vocab, .int(100)), (.dim, .int(8))]), Layer(.batchnorm)], .keras)
        #expect(!c.routed && c.active == c.total)
    }

    @Test(arguments: [
        ([(Field.topK, FieldValue.int(9))], "top_k", "only 8 experts"),
        ([(.topK, .int(0))], "top_k", "positive integer"),
        ([(.sharedGate, .bool(true))], "shared_gate", "shared_experts"),
        ([(.sharedFF, .int(64))], "shared_ff", "shared_experts"),
        ([(.sharedExperts, .int(-1))], "shared_experts", "non-negative"),
    ])
    func invalid(_ fields: [(Field, FieldValue)], _ field: String, _ phrase: String) {
        var layer = Self.moe(16, experts: 8, topK: 2, ff: 32)
        for (f, v) in fields { layer.fields[f] = v }
        let e = modelError { _ = try counts([layer]) }
        #expect(e?.field == field)
        #expect(e?.message.contains(phrase) == true, "\(e?.message ?? "no error")")
    }
}

@Suite("tied output heads")
struct TiedTests {
    /// modeling_llama.LlamaForCausalLM with one decoder layer, laid out as its modules:
    /// embed_tokens, input_layernorm, self_attn, post_attention_layernorm, mlp, norm, lm_head.
    static func llama(tied: Bool) -> [Layer] {
        [Layer(.embedding, name: "embed_tokens", [(.vocab, .int(1000)), (.dim, .int(64))]),
         Layer(.rmsnorm), attention(64, heads: 4, [(.bias, .bool(false))]).withoutDim,
         Layer(.rmsnorm), Layer(.mlp, [(.ff, .int(172)), (.gated, .bool(true)), (.bias, .bool(false))]),
         Layer(.rmsnorm), Layer(.dense, name: "lm_head", [(.out, .int(1000)), (.bias, .bool(false)), (.tied, .bool(tied))])]
    }

    // LlamaForCausalLM(LlamaConfig(vocab 1000, hidden 64, intermediate 172, 1 layer, 4 heads)) with
    // tie_word_embeddings True and False: unique parameters.
    @Test func llamaTiedAndUntied() throws {
        let tied = try counts(Self.llama(tied: true))
        #expect(tied.total == 113_600)
        #expect(tied.layers[6].total == 0 && tied.layers[6].tiedTo == 0)
        #expect(try counts(Self.llama(tied: false)).total == 177_600)
    }

    // GPT2LMHeadModel(GPT2Config()): wte, wpe, 12 × (ln_1, attn, ln_2, mlp), ln_f and lm_head tied to
    // wte; wpe (1024 × 768) has the right width but not the vocabulary, so the head finds wte.
    @Test func gpt2Small() throws {
        var layers = [Layer(.embedding, name: "wte", [(.vocab, .int(50257)), (.dim, .int(768))]),
                      Layer(.embedding, name: "wpe", [(.vocab, .int(1024)), (.dim, .int(768))])]
        for _ in 0..<12 {
            layers += [Layer(.layernorm), Layer(.attention, [(.heads, .int(12))]), Layer(.layernorm),
                       Layer(.mlp, [(.ff, .int(3072))])]
        }
        layers += [Layer(.layernorm), Layer(.dense, name: "lm_head", [(.out, .int(50257)), (.bias, .bool(false)), (.tied, .bool(true))])]
        let c = try counts(layers)
        #expect(c.total == 124_439_808)
        #expect(c.layers.last?.tiedTo == 0)
    }

    @Test func aTiedBiasIsStillCounted() throws {
        let c = try counts([Layer(.embedding, [(.vocab, .int(10)), (.dim, .int(4))]), Layer(.dense, [(.out, .int(10)), (.tied, .bool(true))])])
        #expect(c.total == 40 + 10)
    }

    @Test func theNoteNamesTheEmbedding() throws {
        let d = try Counter.derivation(Model(convention: .pytorch, layers: Self.llama(tied: true)), layer: 6)
        #expect(d.lines == ["0"])
        #expect(d.notes.contains { $0.contains("embed_tokens") })
    }

    @Test func noMatchingEmbeddingIsAnError() {
        let none = modelError { _ = try counts([Layer(.dense, [(.in, .int(4)), (.out, .int(10)), (.tied, .bool(true))])]) }
        #expect(none?.field == "tied")
        #expect(none?.message.contains("vocab 10 and dim 4") == true && none?.message.contains("no embedding above it") == true)
        let other = modelError {
            _ = try counts([Layer(.embedding, name: "tok", [(.vocab, .int(1000)), (.dim, .int(32))]),
                            Layer(.dense, [(.out, .int(999)), (.tied, .bool(true))])])
        }
        #expect(other?.layer == 1 && other?.message.contains("'tok' (1000×32)") == true, "\(other?.message ?? "")")
    }

    /// Editing the embedding, or the head, keeps the incremental count equal to a fresh one, errors included.
    @Test func recountFollowsTheEmbedding() throws {
        let model = Model(convention: .pytorch, layers: Self.llama(tied: true))
        let previous = try Counter.count(model)
        for (i, field, value) in [(0, Field.dim, FieldValue.int(32)), (6, .bias, .bool(true)), (6, .tied, .bool(false)),
                                  (4, .ff, .int(100))] {
            var edited = model
            let old = edited.layers[i]
            edited.layers[i].fields[field] = value
            let full = Result { try Counter.count(edited) }.map { $0 }
            let incremental = Result { try Counter.recount(edited, replacing: i, old: old, previous: previous) }
            switch (full, incremental) {
            case (.success(let a), .success(let b)): #expect(a == b, "layer \(i) \(field)")
            case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "layer \(i) \(field)")
            default: Issue.record("layer \(i) \(field): one count failed, the other did not")
            }
        }
        var vocab = model
        vocab.layers[0].fields[.vocab] = .int(999)
        let e = modelError { _ = try Counter.recount(vocab, replacing: 0, old: model.layers[0], previous: previous) }
        #expect(e?.layer == 6 && e?.field == "tied")
    }
}

@Suite("incremental recount with experts")
struct RoutedRecountTests {
    @Test func routedFlagAndActiveFollowEdits() throws {
        let model = Model(convention: .pytorch, layers: [
            Layer(.embedding, [(.vocab, .int(50)), (.dim, .int(16))]),
            MoETests.moe(16, experts: 4, topK: 1, ff: 8).withoutDim, Layer(.rmsnorm),
            MoETests.moe(16, experts: 4, topK: 2, ff: 8).withoutDim,
        ])
        let previous = try Counter.count(model)
        #expect(previous.routed)
        for (i, field, value) in [(1, Field.topK, FieldValue.int(3)), (3, .experts, .int(8)), (0, .dim, .int(8))] {
            var edited = model
            let old = edited.layers[i]
            edited.layers[i].fields[field] = value
            #expect(try Counter.recount(edited, replacing: i, old: old, previous: previous) == Counter.count(edited), "layer \(i) \(field)")
        }
        // Replacing one of the two mixtures keeps the model routed; a fresh count agrees.
        var one = model
        one.layers[1] = Layer(.mlp, [(.ff, .int(8))])
        let recounted = try Counter.recount(one, replacing: 1, old: model.layers[1], previous: previous)
        #expect(recounted == (try Counter.count(one)) && recounted.routed)
        var none = one
        none.layers[3] = Layer(.mlp, [(.ff, .int(8))])
        let plain = try Counter.recount(none, replacing: 3, old: one.layers[3], previous: recounted)
        #expect(plain == (try Counter.count(none)) && !plain.routed && plain.active == plain.total)
    }
}

extension Layer {
    /// The layer with its input width left to inherit.
    var withoutDim: Layer {
        var l = self
        l.fields[.dim] = nil
        return l
    }
}
