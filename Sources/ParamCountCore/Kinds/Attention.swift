/// Multi-head attention with query, key, value and output projections (torch.nn.MultiheadAttention,
/// keras.layers.MultiHeadAttention, transformers' LlamaAttention and relatives): grouped-query when
/// there are fewer key/value heads than query heads, with the biases of Qwen2 (q, k and v only) and
/// the query/key norms of Qwen3 and OLMo 2; or multi-head latent attention (DeepseekV3Attention)
/// when kv_rank is set.
enum Attention: KindDefinition {
    /// Norms on the queries and keys before the dot product.
    enum QKNorm: String, Sendable, Equatable {
        /// None (the default).
        case off = "none"
        /// One RMSNorm of a head's width, shared by the query heads and one by the key heads (Qwen3, Gemma 3).
        case head
        /// One RMSNorm over all query heads together and one over all key heads (OLMo 2).
        case full
    }

    /// DeepSeek's multi-head latent attention: keys and values (and, with `qRank`, queries) pass
    /// through a narrow latent vector.
    struct Latent: Sendable, Equatable {
        /// 0: one query projection instead of the q_a/q_b pair.
        var qRank: Int
        var kvRank: Int
        /// The rotary part of a query/key head; `headDim` is the rest (DeepSeek's qk_nope_head_dim).
        var ropeDim: Int
        var vHeadDim: Int
    }

    struct Settings: Sendable, Equatable {
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var qkvBias: Bool
        var outBias: Bool
        var qkNorm: QKNorm
        var latent: Latent?
        /// `bias` as written (the default of qkv_bias and out_bias), for the form.
        var bias: Bool
    }

    private static let qkNormWords: [(word: Word, norm: QKNorm)] = [("none", .off), ("head", .head), ("full", .full)]

