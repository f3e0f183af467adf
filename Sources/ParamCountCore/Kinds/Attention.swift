/// Multi-head attention with query, key, value and output projections; grouped-query when there
/// are fewer key/value heads than query heads (torch.nn.MultiheadAttention, keras.layers.MultiHeadAttention,
/// transformers' LlamaAttention).
enum Attention: KindDefinition {
    struct Settings: Sendable, Equatable {
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var bias: Bool
    }

    static let kind = LayerKind.attention
    static let shortName = "attn"
    static let summary = "multi-head attention"
    static let fields: [FieldSpec] = [
        .input(.dim, "embedding width"), .int(.heads, 8, "query heads"),
        .derived(.kvHeads, "= heads", "key/value heads"), .derived(.headDim, "= dim / heads", "width of one head"),
        .flag(.bias, true, "projection biases"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let dim = r.input
        let heads = try f.positive(.heads, default: 8)
        let kvHeads = try f.positive(.kvHeads, default: heads)
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
        r.output = dim
        return Settings(heads: heads, kvHeads: kvHeads, headDim: headDim, bias: try f.flag(.bias, true))
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "embedding width")
        if s.kvHeads == s.heads, s.heads.multipliedReportingOverflow(by: s.headDim) == (r.input, false) {
            try sink.take(Part("Q, K, V and output projections", .attention, try Attention.standard(x, s.bias)))
        } else {
            let h: Term<S.A> = v("H", s.heads, "query heads"), g: Term<S.A> = v("G", s.kvHeads, "key/value heads")
            let d: Term<S.A> = v("d", s.headDim, "width of one head")
            try sink.take(Part("query projection", .attention, s.bias ? try x * h * d + h * d : try x * h * d))
            try sink.take(Part("key and value projections", .attention,
                          s.bias ? try c(2) * (x * g * d + g * d) : try c(2) * x * g * d))
            try sink.take(Part("output projection", .attention, s.bias ? try h * d * x + x : try h * d * x))
        }
    }

    /// Four x × x projections, each with a bias of x when there are biases: the board formula, also
    /// used by the transformer blocks.
    static func standard<A>(_ x: Term<A>, _ bias: Bool) throws(CountOverflow) -> Term<A> {
        bias ? try c(4) * (sq(x) + x) : try c(4) * sq(x)
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input) h\(s.heads)" + (s.kvHeads != s.heads ? " kv\(s.kvHeads)" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .heads: return String(s.heads)
        case .kvHeads: return String(s.kvHeads)
        case .headDim: return String(s.headDim)
        case .bias: return String(s.bias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.attention, [(.heads, .int(headsDividing(width)))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        try inventory.attentionLayer(dim: r.input, heads: s.heads, kvHeads: s.kvHeads, headDim: s.headDim, cross: false,
                                     times: times, trainable: r.trainable)
        try inventory.blocks.add(BlockShape(width: r.input, heads: s.heads), times)
    }

    static func wrap(_ s: Settings) -> KindSettings { .attention(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .attention(let s) = k { return s } else { return nil } }
}

/// A head count for a new layer that divides its width: 8, 4, 2 or 1.
func headsDividing(_ width: Int) -> Int { [8, 4, 2, 1].first { width % $0 == 0 } ?? 1 }
