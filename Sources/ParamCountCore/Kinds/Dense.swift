/// A fully connected layer: torch.nn.Linear, keras.layers.Dense. Tied, its weight is an earlier
/// embedding's table (an LM head with tie_word_embeddings), counted once, at the embedding.
enum Dense: KindDefinition {
    struct Settings: Sendable, Equatable {
        var out: Int
        var bias: Bool
        /// The weight is an earlier embedding's table (an output head tied to the input embedding).
        var tied: Bool
    }

    static let kind = LayerKind.dense
    static let shortName = "dense"
    static let summary = "fully connected"
    static let fields: [FieldSpec] = [
        .input(.in, "input features"), .required(.out, "output features"), .flag(.bias, true, "bias vector"),
        .flag(.tied, false, "weight shared with an embedding"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let s = Settings(out: try f.positive(.out), bias: try f.flag(.bias, true), tied: try f.flag(.tied, false))
        r.output = s.out
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let i: Term<S.A> = v("i", r.input, "input features"), o: Term<S.A> = v("o", s.out, "output features")
        if s.tied {
            try sink.take(s.bias ? Part("bias", .ffn, o) : Part("weights, counted at the embedding", .ffn, c(0)))
        } else {
            try sink.take(Part(s.bias ? "weights and bias" : "weights", .ffn, s.bias ? try i * o + o : try i * o))
        }
    }

    /// Tied, its weight is out × in, an embedding's vocab × dim: the counter finds which one.
    static func sharing(_ s: Settings, _ r: ResolvedLayer) -> WeightSharing {
        s.tied ? .reuses(WeightReuse(shape: WeightShape(rows: s.out, columns: r.input), field: .tied)) : .none
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        guard s.tied else { return [] }
        return ["Tied: the i × o weight is an embedding's o × i table, shared rather than copied, so it is not counted here"
                + (s.bias ? "; only the bias o is." : ".")]
    }

    /// A tied head has no weight of its own, but its matmul runs all the same.
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let i: Term<S.A> = v("i", r.input, "input features"), o: Term<S.A> = v("o", s.out, "output features")
        try sink.take(Part("matmul", .ffn, try ShapeTerms.perPosition(input, try i * o)))
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(r.input)→\(s.out)" + (s.tied ? " tied" : "") }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .in: return String(r.input)
        case .out: return String(s.out)
        case .bias: return String(s.bias)
        case .tied: return String(s.tied)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.dense, [(.out, .int(max(1, width)))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        // A tied head holds no matrix of its own: the embedding's is already in the inventory.
        guard !s.tied else { return }
        try inventory.linear(isLast ? .outputHead : .dense, r.input, s.out, times, r.trainable)
    }

    static func wrap(_ s: Settings) -> KindSettings { .dense(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .dense(let s) = k { return s } else { return nil } }
}