    static let kind = LayerKind.attention
    static let shortName = "attn"
    static let summary = "multi-head attention"
    static let fields: [FieldSpec] = [
        .input(.dim, "embedding width"), .int(.heads, 8, "query heads"),
        .derived(.kvHeads, "= heads", "key/value heads"), .derived(.headDim, "= dim / heads", "width of one head"),
        .flag(.bias, true, "projection biases"),
        FieldSpec(field: .qkvBias, type: .flag, defaultValue: .derived("= bias"), meaning: "biases on q, k and v"),
        FieldSpec(field: .outBias, type: .flag, defaultValue: .derived("= bias"), meaning: "bias on the output"),
        FieldSpec(field: .qkNorm, type: .choice(["none", "head", "full"]), defaultValue: .value(.option("none")),
                  meaning: "RMS norms on queries and keys"),
        FieldSpec(field: .qRank, type: .count, defaultValue: .value(.int(0)), meaning: "latent query width (MLA; 0 = off)"),
        FieldSpec(field: .kvRank, type: .count, defaultValue: .value(.int(0)), meaning: "latent key/value width (MLA; 0 = off)"),
        FieldSpec(field: .ropeDim, type: .count, defaultValue: .value(.int(0)), meaning: "rotary width of a head (MLA)"),
        .derived(.vHeadDim, "= head_dim", "width of a value head (MLA)"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let dim = r.input
        let heads = try f.positive(.heads, default: 8)
        let kvRank = try count(f, .kvRank), qRank = try count(f, .qRank), ropeDim = try count(f, .ropeDim)
        let vHeadDim = try f.optionalPositive(.vHeadDim)
        let latent = kvRank > 0
        if !latent {
            func onlyLatent(_ field: Field) -> LayerError {
                LayerError(field, "belongs to multi-head latent attention: set kv_rank too (or leave \(field.rawValue) out)")
            }
            if qRank > 0 { throw onlyLatent(.qRank) }
            if ropeDim > 0 { throw onlyLatent(.ropeDim) }
            if vHeadDim != nil { throw onlyLatent(.vHeadDim) }
        }
        let kvHeads = try f.positive(.kvHeads, default: heads)
        if latent && kvHeads != heads {
            throw LayerError(.kvHeads, "must equal heads (\(heads)) in multi-head latent attention: every head gets its own keys and values from the latent vector")
        }
        if heads % kvHeads != 0 {
            throw LayerError(.kvHeads, "\(kvHeads) key/value heads do not divide \(heads) heads")
        }
        let headDim: Int
        if let hd = try f.optionalPositive(.headDim) {
            headDim = hd
        } else {
            guard dim % heads == 0 else {
                throw LayerError(.heads, "\(heads) heads do not divide dim \(dim): choose a divisor or give head_dim")
            }
            headDim = dim / heads
        }
        let qkNorm: QKNorm
        switch f[.qkNorm] {
        case nil: qkNorm = .off
        case .option(let word)?:
            // Matched against words made once: a string literal in a pattern makes a Word on every layer counted.
            guard let norm = qkNormWords.first(where: { $0.word == word })?.norm else {
                throw LayerError(.qkNorm, "must be one of none, head, full; got \(word)")
            }
            qkNorm = norm
        case let v?: throw LayerError(.qkNorm, "must be one of none, head, full; got \(v)")
        }
        if latent && qkNorm != .off {
            throw LayerError(.qkNorm, "must be none in multi-head latent attention: it normalises its latent vectors (q_a and kv_a norms) instead")
        }
        let bias = try f.flag(.bias, true)
        r.output = dim
        return Settings(heads: heads, kvHeads: kvHeads, headDim: headDim, qkvBias: try f.flag(.qkvBias, bias),
                        outBias: try f.flag(.outBias, bias), qkNorm: qkNorm,
                        latent: latent ? Latent(qRank: qRank, kvRank: kvRank, ropeDim: ropeDim, vHeadDim: vHeadDim ?? headDim) : nil,
                        bias: bias)
    }

    private static func count(_ f: FieldReader, _ field: Field) throws(LayerError) -> Int {
        switch f[field] {
        case nil: return 0
        case .int(let n)? where n >= 0: return n
        case let v?: throw LayerError(field, "must be a non-negative integer (0 = off), got \(v)")
        }
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "embedding width")
        if let latent = s.latent { return try latentParts(s, latent, x, into: &sink) }
        let h: Term<S.A> = v("H", s.heads, "query heads"), g: Term<S.A> = v("G", s.kvHeads, "key/value heads")
        let d: Term<S.A> = v("d", s.headDim, "width of one head")
        let square = s.kvHeads == s.heads && s.heads.multipliedReportingOverflow(by: s.headDim) == (r.input, false)
        if square && s.qkvBias == s.outBias {
            try sink.take(Part("Q, K, V and output projections", .attention, try Attention.standard(x, s.qkvBias)))
        } else if square {
            try sink.take(Part("Q, K and V projections", .attention, s.qkvBias ? try c(3) * (sq(x) + x) : try c(3) * sq(x)))
            try sink.take(Part("output projection", .attention, s.outBias ? try sq(x) + x : try sq(x)))
        } else {
            try sink.take(Part("query projection", .attention, s.qkvBias ? try x * h * d + h * d : try x * h * d))
            try sink.take(Part("key and value projections", .attention,
                               s.qkvBias ? try c(2) * (x * g * d + g * d) : try c(2) * x * g * d))
            try sink.take(Part("output projection", .attention, s.outBias ? try h * d * x + x : try h * d * x))
        }
        switch s.qkNorm {
        case .off: break
        case .head: try sink.take(Part("query and key norms", .norm, try c(2) * d))
        case .full: try sink.take(Part("query and key norms", .norm, s.kvHeads == s.heads ? try c(2) * h * d : try h * d + g * d))
        }
    }

