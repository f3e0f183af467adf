import ParamCountCore

/// BERT, RoBERTa and T5, written from their modeling_*.py and configuration_*.py in transformers 5.24.
enum HFEncoders {
    static func build(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        switch c.family {
        case .bert, .roberta: return try bert(c)
        case .t5: return try t5(c)
        default: preconditionFailure("not an encoder family: \(c.family)")
        }
    }

    /// BERT and RoBERTa share one tree: word, position and token-type embeddings and a LayerNorm;
    /// layers of self-attention (every projection with a bias), LayerNorm, intermediate and output
    /// dense layers and LayerNorm. The base model has a pooler; the masked-LM head is a dense
    /// transform, a LayerNorm and a decoder whose weight is the word embeddings' when tied and whose
    /// bias is the head's own `bias` parameter (counted once when tied, twice when not). RoBERTa's
    /// position table has the rows its config says (the "+2" is already in roberta-base's 514).
    static func bert(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let roberta = c.family == .roberta
        let vocab = try c.positive("vocab_size", roberta ? 50265 : 30522)
        let d = try c.positive("hidden_size", 768)
        let layers = try c.positive("num_hidden_layers", 12)
        let heads = try c.positive("num_attention_heads", 12)
        try HFClassic.divides(c, heads: heads, key: "num_attention_heads", width: d, widthKey: "hidden_size")
        let ff = try c.positive("intermediate_size", 3072)
        let positions = try c.positive("max_position_embeddings", 512)
        let types = try c.positive("type_vocab_size", 2)
        let tied = try c.flag("tie_word_embeddings", true)
        let cross = try c.flag("add_cross_attention", false)
        if cross, !(try c.flag("is_decoder", false)) {
            throw c.error("add_cross_attention", "is true but is_decoder is not: transformers adds cross-attention only to a decoder "
                          + "(and refuses this config)")
        }
        let p = c.within ? (roberta ? "roberta." : "bert.") : ""
        let attention = HFAttention(heads: heads, kvHeads: heads, qkvBias: true, outBias: true)
        var body: [HFModule] = [.attention("attention", attention), .layernorm("attention.output.LayerNorm")]
        if cross { body += [.attention("crossattention", attention), .layernorm("crossattention.output.LayerNorm")] }
        body += [.dense("intermediate.dense", out: ff, bias: true), .dense("output.dense", out: d, bias: true),
                 .layernorm("output.LayerNorm")]
        var out: [HFModule] = [
            .embedding(p + "embeddings.word_embeddings", vocab: vocab, dim: d),
            .embedding(p + "embeddings.position_embeddings", vocab: positions, dim: d),
            .embedding(p + "embeddings.token_type_embeddings", vocab: types, dim: d),
            .layernorm(p + "embeddings.LayerNorm"),
            .group(p + "encoder.layer", repeat: layers, body),
        ]
        // BertPooler reads hidden_states[:, 0]: the [CLS] token, then its dense layer.
        let pooler: [HFModule] = [.firstToken(p + "pooler.first_token"), .dense(p + "pooler.dense", out: d, bias: true)]
        let mlm: [HFModule]
        if roberta {
            mlm = [.dense("lm_head.dense", out: d, bias: true), .layernorm("lm_head.layer_norm"),
                   .dense("lm_head.decoder", out: vocab, bias: true, tied: tied)] + (tied ? [] : [.fixed("lm_head.bias", params: vocab)])
        } else {
            mlm = [.dense("cls.predictions.transform.dense", out: d, bias: true), .layernorm("cls.predictions.transform.LayerNorm"),
                   .dense("cls.predictions.decoder", out: vocab, bias: true, tied: tied)]
                + (tied ? [] : [.fixed("cls.predictions.bias", params: vocab)])
        }
        switch c.head {
        case .none: out += pooler
        case .maskedLM: out += mlm
        // The masked-LM head reads the sequence, not the pooled vector: as a chain its shapes are
        // the pooler's (the counts are right); the pool is left out so that it reads [T, d].
        case .preTraining: out += [pooler[1]] + mlm + [.dense("cls.seq_relationship", in: d, out: 2, bias: true)]
        case .sequenceClassification:
            let labels = try c.labels()
            if roberta {
                // RobertaClassificationHead takes features[:, 0, :], the <s> token.
                out += [.firstToken("classifier.first_token"), .dense("classifier.dense", out: d, bias: true),
                        .dense("classifier.out_proj", out: labels, bias: true)]
            } else {
                out += pooler + [.dense("classifier", out: labels, bias: true)]
            }
        case .causalLM, .encoderOnly: preconditionFailure("no such BERT class")
        }
        return out
    }

