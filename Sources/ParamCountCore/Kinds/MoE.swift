/// A mixture of experts: a router scores the experts for each token and the token goes through the
/// top k of them; shared experts, when there are any, see every token (transformers'
/// MixtralSparseMoeBlock, Qwen2MoeSparseMoeBlock, Qwen3MoeSparseMoeBlock, DeepseekV3MoE). The count
/// holds every expert; the active count only the ones a token passes through.
enum MoE: KindDefinition {
    struct Settings: Sendable, Equatable {
        var experts: Int
        var topK: Int
        var ff: Int
        var gated: Bool
        var bias: Bool
        var sharedExperts: Int
        var sharedFF: Int
        var sharedGate: Bool
        var routerBias: Bool
    }

    static let kind = LayerKind.moe
    static let shortName = "moe"
    static let summary = "mixture of experts"
    static let fields: [FieldSpec] = [
        .input(.dim, "model width"), .required(.experts, "routed experts"), .required(.topK, "experts per token"),
        .required(.ff, "width of one expert"), .flag(.gated, true, "gated experts (SwiGLU)"), .flag(.bias, false, "expert biases"),
        FieldSpec(field: .sharedExperts, type: .count, defaultValue: .value(.int(0)), meaning: "experts every token sees"),
        .derived(.sharedFF, "= ff", "width of one shared expert"), .flag(.sharedGate, false, "sigmoid gate on the shared experts"),
        .flag(.routerBias, false, "router bias"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let experts = try f.positive(.experts), topK = try f.positive(.topK), ff = try f.positive(.ff)
        if topK > experts {
            throw LayerError(.topK, "is \(topK), but there are only \(experts) experts: each token goes to top_k of them")
        }
        let shared: Int
        switch f[.sharedExperts] {
        case nil: shared = 0
        case .int(let n)? where n >= 0: shared = n
        case let v?: throw LayerError(.sharedExperts, "must be a non-negative integer, got \(v)")
        }
        let sharedFF = try f.optionalPositive(.sharedFF)
        let sharedGate = try f.flag(.sharedGate, false)
        if shared == 0, sharedFF != nil {
            throw LayerError(.sharedFF, "is the width of a shared expert, but shared_experts is 0: set shared_experts too")
        }
        if shared == 0, sharedGate {
            throw LayerError(.sharedGate, "gates the shared experts, but shared_experts is 0: set shared_experts too")
        }
        r.output = r.input
        return Settings(experts: experts, topK: topK, ff: ff, gated: try f.flag(.gated, true), bias: try f.flag(.bias, false),
                        sharedExperts: shared, sharedFF: sharedFF ?? ff, sharedGate: sharedGate,
                        routerBias: try f.flag(.routerBias, false))
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "model width")
        let e: Term<S.A> = v("E", s.experts, "routed experts"), k: Term<S.A> = v("k", s.topK, "experts per token")
        let f: Term<S.A> = v("f", s.ff, "width of one expert")
        try sink.take(Part("router", .ffn, s.routerBias ? try x * e + e : try x * e))
        let expert = try MLP.weights(x, f, x, gated: s.gated, bias: s.bias)
        try sink.take(Part("routed experts", .ffn, try e * expert, active: try k * expert))
        if s.sharedExperts > 0 {
            let one: Term<S.A> = s.sharedFF == s.ff ? f : v("f_s", s.sharedFF, "width of one shared expert")
            let width: Term<S.A> = s.sharedExperts == 1 ? one : try v("S", s.sharedExperts, "shared experts") * one
            try sink.take(Part(s.sharedExperts == 1 ? "shared expert" : "shared experts", .ffn,
                               try MLP.weights(x, width, x, gated: s.gated, bias: s.bias)))
            if s.sharedGate { try sink.take(Part("shared expert gate", .ffn, x)) }
        }
    }

