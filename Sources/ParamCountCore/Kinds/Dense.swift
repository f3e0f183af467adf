/// A fully connected layer: torch.nn.Linear, keras.layers.Dense.
enum Dense: KindDefinition {
    struct Settings: Sendable, Equatable {
        var out: Int
        var bias: Bool
    }

    static let kind = LayerKind.dense
    static let shortName = "dense"
    static let summary = "fully connected"
    static let fields: [FieldSpec] = [.input(.in, "input features"), .required(.out, "output features"), .flag(.bias, true, "bias vector")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let s = Settings(out: try f.positive(.out), bias: try f.flag(.bias, true))
        r.output = s.out
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let i: Term<S.A> = v("i", r.input, "input features"), o: Term<S.A> = v("o", s.out, "output features")
        try sink.take(Part(s.bias ? "weights and bias" : "weights", .ffn, s.bias ? try i * o + o : try i * o))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(r.input)→\(s.out)" }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .in: return String(r.input)
        case .out: return String(s.out)
        case .bias: return String(s.bias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.dense, [(.out, .int(max(1, width)))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        try inventory.linear(isLast ? .outputHead : .dense, r.input, s.out, times, r.trainable)
    }

    static func wrap(_ s: Settings) -> KindSettings { .dense(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .dense(let s) = k { return s } else { return nil } }
}
