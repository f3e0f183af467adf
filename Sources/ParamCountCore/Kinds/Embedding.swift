/// A lookup table of one vector per token (torch.nn.Embedding, keras.layers.Embedding). It has no
/// input width: it starts a chain of widths.
enum Embedding: KindDefinition {
    struct Settings: Sendable, Equatable {
        var vocab: Int
        var dim: Int
    }

    static let kind = LayerKind.embedding
    static let shortName = "emb"
    static let summary = "lookup table"
    static let fields: [FieldSpec] = [.required(.vocab, "vocabulary size"), .required(.dim, "embedding width")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let s = Settings(vocab: try f.positive(.vocab), dim: try f.positive(.dim))
        r.output = s.dim
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let voc: Term<S.A> = v("V", s.vocab, "vocabulary size"), x: Term<S.A> = v("x", s.dim, "embedding width")
        try sink.take(Part("lookup table", .embedding, try voc * x))
    }

    /// A tied output head below may use this table as its weight.
    static func sharing(_ s: Settings, _ r: ResolvedLayer) -> WeightSharing {
        .offers(WeightShape(rows: s.vocab, columns: s.dim))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    /// Looks up a vector for each token id: `[T]` becomes `[T, dim]` (a lookup, no multiply-adds).
    /// An embedding below a sequence of its own width is added to it, as GPT-2's and BERT's position
    /// and token-type embeddings are: the shape stays.
    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape {
        if input.rank == 1 && input.layout == .featuresLast { return Shape(input.dims + [s.dim], layout: .featuresLast) }
        if input.layout == .featuresLast && input.width == s.dim { return input }
        throw LayerError("reads token ids, a shape like [T], or adds to a sequence [T, \(s.dim)], but it receives \(input)")
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "\(s.vocab)×\(s.dim)" }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .vocab: return String(s.vocab)
        case .dim: return String(s.dim)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.embedding, [(.vocab, .int(10_000)), (.dim, .int(128))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        try inventory.matrices.add(Matrix(role: .embedding, dIn: s.vocab, dOut: s.dim, elements: try Checked.mul(s.vocab, s.dim),
                                          factored: try Checked.add(s.vocab, s.dim), trainable: r.trainable), times)
    }

    static func wrap(_ s: Settings) -> KindSettings { .embedding(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .embedding(let s) = k { return s } else { return nil } }
}