    /// Per token: the router, its top k experts and the shared experts (transformers' eager
    /// experts path runs each expert on the tokens routed to it, so k experts per token in all).
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let x: Term<S.A> = v("x", r.input, "model width")
        let e: Term<S.A> = v("E", s.experts, "routed experts"), k: Term<S.A> = v("k", s.topK, "experts per token")
        let f: Term<S.A> = v("f", s.ff, "width of one expert")
        try sink.take(Part("router", .ffn, try ShapeTerms.perPosition(input, try x * e)))
        try sink.take(Part("routed experts", .ffn, try ShapeTerms.perPosition(input, try k * MLP.weights(x, f, x, gated: s.gated, bias: false))))
        if s.sharedExperts > 0 {
            let one: Term<S.A> = s.sharedFF == s.ff ? f : v("f_s", s.sharedFF, "width of one shared expert")
            let width: Term<S.A> = s.sharedExperts == 1 ? one : try v("S", s.sharedExperts, "shared experts") * one
            var shared = try MLP.weights(x, width, x, gated: s.gated, bias: false)
            if s.sharedGate { shared = try shared + x }
            try sink.take(Part(s.sharedExperts == 1 ? "shared expert" : "shared experts", .ffn, try ShapeTerms.perPosition(input, shared)))
        }
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        var notes = ["Each token goes through the router and its top k of the E experts"
                     + (s.sharedExperts > 0 ? " and the shared experts" : "")
                     + ": the active count holds those, the total every expert."]
        notes.append(s.gated
            ? "Each expert is a gated MLP: gate and up projections x → f, down projection f → x."
            : "Each expert is an MLP x → f → x.")
        if s.bias { notes.append("The experts have biases here; those of transformers' Mixtral, Qwen-MoE and DeepSeek blocks have none.") }
        if !s.routerBias {
            notes.append("The router is a Linear(x, E) without bias; DeepSeek-V3's score-correction bias is a buffer, not a parameter.")
        }
        if s.sharedExperts > 0 {
            notes.append("The shared experts are one MLP S × f_s wide, as DeepseekV3MoE builds them, so their count is that of S experts.")
        }
        if s.sharedGate {
            notes.append("Qwen2-MoE scales the shared expert by a sigmoid gate, a Linear(x, 1) without bias: x weights.")
        }
        return notes
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input) \(s.experts)e×\(s.ff) k\(s.topK)" + (s.sharedExperts > 0 ? " s\(s.sharedExperts)" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .dim: return String(r.input)
        case .experts: return String(s.experts)
        case .topK: return String(s.topK)
        case .ff: return String(s.ff)
        case .gated: return String(s.gated)
        case .bias: return String(s.bias)
        case .sharedExperts: return String(s.sharedExperts)
        case .sharedFF: return String(s.sharedFF)
        case .sharedGate: return String(s.sharedGate)
        case .routerBias: return String(s.routerBias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer {
        Layer(.moe, [(.experts, .int(8)), (.topK, .int(2)), (.ff, .int((1...(1 << 40)).contains(width) ? 4 * width : 256))])
    }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        try inventory.linear(.dense, r.input, s.experts, times, r.trainable)
        let upward = s.gated ? 2 : 1
        let experts = try Checked.mul(times, s.experts)
        try inventory.linear(.feedForward, r.input, s.ff, try Checked.mul(experts, upward), r.trainable)
        try inventory.linear(.feedForward, s.ff, r.input, experts, r.trainable)
        if s.sharedExperts > 0 {
            let width = try Checked.mul(s.sharedExperts, s.sharedFF)
            try inventory.linear(.feedForward, r.input, width, try Checked.mul(times, upward), r.trainable)
            try inventory.linear(.feedForward, width, r.input, times, r.trainable)
            if s.sharedGate { try inventory.linear(.dense, r.input, 1, times, r.trainable) }
        }
    }

    static func wrap(_ s: Settings) -> KindSettings { .moe(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .moe(let s) = k { return s } else { return nil } }
}
