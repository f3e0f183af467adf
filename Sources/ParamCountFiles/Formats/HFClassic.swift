import ParamCountCore

/// The older decoders with LayerNorms and biases: GPT-2, GPT-NeoX (Pythia), OPT and Falcon, written
/// from their modeling_*.py and configuration_*.py in transformers 5.24.
enum HFClassic {
    static func build(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        switch c.family {
        case .gpt2: return try gpt2(c)
        case .gpt_neox: return try gptNeoX(c)
        case .opt: return try opt(c)
        case .falcon: return try falcon(c)
        default: preconditionFailure("not a classic decoder family: \(c.family)")
        }
    }

    static func divides(_ c: HFConfig, heads: Int, key: String, width: Int, widthKey: String) throws(ModelError) {
        guard width % heads == 0 else {
            throw c.error(key, "\(heads) heads do not divide \(widthKey) \(width) (transformers refuses this)")
        }
    }

    /// GPT-2: learned positions, Conv1D projections (counted as Linear: in·out + out), biases
    /// everywhere, the head tied to `wte` by default. `n_ctx` sizes nothing; `n_positions` does.
    static func gpt2(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let vocab = try c.positive("vocab_size", 50257)
        let d = try c.positive("n_embd", alias: "hidden_size", 768)
        let positions = try c.positive("n_positions", alias: "max_position_embeddings", 1024)
        let layers = try c.positive("n_layer", alias: "num_hidden_layers", 12)
        let heads = try c.positive("n_head", alias: "num_attention_heads", 12)
        try divides(c, heads: heads, key: c.has("n_head") ? "n_head" : "num_attention_heads", width: d, widthKey: "n_embd")
        let inner = try c.optionalPositive("n_inner", orElse: 4, times: d, "n_embd")
        let cross = try c.flag("add_cross_attention", false)
        let tied = try c.flag("tie_word_embeddings", true)
        let p = c.within ? "transformer." : ""
        let attention = HFAttention(heads: heads, kvHeads: heads, qkvBias: true, outBias: true)
        var body: [HFModule] = [.layernorm("ln_1"), .attention("attn", attention)]
        if cross { body += [.layernorm("ln_cross_attn"), .attention("crossattention", attention)] }
        body += [.layernorm("ln_2"), .mlp("mlp", ff: inner, gated: false, bias: true)]
        var out: [HFModule] = [.embedding(p + "wte", vocab: vocab, dim: d), .embedding(p + "wpe", vocab: positions, dim: d),
                               .group(p + "h", repeat: layers, body), .layernorm(p + "ln_f")]
        try out += HFHeads.decoder(c, vocab: vocab, tied: tied)
        return out
    }

    /// GPT-NeoX: one fused query_key_value and a dense output, both with `attention_bias` (default
    /// true); the MLP always has biases. transformers 5 names the head `lm_head` (checkpoints say
    /// `embed_out`). `use_parallel_residual` and `rotary_pct` change no shape.
    static func gptNeoX(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let vocab = try c.positive("vocab_size", 50432)
        let d = try c.positive("hidden_size", 6144)
        let layers = try c.positive("num_hidden_layers", 44)
        let heads = try c.positive("num_attention_heads", 64)
        try divides(c, heads: heads, key: "num_attention_heads", width: d, widthKey: "hidden_size")
        let ff = try c.positive("intermediate_size", 24576)
        let bias = try c.flag("attention_bias", true)
        let tied = try c.flag("tie_word_embeddings", false)
        let p = c.within ? "gpt_neox." : ""
        let body: [HFModule] = [.layernorm("input_layernorm"),
                                .attention("attention", HFAttention(heads: heads, kvHeads: heads, qkvBias: bias, outBias: bias)),
                                .layernorm("post_attention_layernorm"), .mlp("mlp", ff: ff, gated: false, bias: true)]
        var out: [HFModule] = [.embedding(p + "embed_in", vocab: vocab, dim: d), .group(p + "layers", repeat: layers, body),
                               .layernorm(p + "final_layer_norm")]
        try out += HFHeads.decoder(c, vocab: vocab, tied: tied)
        return out
    }

