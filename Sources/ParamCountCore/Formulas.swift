/// Where a part of a layer's parameters belongs, for "where does the difference come from" views.
public enum Category: Int, CaseIterable, Sendable, Equatable {
    case attention, ffn, embedding, recurrent, conv, norm, other

    public var title: String {
        switch self {
        case .attention: return "attention"
        case .ffn: return "FFN/dense"
        case .embedding: return "embedding"
        case .recurrent: return "recurrent"
        case .conv: return "conv"
        case .norm: return "norm"
        case .other: return "other"
        }
    }
}

/// The formulas of every kind under every convention. Each is written once over an `Algebra`.
/// `emit` receives each part: a label, its category, whether it is trainable when the layer is
/// (Keras' moving statistics never are), and its value.
enum Formulas {
    typealias Emit<A: Algebra> = (String, Category, Bool, Term<A>) throws(CountOverflow) -> Void

    static func parts<A: Algebra>(_ r: ResolvedLayer, _ convention: Convention, _: A.Type,
                                  _ emit: Emit<A>) throws(CountOverflow) {
        switch r.kind {
        case .dense:
            let i: Term<A> = v("i", r.input, "input features"), o: Term<A> = v("o", r.out, "output features")
            try emit(r.bias ? "weights and bias" : "weights", .ffn, true, r.bias ? try i * o + o : try i * o)

        case .rnn, .gru, .lstm:
            try recurrent(r, convention, emit)

        case .conv:
            let sizes = r.kernel
            let same = sizes.allSatisfy { $0 == sizes[0] }
            let subscripts = ["₁", "₂", "₃"]
            var k: Term<A> = v(same ? "f" : "f₁", sizes[0], same ? "kernel size" : "kernel size, dimension 1")
            for (j, s) in sizes.enumerated().dropFirst() {
                k = try k * v(same ? "f" : "f" + subscripts[j], s, same ? "kernel size" : "kernel size, dimension \(j + 1)")
            }
            let i: Term<A> = v("i", r.input, "input channels"), o: Term<A> = v("o", r.out, "output channels")
            let label = r.bias ? "weights and bias" : "weights"
            if r.transposed {
                let og: Term<A> = r.groups == 1 ? o : v("o/g", r.out / r.groups, "output channels per group")
                try emit(label, .conv, true, r.bias ? try k * i * og + o : try k * i * og)
            } else {
                let ig: Term<A> = r.groups == 1 ? i : v("i/g", r.input / r.groups, "input channels per group")
                try emit(label, .conv, true, r.bias ? try (k * ig + c(1)) * o : try k * ig * o)
            }

        case .attention:
            let x: Term<A> = v("x", r.dim, "embedding width")
            if r.kvHeads == r.heads, r.heads.multipliedReportingOverflow(by: r.headDim) == (r.dim, false) {
                try emit("Q, K, V and output projections", .attention, true, try standardAttention(x, r.bias))
            } else {
                let h: Term<A> = v("H", r.heads, "query heads"), g: Term<A> = v("G", r.kvHeads, "key/value heads")
                let d: Term<A> = v("d", r.headDim, "width of one head")
                try emit("query projection", .attention, true, r.bias ? try x * h * d + h * d : try x * h * d)
                try emit("key and value projections", .attention, true,
                         r.bias ? try c(2) * (x * g * d + g * d) : try c(2) * x * g * d)
                try emit("output projection", .attention, true, r.bias ? try h * d * x + x : try h * d * x)
            }

        case .layernorm:
            let x: Term<A> = v("x", r.dim, "normalised width")
            try emit(r.bias ? "scale γ and shift β" : "scale γ", .norm, true, r.bias ? try c(2) * x : x)

        case .rmsnorm:
            try emit("scale γ", .norm, true, v("x", r.dim, "normalised width"))

        case .batchnorm:
            let ch: Term<A> = v("C", r.input, "channels")
            try emit("scale γ and shift β", .norm, true, try c(2) * ch)
            if convention == .keras {
                try emit("moving mean and variance", .norm, false, try c(2) * ch)
            }

        case .embedding:
            let voc: Term<A> = v("V", r.vocab, "vocabulary size"), x: Term<A> = v("x", r.dim, "embedding width")
            try emit("lookup table", .embedding, true, try voc * x)

        case .encoder, .decoder:
            try transformer(r, convention, emit)

        case .custom:
            try emit("given", .other, true, v("P", r.params, "parameters given"))
        }
    }

    static func gates(_ kind: LayerKind) -> Int {
        switch kind {
        case .gru: return 3
        case .lstm: return 4
        default: return 1
        }
    }

    private static func standardAttention<A>(_ x: Term<A>, _ bias: Bool) throws(CountOverflow) -> Term<A> {
        bias ? try c(4) * (sq(x) + x) : try c(4) * sq(x)
    }

