/// Root-mean-square normalisation: a scale γ per feature and no shift (torch.nn.RMSNorm,
/// transformers' LlamaRMSNorm).
enum RMSNorm: KindDefinition {
    struct Settings: Sendable, Equatable {}

    static let kind = LayerKind.rmsnorm
    static let shortName = "rms"
    static let summary = "RMS normalisation"
    static let fields: [FieldSpec] = [.input(.dim, "normalised width")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        r.output = r.input
        return Settings()
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        try sink.take(Part("scale γ", .norm, v("x", r.input, "normalised width")))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(r.input)" }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        field == .dim ? String(r.input) : nil
    }

    static func newLayer(below width: Int) -> Layer { Layer(.rmsnorm) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .rmsNorm(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .rmsNorm(let s) = k { return s } else { return nil } }
}