    /// OPT: token embeddings of `word_embed_proj_dim` (projected in and out when it differs from
    /// the width), learned positions with two rows more than `max_position_embeddings` (the code's
    /// offset), pre- or post-norm layers, and norms without weights when
    /// `layer_norm_elementwise_affine` is false.
    static func opt(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let vocab = try c.positive("vocab_size", 50272)
        let d = try c.positive("hidden_size", 768)
        let layers = try c.positive("num_hidden_layers", 12)
        let heads = try c.positive("num_attention_heads", 12)
        try divides(c, heads: heads, key: "num_attention_heads", width: d, widthKey: "hidden_size")
        let ff = try c.positive("ffn_dim", 3072)
        let positions = try c.sum(try c.positive("max_position_embeddings", 2048), 2, "max_position_embeddings")
        let pre = try c.flag("do_layer_norm_before", true)
        let removeFinal = try c.flag("_remove_final_layer_norm", false)
        let proj = try c.optionalPositive("word_embed_proj_dim") ?? d
        let bias = try c.flag("enable_bias", true)
        let affine = try c.flag("layer_norm_elementwise_affine", true)
        let tied = try c.flag("tie_word_embeddings", true)
        let p = c.within ? "model.decoder." : "decoder."
        // A LayerNorm without elementwise affine has no parameters; the row keeps its place.
        func norm(_ name: String) -> HFModule { affine ? .layernorm(name) : .fixed(name, params: 0) }
        let attention = HFModule.attention("self_attn", HFAttention(heads: heads, kvHeads: heads, qkvBias: bias, outBias: bias))
        let fc: [HFModule] = [.dense("fc1", out: ff, bias: bias), .dense("fc2", out: d, bias: bias)]
        let body = pre ? [norm("self_attn_layer_norm"), attention, norm("final_layer_norm")] + fc
                       : [attention, norm("self_attn_layer_norm")] + fc + [norm("final_layer_norm")]
        var out: [HFModule] = [.embedding(p + "embed_tokens", vocab: vocab, dim: proj)]
        if proj != d { out.append(.dense(p + "project_in", out: d, bias: false)) }
        out += [.embedding(p + "embed_positions", vocab: positions, dim: d), .group(p + "layers", repeat: layers, body)]
        if pre && !removeFinal { out.append(norm(p + "final_layer_norm")) }
        if proj != d { out.append(.dense(p + "project_out", out: proj, bias: false)) }
        try out += HFHeads.decoder(c, vocab: vocab, tied: tied)
        return out
    }

    /// Falcon: one fused query_key_value whose width depends on the architecture (new: grouped
    /// key/value heads; multi-query: one key and one value head; else as many as the query heads),
    /// biases per `bias`, and one or two LayerNorms per layer depending on `parallel_attn` and
    /// `num_ln_in_parallel_attn`. The legacy `n_embed` is read as hidden_size, as transformers does.
    /// Attention and MLP side by side (parallel_attn) are written one after the other, as the
    /// layer registers them: both read and write the model's width, so the count is the same.
    static func falcon(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let vocab = try c.positive("vocab_size", 65024)
        let d = try c.positive("hidden_size", alias: "n_embed", 4544)
        let layers = try c.positive("num_hidden_layers", 32)
        let heads = try c.positive("num_attention_heads", 71)
        try divides(c, heads: heads, key: "num_attention_heads", width: d, widthKey: "hidden_size")
        let newArchitecture = try c.flag("new_decoder_architecture", false)
        let multiQuery = try c.flag("multi_query", true)
        let kvHeads = try c.optionalPositive("num_kv_heads") ?? heads
        let parallel = try c.flag("parallel_attn", true)
        let bias = try c.flag("bias", false)
        let ff = try c.optionalPositive("ffn_hidden_size", orElse: 4, times: d, "hidden_size")
        let norms = try c.optionalPositive("num_ln_in_parallel_attn") ?? (newArchitecture ? 2 : 1)
        let tied = try c.flag("tie_word_embeddings", true)
        let kv = newArchitecture ? kvHeads : multiQuery ? 1 : heads
        let p = c.within ? "transformer." : ""
        var attention = HFModule.attention("self_attention", HFAttention(heads: heads, kvHeads: kv, qkvBias: bias, outBias: bias))
        if heads % kv != 0 {
            // transformers builds the fused projection whatever the heads; the attention kind needs
            // key/value heads that divide the query heads, so the two projections are written out.
            let fused = try c.product(try c.sum(heads, try c.product(2, kv, "num_kv_heads"), "num_kv_heads"), d / heads, "num_kv_heads")
            attention = .group("self_attention", repeat: 1,
                               [.dense("query_key_value", out: fused, bias: bias), .dense("dense", in: d, out: d, bias: bias)])
        }
        let mlp = HFModule.mlp("mlp", ff: ff, gated: false, bias: bias)
        let body: [HFModule]
        if !parallel {
            body = [.layernorm("input_layernorm"), attention, .layernorm("post_attention_layernorm"), mlp]
        } else if norms == 2 {
            body = [.layernorm("ln_attn"), attention, .layernorm("ln_mlp"), mlp]
        } else {
            body = [.layernorm("input_layernorm"), attention, mlp]
        }
        var out: [HFModule] = [.embedding(p + "word_embeddings", vocab: vocab, dim: d), .group(p + "h", repeat: layers, body),
                               .layernorm(p + "ln_f")]
        try out += HFHeads.decoder(c, vocab: vocab, tied: tied)
        return out
    }
}
