/// Batch normalisation: a scale γ and shift β per channel, plus running statistics that Keras counts
/// as non-trainable weights and PyTorch keeps as buffers (torch.nn.BatchNorm*d,
/// keras.layers.BatchNormalization).
enum BatchNorm: KindDefinition {
    struct Settings: Sendable, Equatable {}

    static let kind = LayerKind.batchnorm
    static let shortName = "bn"
    static let summary = "batch normalisation"
    static let fields: [FieldSpec] = [.input(.features, "channels")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        r.output = r.input
        return Settings()
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let ch: Term<S.A> = v("C", r.input, "channels")
        try sink.take(Part("scale γ and shift β", .norm, try c(2) * ch))
        if convention == .keras {
            try sink.take(Part("moving mean and variance", .norm, try c(2) * ch, trainable: false))
        }
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        switch convention {
        case .keras: return ["Keras counts the moving mean and variance as non-trainable weights; PyTorch keeps them as buffers, not parameters."]
        case .pytorch: return ["PyTorch's running mean and variance are buffers, not parameters, so they are not counted."]
        case .textbook: return []
        }
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(r.input)" }

    /// Normalises each channel of a channels-first shape (BatchNorm1d/2d/3d), or the features of a vector.
    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape { input }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        field == .features ? String(r.input) : nil
    }

    static func newLayer(below width: Int) -> Layer { Layer(.batchnorm) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .batchNorm(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .batchNorm(let s) = k { return s } else { return nil } }
}
