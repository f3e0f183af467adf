/// The table of layer kinds. A new kind is a file in Kinds/ implementing `KindDefinition`, plus its
/// case in `LayerKind`, its arm in `LayerKind.visit`, its settings in `KindSettings` (unless it shares
/// a family's) and any new field names in `Field`; the compiler points at each of these.
public enum LayerKind: String, CaseIterable, Sendable, Equatable {
    case dense, rnn, gru, lstm, conv, pool, flatten, attention, mlp, moe, layernorm, rmsnorm, batchnorm, embedding
    case encoder, decoder, custom
    /// Layers that hold layers: see Group.swift and Parallel.swift.
    case group, parallel

    /// Position in `allCases` (declaration order), without hashing the String raw value.
    public var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// Hands the kind's definition to `visitor`: the one place that maps a kind to its code.
    @inline(__always)
    func visit<V: KindVisitor>(_ visitor: V.Type, _ input: V.Input, _ state: inout V.State) throws(V.Failure) -> V.Result {
        switch self {
        case .dense: return try V.visit(Dense.self, input, &state)
        case .rnn: return try V.visit(RNN.self, input, &state)
        case .gru: return try V.visit(GRU.self, input, &state)
        case .lstm: return try V.visit(LSTM.self, input, &state)
        case .conv: return try V.visit(Conv.self, input, &state)
        case .pool: return try V.visit(Pool.self, input, &state)
        case .flatten: return try V.visit(Flatten.self, input, &state)
        case .attention: return try V.visit(Attention.self, input, &state)
        case .mlp: return try V.visit(MLP.self, input, &state)
        case .moe: return try V.visit(MoE.self, input, &state)
        case .layernorm: return try V.visit(LayerNorm.self, input, &state)
        case .rmsnorm: return try V.visit(RMSNorm.self, input, &state)
        case .batchnorm: return try V.visit(BatchNorm.self, input, &state)
        case .embedding: return try V.visit(Embedding.self, input, &state)
        case .encoder: return try V.visit(Encoder.self, input, &state)
        case .decoder: return try V.visit(Decoder.self, input, &state)
        case .custom: return try V.visit(Custom.self, input, &state)
        case .group: return try V.visit(Group.self, input, &state)
        case .parallel: return try V.visit(Parallel.self, input, &state)
        }
    }
}

/// Every field any layer kind can carry. Stored per layer as a short list of the fields the user set,
/// so that counting a million layers reads a few entries per layer instead of hashing strings.
public enum Field: String, CaseIterable, Sendable, Equatable {
    case `in`, out, hidden, layers, bidirectional, bias, kernel, dims, groups, transposed
    case dim, heads, kvHeads = "kv_heads", headDim = "head_dim", features, vocab, ff
    case finalNorm = "final_norm", params, tied
    case qkvBias = "qkv_bias", outBias = "out_bias", qkNorm = "qk_norm"
    case qRank = "q_rank", kvRank = "kv_rank", ropeDim = "rope_dim", vHeadDim = "v_head_dim"
    case gated, experts, topK = "top_k", sharedExperts = "shared_experts", sharedFF = "shared_ff"
    case sharedGate = "shared_gate", routerBias = "router_bias"
    case category
    case `repeat`, merge
    case stride, padding, dilation, outputPadding = "output_padding", mode, output

    /// Position in `allCases` (declaration order).
    public var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// A bit per field, for cheap membership checks while counting.
    var bit: UInt64 { 1 << UInt64(ordinal) }
}

/// What each kind resolves its own fields to (see the kind's `Settings`).
enum KindSettings: Sendable, Equatable {
    case dense(Dense.Settings)
    case recurrent(RecurrentSettings)
    case conv(Conv.Settings)
    case pool(Pool.Settings)
    case flatten
    case attention(Attention.Settings)
    case mlp(MLP.Settings)
    case moe(MoE.Settings)
    case layerNorm(LayerNorm.Settings)
    case rmsNorm(RMSNorm.Settings)
    case batchNorm(BatchNorm.Settings)
    case embedding(Embedding.Settings)
    case transformerStack(StackSettings)
    case custom(Custom.Settings)
    case group(Group.Settings)
    case parallel(Parallel.Settings)
}
