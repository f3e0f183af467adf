/// A two-layer feed-forward block x → f → o, or the gated kind (SwiGLU/GeGLU) with a gate and an up
/// projection multiplied before the down projection (transformers' LlamaMLP, GPT2MLP;
/// nn.Sequential(Linear, GELU, Linear)).
enum MLP: KindDefinition {
    struct Settings: Sendable, Equatable {
        var ff: Int
        var out: Int
        var gated: Bool
        var bias: Bool
    }

    static let kind = LayerKind.mlp
    static let shortName = "mlp"
    static let summary = "feed-forward block"
    static let fields: [FieldSpec] = [
        .input(.dim, "input width"), .required(.ff, "hidden width"), .derived(.out, "= dim", "output width"),
        .flag(.gated, false, "gate and up projections (SwiGLU)"), .flag(.bias, true, "bias vectors"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let s = Settings(ff: try f.positive(.ff), out: try f.positive(.out, default: r.input),
                         gated: try f.flag(.gated, false), bias: try f.flag(.bias, true))
        r.output = s.out
        return s
    }

    /// One MLP's weights: x → f (twice when gated) and f → o, with their biases.
    static func weights<A>(_ x: Term<A>, _ f: Term<A>, _ o: Term<A>, gated: Bool, bias: Bool) throws(CountOverflow) -> Term<A> {
        switch (gated, bias) {
        case (true, true): return try c(2) * (x * f + f) + f * o + o
        case (true, false): return try c(2) * (x * f) + f * o
        case (false, true): return try x * f + f + f * o + o
        case (false, false): return try x * f + f * o
        }
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "input width"), f: Term<S.A> = v("f", s.ff, "hidden width")
        let o: Term<S.A> = s.out == r.input ? x : v("o", s.out, "output width")
        let up: Term<S.A> = s.bias ? try x * f + f : try x * f
        if s.gated {
            try sink.take(Part("gate and up projections", .ffn, try c(2) * up))
        } else {
            try sink.take(Part("up projection", .ffn, up))
        }
        try sink.take(Part("down projection", .ffn, s.bias ? try f * o + o : try f * o))
    }

    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "input width"), f: Term<S.A> = v("f", s.ff, "hidden width")
        let o: Term<S.A> = s.out == r.input ? x : v("o", s.out, "output width")
        try sink.take(Part("matmuls", .ffn, try ShapeTerms.perPosition(input, try MLP.weights(x, f, o, gated: s.gated, bias: false))))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        var notes: [String]
        if s.gated {
            notes = ["A gated MLP (SwiGLU or GeGLU, as in Llama, Mistral and Qwen) multiplies a gate and an up projection, "
                     + "both x → f, then projects down f → o: three matrices instead of two."]
            if s.bias {
                notes.append("Each projection has a bias here; the MLPs of transformers' Llama, Mistral and Qwen models have none (write bias: false).")
            }
        } else {
            notes = ["Two linear layers with an activation between them, x → f → o (GPT-2's MLP; nn.Sequential(Linear, GELU, Linear))."]
        }
        return notes
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input)→\(s.ff)→\(s.out)" + (s.gated ? " gated" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .ff: return String(s.ff)
        case .out: return String(s.out)
        case .gated: return String(s.gated)
        case .bias: return String(s.bias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer {
        Layer(.mlp, [(.ff, .int((1...(1 << 40)).contains(width) ? 4 * width : 256))])
    }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        try inventory.linear(.feedForward, r.input, s.ff, try Checked.mul(times, s.gated ? 2 : 1), r.trainable)
        try inventory.linear(.feedForward, s.ff, s.out, times, r.trainable)
    }

    static func wrap(_ s: Settings) -> KindSettings { .mlp(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .mlp(let s) = k { return s } else { return nil } }
}
