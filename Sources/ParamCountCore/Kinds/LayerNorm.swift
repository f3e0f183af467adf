/// Layer normalisation: a scale γ and, unless turned off, a shift β per feature
/// (torch.nn.LayerNorm, keras.layers.LayerNormalization).
enum LayerNorm: KindDefinition {
    struct Settings: Sendable, Equatable {
        var bias: Bool
    }

    static let kind = LayerKind.layernorm
    static let shortName = "ln"
    static let summary = "layer normalisation"
    static let fields: [FieldSpec] = [.input(.dim, "normalised width"), .flag(.bias, true, "shift β")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        r.output = r.input
        return Settings(bias: try f.flag(.bias, true))
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "normalised width")
        try sink.take(Part(s.bias ? "scale γ and shift β" : "scale γ", .norm, s.bias ? try c(2) * x : x))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(r.input)" }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .bias: return String(s.bias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.layernorm) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .layerNorm(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .layerNorm(let s) = k { return s } else { return nil } }
}