    private static func recurrent<A: Algebra>(_ r: ResolvedLayer, _ convention: Convention,
                                              _ emit: Emit<A>) throws(CountOverflow) {
        let n = gates(r.kind)
        let h: Term<A> = v("h", r.hidden, "hidden size")
        // One direction of one stacked layer whose input width is `x`.
        func cell(_ x: Term<A>) throws(CountOverflow) -> Term<A> {
            let body: Term<A>
            switch (convention, r.bias) {
            case (.textbook, true): body = try (h + x) * h + h
            case (.textbook, false): body = try (h + x) * h
            case (_, false): body = try x * h + h * h
            case (.pytorch, true): body = try x * h + h * h + c(2) * h
            case (.keras, true):
                body = r.kind == .gru ? try x * h + h * h + c(2) * h : try x * h + h * h + h
            }
            return n == 1 ? body : try c(n) * body
        }
        let d: Term<A> = v("d", 2, "directions")
        func directions(_ t: Term<A>) throws(CountOverflow) -> Term<A> { r.bidirectional ? try d * t : t }

        let first = try directions(cell(v("i", r.input, "input size")))
        guard r.stack > 1 else { return try emit("weights and biases", .recurrent, true, first) }
        try emit("layer 1", .recurrent, true, first)
        let upperInput: Term<A> = r.bidirectional ? try d * h : h
        let rest: Term<A> = v("(L − 1)", r.stack - 1, "stacked layers after the first")
        try emit(r.stack == 2 ? "layer 2" : "layers 2–\(r.stack)", .recurrent, true,
                 try rest * directions(cell(upperInput)))
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

    private static func transformer<A: Algebra>(_ r: ResolvedLayer, _ convention: Convention,
                                                _ emit: Emit<A>) throws(CountOverflow) {
        let x: Term<A> = v("x", r.dim, "model width")
        let decoder = r.kind == .decoder
        let m: Term<A>? = r.stack > 1 ? v(decoder ? "n" : "m", r.stack, "blocks in the stack") : nil
        func stacked(_ t: Term<A>) throws(CountOverflow) -> Term<A> { if let m { return try m * t } else { return t } }
        let norm: Term<A> = r.bias ? try c(2) * x : x

        let attention = try standardAttention(x, r.bias)
        try emit(decoder ? "self- and cross-attention" : "self-attention", .attention, true,
                 try stacked(decoder ? try c(2) * attention : attention))
        try emit(decoder ? "3 layer norms" : "2 layer norms", .norm, true, try stacked(c(decoder ? 3 : 2) * norm))

        let ffn: Term<A>
        var width = r.ff
        if width == nil { width = try defaultFF(r.dim, convention) }
        if let width {
            let meaning: String
            switch (r.ff, convention) {
            case (nil, .pytorch): meaning = "feed-forward width (PyTorch default 2048)"
            case (nil, _): meaning = "feed-forward width (Keras default 4x)"
            default: meaning = "feed-forward width"
            }
            let f: Term<A> = v("f", width, meaning)
            ffn = r.bias ? try x * f + f + f * x + x : try x * f + f * x
        } else {
            ffn = r.bias ? group(try sq(x) + x) : try sq(x)
        }
        try emit("feed-forward", .ffn, true, try stacked(ffn))
        if r.finalNorm { try emit("final layer norm", .norm, true, norm) }
    }

    /// What a teacher says about a convention that differs from the board.
    static func notes(_ r: ResolvedLayer, _ convention: Convention) -> [String] {
        var notes: [String] = []
        switch (r.kind, convention) {
        case (.lstm, _), (.gru, _), (.rnn, _):
            let n = gates(r.kind)
            let what = r.kind == .lstm ? "4 gates (input, forget, cell, output)"
                : r.kind == .gru ? "3 gates (reset, update, new)" : "1 gate"
            notes.append("An \(r.kind.rawValue.uppercased()) has \(what); each gate has input weights i × h, recurrent weights h × h and a bias h.")
            if convention == .pytorch && r.bias {
                notes.append("PyTorch keeps two bias vectors per gate (b_ih and b_hh), so each gate has h more than the board formula: \(n) × h extra per direction and layer.")
            }
            if convention == .keras && r.kind == .gru && r.bias {
                notes.append("Keras' GRU defaults to reset_after=True, which keeps a second bias vector per gate: 3 × h extra.")
            }
            if r.bidirectional { notes.append("Bidirectional runs a second, separate copy backwards: d = 2.") }
            if r.stack > 1 { notes.append("Stacked layers after the first take the previous layer's output (h × d) as input.") }
        case (.batchnorm, .keras):
            notes.append("Keras counts the moving mean and variance as non-trainable weights; PyTorch keeps them as buffers, not parameters.")
        case (.batchnorm, .pytorch):
            notes.append("PyTorch's running mean and variance are buffers, not parameters, so they are not counted.")
        case (.encoder, .pytorch), (.decoder, .pytorch):
            if r.ff == nil { notes.append("PyTorch's TransformerEncoderLayer/DecoderLayer default to dim_feedforward = 2048.") }
        case (.encoder, .keras), (.decoder, .keras):
            if r.ff == nil { notes.append("Without ff, Keras-style blocks use a feed-forward width of 4x.") }
        case (.encoder, .textbook), (.decoder, .textbook):
            if r.ff == nil { notes.append("The board simplification: the feed-forward part is one x × x + x layer.") }
        default: break
        }
        return notes
    }
}
