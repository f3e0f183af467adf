/// Stacks of transformer blocks: the encoder's self-attention, two layer norms and a feed-forward
/// part; the decoder adds cross-attention and a third norm (torch.nn.TransformerEncoder/DecoderLayer,
/// keras_hub.layers.TransformerEncoder/Decoder).
enum Encoder: TransformerStack {
    static let kind = LayerKind.encoder
    static let shortName = "enc"
    static let summary = "transformer encoder"
    static let isDecoder = false
}

enum Decoder: TransformerStack {
    static let kind = LayerKind.decoder
    static let shortName = "dec"
    static let summary = "transformer decoder"
    static let isDecoder = true
}

struct StackSettings: Sendable, Equatable {
    var stack: Int
    var heads: Int
    /// nil: the convention's default.
    var ff: Int?
    var bias: Bool
    var finalNorm: Bool
}

protocol TransformerStack: KindDefinition where Settings == StackSettings {
    /// A decoder block also attends to the encoder's output.
    static var isDecoder: Bool { get }
}

extension TransformerStack {
    static var fields: [FieldSpec] { stackFields }

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let dim = r.input
        let stack = try f.positive(.layers, default: 1)
        let heads = try f.positive(.heads, default: 8)
        guard dim % heads == 0 else {
            throw LayerError(.heads, "\(heads) heads do not divide dim \(dim)")
        }
        let s = Settings(stack: stack, heads: heads, ff: try f.optionalPositive(.ff), bias: try f.flag(.bias, true),
                         finalNorm: try f.flag(.finalNorm, false))
        r.output = dim
        return s
    }

    /// The convention's feed-forward width when the file gives none; nil is the textbook's single
    /// x·x + x layer.
    static func defaultFF(_ dim: Int, _ convention: Convention) throws(CountOverflow) -> Int? {
        switch convention {
        case .textbook: return nil
        case .pytorch: return 2048
        case .keras: return try Checked.mul(4, dim)
        }
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "model width")
        let m: Term<S.A>? = s.stack > 1 ? v(isDecoder ? "n" : "m", s.stack, "blocks in the stack") : nil
        func stacked(_ t: Term<S.A>) throws(CountOverflow) -> Term<S.A> { if let m { return try m * t } else { return t } }
        let norm: Term<S.A> = s.bias ? try c(2) * x : x

        let attention = try Attention.standard(x, s.bias)
        try sink.take(Part(isDecoder ? "self- and cross-attention" : "self-attention", .attention,
                           try stacked(isDecoder ? try c(2) * attention : attention)))
        try sink.take(Part(isDecoder ? "3 layer norms" : "2 layer norms", .norm, try stacked(c(isDecoder ? 3 : 2) * norm)))

        let ffn: Term<S.A>
        var width = s.ff
        if width == nil { width = try defaultFF(r.input, convention) }
        if let width {
            let meaning: String
            switch (s.ff, convention) {
            case (nil, .pytorch): meaning = "feed-forward width (PyTorch default 2048)"
            case (nil, _): meaning = "feed-forward width (Keras default 4x)"
            default: meaning = "feed-forward width"
            }
            let f: Term<S.A> = v("f", width, meaning)
            ffn = s.bias ? try x * f + f + f * x + x : try x * f + f * x
        } else {
            ffn = s.bias ? group(try sq(x) + x) : try sq(x)
        }
        try sink.take(Part("feed-forward", .ffn, try stacked(ffn)))
        if s.finalNorm { try sink.take(Part("final layer norm", .norm, norm)) }
    }

    /// Per block: the attention projections at every position and the scores (a decoder's
    /// cross-attention reads a memory as long as its input), then the feed-forward matmuls.
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "model width")
        let m: Term<S.A>? = s.stack > 1 ? v(isDecoder ? "n" : "m", s.stack, "blocks in the stack") : nil
        func stacked(_ t: Term<S.A>) throws(CountOverflow) -> Term<S.A> { if let m { return try m * group(t) } else { return t } }
        var attention = try ShapeTerms.perPosition(input, try c(4) * sq(x))
        attention = try attention + ShapeTerms.scores(input, heads: c(1), qk: x, v: nil)
        try sink.take(Part(isDecoder ? "self- and cross-attention" : "self-attention", .attention,
                           try stacked(isDecoder ? try c(2) * group(attention) : attention)))
        var width = s.ff
        if width == nil { width = try defaultFF(r.input, sink.convention) }
        let ffn: Term<S.A>
        if let width { ffn = try c(2) * x * v("f", width, "feed-forward width") } else { ffn = try sq(x) }
        try sink.take(Part("feed-forward", .ffn, try stacked(try ShapeTerms.perPosition(input, ffn))))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        guard s.ff == nil else { return [] }
        switch convention {
        case .pytorch: return ["PyTorch's TransformerEncoderLayer/DecoderLayer default to dim_feedforward = 2048."]
        case .keras: return ["Without ff, Keras-style blocks use a feed-forward width of 4x."]
        case .textbook: return ["The board simplification: the feed-forward part is one x × x + x layer."]
        }
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input) h\(s.heads)" + (s.stack > 1 ? " ×\(s.stack)" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .layers: return String(s.stack)
        case .heads: return String(s.heads)
        case .ff:
            if let ff = s.ff { return String(ff) }
            switch convention {
            case .textbook: return "x·x + x"
            case .pytorch: return "2048"
            case .keras: return r.input.multipliedReportingOverflow(by: 4).overflow ? "4x" : String(r.input * 4)
            }
        case .bias: return String(s.bias)
        case .finalNorm: return String(s.finalNorm)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(kind, [(.heads, .int(headsDividing(width)))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        let dim = r.input, headDim = r.input / s.heads
        let n = try Checked.mul(times, s.stack)
        try inventory.attentionLayer(dim: dim, heads: s.heads, kvHeads: s.heads, headDim: headDim, cross: false,
                                     times: n, trainable: r.trainable)
        if isDecoder {
            try inventory.attentionLayer(dim: dim, heads: s.heads, kvHeads: s.heads, headDim: headDim, cross: true,
                                         times: n, trainable: r.trainable)
        }
        var width = s.ff
        if width == nil { width = try defaultFF(dim, convention) }
        if let width {
            try inventory.linear(.feedForward, dim, width, n, r.trainable)
            try inventory.linear(.feedForward, width, dim, n, r.trainable)
        } else {
            try inventory.linear(.feedForward, dim, dim, n, r.trainable)
        }
        try inventory.blocks.add(BlockShape(width: dim, heads: s.heads), n)
    }

    static func wrap(_ s: Settings) -> KindSettings { .transformerStack(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .transformerStack(let s) = k { return s } else { return nil } }
}

private let stackFields: [FieldSpec] = [
    .input(.dim, "model width"), .int(.layers, 1, "blocks in the stack"), .int(.heads, 8, "attention heads"),
    .derived(.ff, "by convention", "feed-forward width"), .flag(.bias, true, "bias terms"),
    .flag(.finalNorm, false, "layer norm after the stack"),
]