    /// DeepseekV3Attention: q_a (x → r_q), its norm, q_b (r_q → H·(d + d_rope)), or one q projection;
    /// kv_a (x → r_kv + d_rope), its norm, kv_b (r_kv → H·(d + d_v)); o (H·d_v → x). Biases on q_a,
    /// kv_a and o only, as the module has them.
    private static func latentParts<S: PartSink>(_ s: Settings, _ l: Latent, _ x: Term<S.A>, into sink: inout S) throws(CountOverflow) {
        let h: Term<S.A> = v("H", s.heads, "heads"), d: Term<S.A> = v("d", s.headDim, "non-rotary width of a query/key head")
        let rope: Term<S.A> = v("d_rope", l.ropeDim, "rotary width of a query/key head")
        let dv: Term<S.A> = v("d_v", l.vHeadDim, "width of a value head")
        let rkv: Term<S.A> = v("r_kv", l.kvRank, "latent key/value width")
        let queryHead: Term<S.A> = l.ropeDim > 0 ? try d + rope : d
        if l.qRank > 0 {
            let rq: Term<S.A> = v("r_q", l.qRank, "latent query width")
            try sink.take(Part("query down-projection q_a", .attention, s.qkvBias ? try x * rq + rq : try x * rq))
            try sink.take(Part("q_a norm", .norm, rq))
            try sink.take(Part("query up-projection q_b", .attention, try rq * h * queryHead))
        } else {
            try sink.take(Part("query projection", .attention, try x * h * queryHead))
        }
        let kvDown: Term<S.A> = l.ropeDim > 0 ? try rkv + rope : rkv
        try sink.take(Part("key/value down-projection kv_a", .attention, s.qkvBias ? try x * kvDown + kvDown : try x * kvDown))
        try sink.take(Part("kv_a norm", .norm, rkv))
        try sink.take(Part("key/value up-projection kv_b", .attention, try rkv * h * (d + dv)))
        try sink.take(Part("output projection", .attention, s.outBias ? try h * dv * x + x : try h * dv * x))
    }