    /// T5: a shared embedding; an encoder and a decoder stack of blocks whose attention has no
    /// biases and `num_heads × d_kv` inner width (which may differ from d_model); a relative
    /// position table (buckets × heads) in the first block of each stack only; weight-only norms.
    /// The feed-forward is gated when config.json's `is_gated_act` says so, else when
    /// `feed_forward_proj` starts with `gated-`.
    ///
    /// transformers 5 ties `lm_head` to `shared` whatever the config says; paramcount follows the
    /// checkpoints instead: T5 v1.1 and Flan-T5 say `tie_word_embeddings: false` and their files hold
    /// a separate `lm_head`, which is counted.
    static func t5(_ c: HFConfig) throws(ModelError) -> [HFModule] {
        let vocab = try c.positive("vocab_size", 32128)
        let d = try c.positive("d_model", alias: "hidden_size", 512)
        let headDim = try c.positive("d_kv", alias: "head_dim", 64)
        let ff = try c.positive("d_ff", 2048)
        let encoderLayers = try c.positive("num_layers", alias: "num_hidden_layers", 6)
        let decoderLayers = try c.optionalPositive("num_decoder_layers") ?? encoderLayers
        let heads = try c.positive("num_heads", alias: "num_attention_heads", 8)
        let buckets = try c.positive("relative_attention_num_buckets", 32)
        let activation = try c.text("feed_forward_proj", "relu")
        let parts = activation.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count > 2 || (parts.count == 2 && parts[0] != "gated") {
            throw c.error("feed_forward_proj", "must be an activation such as \"relu\" or \"gated-gelu\", got \"\(TerminalSafe.escapeShort(activation))\"")
        }
        let gated = try c.has("is_gated_act") ? c.flag("is_gated_act", false) : parts[0] == "gated"
        let tied = try c.flag("tie_word_embeddings", true)

        let attention = HFAttention(heads: heads, kvHeads: heads, headDim: headDim, qkvBias: false, outBias: false)
        let mlp = HFModule.mlp("DenseReluDense", ff: ff, gated: gated, bias: false)
        // The relative position table sits before its stack's blocks, so the first norm of a block
        // names its width instead of inheriting the table's.
        func stack(_ name: String, layers: Int, decoder: Bool) -> [HFModule] {
            var body: [HFModule] = [.rmsnorm("layer.0.layer_norm", dim: d), .attention("layer.0.SelfAttention", attention)]
            if decoder { body += [.rmsnorm("layer.1.layer_norm"), .attention("layer.1.EncDecAttention", attention)] }
            let n = decoder ? 2 : 1
            body += [.rmsnorm("layer.\(n).layer_norm"), HFModule(name: "layer.\(n)." + mlp.name, kind: mlp.kind)]
            return [.embedding(name + ".block.0.layer.0.SelfAttention.relative_attention_bias", vocab: buckets, dim: heads),
                    .group(name + ".block", repeat: layers, body), .rmsnorm(name + ".final_layer_norm")]
        }
        var out: [HFModule] = [.embedding("shared", vocab: vocab, dim: d)]
        out += stack("encoder", layers: encoderLayers, decoder: false)
        if c.head == .encoderOnly { return out }
        out += stack("decoder", layers: decoderLayers, decoder: true)
        if c.head == .causalLM { out.append(.dense("lm_head", out: vocab, bias: false, tied: tied)) }
        return out
    }
}
