/// What a weight matrix does, for choosing the ones LoRA adapts.
public enum MatrixRole: String, Sendable, Equatable, Hashable {
    case query, key, value, output
    /// A feed-forward matrix of a transformer block (gate, up or down).
    case feedForward
    /// A dense layer on its own.
    case dense
    /// The model's last layer when it is dense: PEFT's `all-linear` leaves it out.
    case outputHead
    case embedding, conv, recurrent
}

/// A weight matrix of the model, with how many times it occurs.
struct Matrix: Sendable, Equatable, Hashable {
    var role: MatrixRole
    var dIn: Int
    var dOut: Int
    /// Elements of the weight tensor.
    var elements: Int
    /// Elements of Adafactor's factored second moment for this tensor: the row and column
    /// statistics (for a d_out × d_in linear weight, d_out + d_in).
    var factored: Int
    /// Whether it trains in full fine-tuning (its layer is trainable).
    var trainable: Bool
}

/// An attention layer's key/value cache per token, and what Kaplan's compute formula reads.
struct AttentionShape: Sendable, Equatable, Hashable {
    /// Query heads and their width: d_attn = heads × headDim.
    var heads: Int
    var headDim: Int
    /// Key/value heads (grouped-query attention has fewer than heads).
    var kvHeads: Int
    /// Multi-head latent attention: the compressed key/value width and the rotary key width it
    /// caches per token instead of keys and values per head (nil: ordinary attention).
    var latent: (rank: Int, rope: Int)?
    /// Cross-attention caches the keys and values of the encoder's output.
    var cross: Bool

    static func == (a: AttentionShape, b: AttentionShape) -> Bool {
        a.heads == b.heads && a.headDim == b.headDim && a.kvHeads == b.kvHeads && a.cross == b.cross
            && a.latent?.rank == b.latent?.rank && a.latent?.rope == b.latent?.rope
    }

    func hash(into h: inout Hasher) {
        h.combine(heads); h.combine(headDim); h.combine(kvHeads); h.combine(cross)
        h.combine(latent?.rank); h.combine(latent?.rope)
    }
}

/// A transformer block as the activation estimate sees it: its width and attention heads.
struct BlockShape: Sendable, Equatable, Hashable {
    var width: Int
    var heads: Int
}

/// Occurrences of equal things, in the order first seen, counted with checked arithmetic (a group
/// repeated a billion times is one entry times a billion, not a billion entries).
struct Tally<T: Hashable & Sendable>: Sendable, Equatable {
    private(set) var entries: [(item: T, count: Int)] = []
    private var index: [T: Int] = [:]

    mutating func add(_ item: T, _ times: Int) throws(CountOverflow) {
        guard times > 0 else { return }
        if let i = index[item] {
            entries[i].count = try Checked.add(entries[i].count, times)
        } else {
            index[item] = entries.count
            entries.append((item, times))
        }
    }

    var isEmpty: Bool { entries.isEmpty }

    static func == (a: Tally, b: Tally) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.item == $1.item && $0.count == $1.count }
    }
}

/// What the planner reads from a model: its attention layers, its weight matrices and its blocks,
/// each with how many times it occurs. Each kind says what it holds (`KindDefinition.inventory`,
/// in Kinds/); everything else in Plan/ works from this.
struct Inventory: Sendable, Equatable {
    var attention = Tally<AttentionShape>()
    var matrices = Tally<Matrix>()
    var blocks = Tally<BlockShape>()
    /// Layers whose parameters the planner cannot split into matrices (custom layers): their
    /// parameters count as vectors for Adafactor.
    var opaqueLayers = 0

    init(_ model: Model, convention: Convention) throws(ModelError) {
        // Layers inside groups and parallels are read one by one, each as many times as its
        // groups repeat.
        var inventory = Inventory()
        try Walker.forEachLeaf(of: model) { (r, times, isLast) throws(CountOverflow) in
            try inventory.add(r, times: times, convention: convention, isLast: isLast)
        }
        self = inventory
    }

    private init() {}

    mutating func linear(_ role: MatrixRole, _ dIn: Int, _ dOut: Int, _ times: Int, _ trainable: Bool) throws(CountOverflow) {
        let m = Matrix(role: role, dIn: dIn, dOut: dOut, elements: try Checked.mul(dIn, dOut),
                       factored: try Checked.add(dIn, dOut), trainable: trainable)
        try matrices.add(m, times)
    }

    /// Query, key, value and output projections of one attention layer (separate matrices, as in
    /// transformers' models; torch.nn.MultiheadAttention packs q, k and v into one, which changes
    /// only Adafactor's row and column statistics).
    mutating func attentionLayer(dim: Int, heads: Int, kvHeads: Int, headDim: Int, cross: Bool, times: Int,
                                         trainable: Bool) throws(CountOverflow) {
        let q = try Checked.mul(heads, headDim), kv = try Checked.mul(kvHeads, headDim)
        try linear(.query, dim, q, times, trainable)
        try linear(.key, dim, kv, times, trainable)
        try linear(.value, dim, kv, times, trainable)
        try linear(.output, q, dim, times, trainable)
        try attention.add(AttentionShape(heads: heads, headDim: headDim, kvHeads: kvHeads, latent: nil, cross: cross), times)
    }

    /// One layer, `times` over: what its kind says it holds (`KindDefinition.inventory`).
    private mutating func add(_ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool) throws(CountOverflow) {
        try r.inventory(times: times, convention: convention, isLast: isLast, into: &self)
    }
}