    /// The projections at every position, then the scores: Q·Kᵀ and the weighted sum of V over
    /// every pair of positions, per query head (FlopCounterMode counts the full T × T, mask or not,
    /// and grouped-query attention still multiplies for every query head).
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "embedding width")
        let h: Term<S.A> = v("H", s.heads, "query heads"), d: Term<S.A> = v("d", s.headDim, "width of one head")
        if let l = s.latent {
            let rope: Term<S.A> = v("d_rope", l.ropeDim, "rotary width of a query/key head")
            let dv: Term<S.A> = v("d_v", l.vHeadDim, "width of a value head")
            let rkv: Term<S.A> = v("r_kv", l.kvRank, "latent key/value width")
            let queryHead: Term<S.A> = l.ropeDim > 0 ? try d + rope : d
            let kvDown: Term<S.A> = l.ropeDim > 0 ? try rkv + rope : rkv
            let query: Term<S.A> = l.qRank > 0
                ? try x * v("r_q", l.qRank, "latent query width") + v("r_q", l.qRank, "latent query width") * h * queryHead
                : try x * h * queryHead
            try sink.take(Part("projections", .attention,
                               try ShapeTerms.perPosition(input, try query + x * kvDown + rkv * h * (d + dv) + h * dv * x)))
            try sink.take(Part("scores", .attention, try ShapeTerms.scores(input, heads: h, qk: queryHead, v: dv)))
            return
        }
        let g: Term<S.A> = v("G", s.kvHeads, "key/value heads")
        let square = s.kvHeads == s.heads && s.heads.multipliedReportingOverflow(by: s.headDim) == (r.input, false)
        let projections: Term<S.A> = square ? try c(4) * sq(x) : try x * h * d + c(2) * x * g * d + h * d * x
        try sink.take(Part("projections", .attention, try ShapeTerms.perPosition(input, projections)))
        try sink.take(Part("scores", .attention, try ShapeTerms.scores(input, heads: h, qk: d, v: nil)))
    }

    /// Four x × x projections, each with a bias of x when there are biases: the board formula, also
    /// used by the transformer blocks.
    static func standard<A>(_ x: Term<A>, _ bias: Bool) throws(CountOverflow) -> Term<A> {
        bias ? try c(4) * (sq(x) + x) : try c(4) * sq(x)
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        var notes: [String] = []
        if let l = s.latent {
            notes.append("Multi-head latent attention (DeepSeek-V2/V3) passes keys and values through one r_kv-wide latent vector"
                         + (l.qRank > 0 ? " and queries through an r_q-wide one" : "")
                         + ", each followed by an RMSNorm; every head adds a rotary part d_rope to its query and key.")
            notes.append("As in transformers' DeepseekV3Attention, the up-projections never have biases"
                         + (l.qRank == 0 ? " and neither has the single query projection." : "."))
        } else if s.qkvBias != s.outBias {
            notes.append(s.qkvBias
                ? "Biases on the query, key and value projections but not on the output, as in Qwen2's attention."
                : "A bias on the output projection only.")
        }
        switch s.qkNorm {
        case .off: break
        case .head: notes.append("Query and key norms: one RMSNorm of a head's width d for all query heads and one for all key heads, as in Qwen3 and Gemma 3: 2d.")
        case .full: notes.append("Query and key norms over whole projections, as in OLMo 2: H·d weights for the queries and G·d for the keys.")
        }
        return notes
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input) h\(s.heads)" + (s.kvHeads != s.heads ? " kv\(s.kvHeads)" : "") + (s.latent != nil ? " mla" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .heads: return String(s.heads)
        case .kvHeads: return String(s.kvHeads)
        case .headDim: return String(s.headDim)
        case .bias: return String(s.bias)
        case .qkvBias: return String(s.qkvBias)
        case .outBias: return String(s.outBias)
        case .qkNorm: return s.qkNorm.rawValue
        case .qRank: return String(s.latent?.qRank ?? 0)
        case .kvRank: return String(s.latent?.kvRank ?? 0)
        case .ropeDim: return String(s.latent?.ropeDim ?? 0)
        case .vHeadDim: return String(s.latent?.vHeadDim ?? s.headDim)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.attention, [(.heads, .int(headsDividing(width)))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        if let l = s.latent {
            let dim = r.input
            let queryHead = try Checked.add(s.headDim, l.ropeDim)
            let q = try Checked.mul(s.heads, queryHead)
            if l.qRank > 0 {
                try inventory.linear(.query, dim, l.qRank, times, r.trainable)
                try inventory.linear(.query, l.qRank, q, times, r.trainable)
            } else {
                try inventory.linear(.query, dim, q, times, r.trainable)
            }
            try inventory.linear(.key, dim, try Checked.add(l.kvRank, l.ropeDim), times, r.trainable)
            try inventory.linear(.value, l.kvRank, try Checked.mul(s.heads, try Checked.add(s.headDim, l.vHeadDim)), times, r.trainable)
            try inventory.linear(.output, try Checked.mul(s.heads, l.vHeadDim), dim, times, r.trainable)
            try inventory.attention.add(AttentionShape(heads: s.heads, headDim: queryHead, kvHeads: s.heads,
                                                       latent: (l.kvRank, l.ropeDim), cross: false), times)
        } else {
            try inventory.attentionLayer(dim: r.input, heads: s.heads, kvHeads: s.kvHeads, headDim: s.headDim, cross: false,
                                         times: times, trainable: r.trainable)
        }
        try inventory.blocks.add(BlockShape(width: r.input, heads: s.heads), times)
    }

    static func wrap(_ s: Settings) -> KindSettings { .attention(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .attention(let s) = k { return s } else { return nil } }
}

/// A head count for a new layer that divides its width: 8, 4, 2 or 1.
func headsDividing(_ width: Int) -> Int { [8, 4, 2, 1].first { width % $0 == 0 } ?? 1 }
