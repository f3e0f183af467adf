/// What it takes to run or train a model under some settings: memory figures that follow exactly
/// from the model, an activation estimate kept apart from them, compute by Kaplan et al.'s rule,
/// and the accelerators it fits on.
public struct Plan: Sendable, Equatable {
    public var settings: PlanSettings
    public var convention: Convention
    /// Every parameter of the model.
    public var parameters: Int
    /// Parameters that train under the plan: the adapters with LoRA, the model's trainable ones in
    /// full fine-tuning, none for inference (nil: too many to count in 64 bits).
    public var trainable: Int?
    /// The exact memory figures, in the order they add up.
    public var memory: [PlanFigure]
    /// LoRA's trainable parameters (a count, not bytes).
    public var adapters: PlanFigure?
    /// An estimate, shown apart and named as one; only when training.
    public var activations: PlanFigure?
    public var compute: [PlanFigure]
    /// Bytes per trainable parameter, spelled out (training only).
    public var perParameter: String?
    /// The sum of the exact memory figures (nil: over 64 bits).
    public var exactBytes: Int?
    /// What the accelerators are checked against: the exact figures, plus the activation estimate
    /// when training.
    public var neededBytes: Int?
    public var fits: [Fit]
    /// Definitions and assumptions, for the reader of the figures.
    public var notes: [String]
    /// The checkpoint format whose stored sizes the weights figure uses ("GGUF"), when it does.
    public var weightsAsStored: String?

    /// Whether `neededBytes` includes the estimate.
    public var neededIncludesEstimate: Bool { activations != nil }
}

public enum Planner {
    /// The plan of `model` counted as `count` (which names the convention) under `settings`;
    /// `stored`: the weights as the checkpoint the model was read from holds them.
    public static func plan(_ model: Model, count: ModelCount, settings s: PlanSettings,
                            stored: StoredWeights? = nil) throws(ModelError) -> Plan {
        let inventory = try Inventory(model, convention: count.convention)
        var plan = Plan(settings: s, convention: count.convention, parameters: count.total, trainable: nil, memory: [],
                        adapters: nil, activations: nil, compute: [], perParameter: nil, exactBytes: nil,
                        neededBytes: nil, fits: [], notes: [], weightsAsStored: nil)
        let n = Expr.variable(symbol: "N", value: count.total, meaning: "parameters (\(count.convention.rawValue) convention)")
        // The model's own weights as stored, or N of them in the chosen type.
        let asStored = s.asStored ? stored.flatMap(storedBytes) : nil
        if asStored != nil { plan.weightsAsStored = stored?.format }
        let base: (Expr, Size) = asStored.map { ($0, .bytes) } ?? (n, .type(s.weights))
        let baseWords = stored.map { st in asStored == nil ? "as \(s.weights.rawValue), not as the \(st.format) file stores them"
                                                            : "as the \(st.format) file stores them, each tensor in its own type (quantisation scales included)" }
            ?? "stored as \(s.weights.rawValue) (\(bitsText(s.weights)) per weight)"

        switch (s.mode, s.lora) {
        case (.inference, _):
            plan.memory.append(weights([base], label: "weights", notes: [
                "Every parameter, \(baseWords)."
                    + (asStored == nil && s.weights.bits < 8 ? " Quantised formats also store scales (GGUF's Q4_K averages about 4.5 bits), not counted here." : ""),
            ]))
            if let kv = kvCache(inventory, s) { plan.memory.append(kv) }
            plan.trainable = 0
        case (.training, false):
            let trainable = count.trainable
            plan.trainable = trainable
            var terms: [(Expr, Size)] = [(.variable(symbol: "N_t", value: trainable, meaning: "trainable parameters"), .working)]
            if count.nonTrainable > 0 {
                terms.append((.variable(symbol: "N_f", value: count.nonTrainable, meaning: "frozen parameters"), .type(s.weights)))
            }
            plan.memory.append(weights(terms, label: "weights", mixed: s.mixedPrecision, notes: [
                s.mixedPrecision ? "Trainable weights in a 16-bit working copy (fp16 or bf16: 2 bytes)." : "Trainable weights in fp32 (4 bytes).",
            ] + (count.nonTrainable > 0 ? ["Frozen parameters stay \(s.weights.rawValue)."] : [])))
            plan.memory += training(trainable: .variable(symbol: "N_t", value: trainable, meaning: "trainable parameters"),
                                    adafactor: fullAdafactor(inventory, trainable: trainable), s)
        case (.training, true):
            let adapters = lora(inventory, s)
            plan.adapters = adapters
            plan.trainable = adapters.value
            // Past 64 bits every figure built on P says so too.
            let p = Expr.variable(symbol: "P", value: adapters.value ?? Int.max, meaning: "LoRA adapter parameters")
            plan.memory.append(weights([base, (p, .working)], label: "weights", mixed: s.mixedPrecision, notes: [
                "The model's weights are frozen, \(baseWords); the adapters train in "
                    + (s.mixedPrecision ? "a 16-bit working copy." : "fp32."),
            ]))
            plan.memory += training(trainable: p, adafactor: loraAdafactor(inventory, s), s)
        }

        if s.training { plan.activations = activations(inventory, s) }
        plan.compute = compute(inventory, count: count, s)
        plan.perParameter = s.training ? perParameter(s) : nil

        var exact: Int? = 0
        for f in plan.memory {
            if let e = exact, let v = f.value { exact = try? Checked.add(e, v) } else { exact = nil }
        }
        plan.exactBytes = exact
        if let e = exact, let a = plan.activations {
            plan.neededBytes = a.value.flatMap { try? Checked.add(e, $0) }
        } else {
            plan.neededBytes = exact
        }
        if let needed = plan.neededBytes {
            plan.fits = Accelerators.all.map { Fit(accelerator: $0, needed: needed) }
        }
        plan.notes = notes(plan, inventory)
        return plan
    }

    // MARK: memory

    static func bitsText(_ t: DType) -> String {
        t.bits % 8 == 0 ? "\(t.bits / 8) byte" + (t.bits == 8 ? "" : "s") : "\(t.bits) bits"
    }

    /// How a term of the weights figure is sized.
    enum Size {
        /// Parameters in a number format.
        case type(DType)
        /// A trainable working copy: 2 bytes in mixed precision, else 4.
        case working
        /// Already bytes (a checkpoint's tensors as stored).
        case bytes
    }

    /// The bytes of a checkpoint's tensors, one term per stored type (nil: none, or past 64 bits).
    static func storedBytes(_ st: StoredWeights) -> Expr? {
        let terms = st.entries.map { Expr.variable(symbol: $0.type, value: $0.bytes, meaning: "bytes of \($0.type) tensors") }
        guard !terms.isEmpty else { return nil }
        let expr: Expr = terms.count == 1 ? terms[0] : .group(.sum(terms))
        return (try? expr.evaluate()) == nil ? nil : expr
    }

    /// Parameters times their size. With a type below 8 bits every term is written in bits, over 8.
    static func weights(_ terms: [(Expr, Size)], label: String, mixed: Bool = true, notes: [String]) -> PlanFigure {
        let inBits = terms.contains { if case .type(let t) = $0.1 { return t.bits % 8 != 0 } else { return false } }
        let working = mixed ? 16 : 32
        var sum: [Expr] = []
        for (count, size) in terms {
            switch size {
            case .type(let type):
                sum.append(.product([count, inBits ? .variable(symbol: "bits", value: type.bits, meaning: "bits per \(type.rawValue) weight")
                                                   : .variable(symbol: "bytes", value: type.bits / 8, meaning: "bytes per \(type.rawValue) weight")]))
            case .working: sum.append(.product([count, .constant(inBits ? working : working / 8)]))
            case .bytes: sum.append(inBits ? .product([count, .constant(8)]) : count)
            }
        }
        let expr: Expr = sum.count == 1 ? sum[0] : .sum(sum)
        return PlanFigure(.weights, label, .bytes, expr: expr, divisor: inBits ? 8 : 1, notes: notes)
    }

    /// Keys and values of every token of every sequence, for every attention layer.
    static func kvCache(_ inv: Inventory, _ s: PlanSettings) -> PlanFigure? {
        guard !inv.attention.isEmpty else { return nil }
        let t = Expr.variable(symbol: "T", value: s.context, meaning: "tokens per sequence (context)")
        let b = Expr.variable(symbol: "B", value: s.batch, meaning: "sequences (batch)")
        let inBits = s.kvCache.bits % 8 != 0
        let size: Expr = inBits ? .variable(symbol: "bits", value: s.kvCache.bits, meaning: "bits per \(s.kvCache.rawValue) value")
                                : .variable(symbol: "bytes", value: s.kvCache.bits / 8, meaning: "bytes per \(s.kvCache.rawValue) value")
        var notes: [String] = []
        let entries = inv.attention.entries
        let expr: Expr
        var symbolic: String? = nil
        if entries.count == 1, let (a, layers) = entries.first {
            let l = Expr.variable(symbol: "L", value: layers, meaning: "attention layers")
            if let latent = a.latent {
                expr = .product([l, .sum([.variable(symbol: "r_kv", value: latent.rank, meaning: "compressed key/value width"),
                                          .variable(symbol: "d_rope", value: latent.rope, meaning: "rotary key width")]), t, b, size])
            } else {
                expr = .product([.constant(2), l, .variable(symbol: "H_kv", value: a.kvHeads, meaning: "key/value heads"),
                                 .variable(symbol: "d_h", value: a.headDim, meaning: "width of one head"), t, b, size])
            }
        } else {
            // Layers of several shapes: the values cached per token, summed over the shapes.
            var perToken: [Expr] = []
            for (a, layers) in entries {
                if let latent = a.latent {
                    perToken.append(.product([.constant(layers), .sum([.constant(latent.rank), .constant(latent.rope)])]))
                } else {
                    perToken.append(.product([.constant(2), .constant(layers), .constant(a.kvHeads), .constant(a.headDim)]))
                }
            }
            expr = .product([.sum(perToken), t, b, size])
            symbolic = "Σ(values cached per token per layer) × T × B × " + (inBits ? "bits" : "bytes")
        }
        if entries.contains(where: { $0.item.latent == nil }) {
            notes.append("Each attention layer caches a key and a value vector (2) per key/value head for every token of every sequence"
                         + (entries.contains { $0.item.kvHeads < $0.item.heads } ? "; grouped-query attention caches only its H_kv heads." : "."))
        }
        if entries.contains(where: { $0.item.latent != nil }) {
            notes.append("Multi-head latent attention caches one compressed vector (r_kv) and the rotary key (d_rope) per token, shared by all heads.")
        }
        if entries.contains(where: { $0.item.cross }) {
            notes.append("Cross-attention caches the keys and values of the encoder's output; the source is taken to be T tokens long.")
        }
        return PlanFigure(.kvCache, "KV cache", .bytes, expr: expr, divisor: inBits ? 8 : 1, symbolic: symbolic, notes: notes)
    }

    /// Gradients, master weights and optimizer states of the trainable parameters `nt`.
    static func training(trainable nt: Expr, adafactor: (factored: Expr, vectors: Expr), _ s: PlanSettings) -> [PlanFigure] {
        var out: [PlanFigure] = []
        out.append(PlanFigure(.gradients, "gradients", .bytes, expr: .product([nt, .constant(s.mixedPrecision ? 2 : 4)]),
                              notes: [s.mixedPrecision ? "One 16-bit gradient per trainable parameter." : "One fp32 gradient per trainable parameter."]))
        if s.mixedPrecision {
            out.append(PlanFigure(.masterWeights, "master weights", .bytes, expr: .product([nt, .constant(4)]),
                                  notes: ["Mixed precision keeps an fp32 copy of the trainable weights for the optimizer to update."]))
        }
        switch s.optimizer {
        case .adamw:
            out.append(PlanFigure(.optimizerStates, "AdamW states", .bytes, expr: .product([.constant(2), nt, .constant(4)]),
                                  notes: ["Two fp32 moments per trainable parameter: m (mean) and v (variance)."]))
        case .sgd:
            out.append(PlanFigure(.optimizerStates, "SGD momentum", .bytes, expr: .product([nt, .constant(4)]),
                                  notes: ["One fp32 momentum buffer per trainable parameter."]))
        case .adafactor:
            out.append(PlanFigure(.optimizerStates, "Adafactor states", .bytes,
                                  expr: .product([.group(.sum([adafactor.factored, adafactor.vectors])), .constant(4)]),
                                  notes: ["transformers' Adafactor with its defaults (no first moment): an fp32 row and column "
                                          + "statistic for every matrix (d_out + d_in values), and a whole fp32 second moment for vectors."]))
        }
        return out
    }

    /// Adafactor's factored statistics of the trainable matrices, and the trainable parameters in
    /// no matrix (biases, norms, custom layers).
    static func fullAdafactor(_ inv: Inventory, trainable: Int) -> (factored: Expr, vectors: Expr) {
        var factored = 0, inMatrices = 0
        for (m, times) in inv.matrices.entries where m.trainable {
            factored = (try? Checked.add(factored, Checked.mul(m.factored, times))) ?? Int.max
            inMatrices = (try? Checked.add(inMatrices, Checked.mul(m.elements, times))) ?? Int.max
        }
        return (.variable(symbol: "F", value: factored, meaning: "row and column statistics of the trainable matrices"),
                .variable(symbol: "N_v", value: max(0, trainable - inMatrices), meaning: "trainable parameters outside matrices"))
    }

    /// Each adapter is two matrices, A (r × d_in) and B (d_out × r): r + d_in and d_out + r statistics.
    static func loraAdafactor(_ inv: Inventory, _ s: PlanSettings) -> (factored: Expr, vectors: Expr) {
        var factored = 0
        for (m, times) in inv.matrices.entries where s.loraTargets.adapts(m.role) {
            let per = (try? Checked.add(Checked.add(m.dIn, m.dOut), Checked.mul(2, s.loraRank))) ?? Int.max
            factored = (try? Checked.add(factored, Checked.mul(per, times))) ?? Int.max
        }
        return (.variable(symbol: "F", value: factored, meaning: "row and column statistics of the adapters (d_in + d_out + 2r each)"),
                .constant(0))
    }

    /// LoRA's trainable parameters: r × (d_in + d_out) for every adapted matrix.
    static func lora(_ inv: Inventory, _ s: PlanSettings) -> PlanFigure {
        // Matrices of the same shape are written once, times how many there are.
        var shapes = Tally<Pair>()
        var roles: [MatrixRole] = []
        for (m, times) in inv.matrices.entries where s.loraTargets.adapts(m.role) {
            try? shapes.add(Pair(dIn: m.dIn, dOut: m.dOut), times)
            if !roles.contains(m.role) { roles.append(m.role) }
        }
        let r = Expr.variable(symbol: "r", value: s.loraRank, meaning: "LoRA rank")
        var notes = ["Each adapted matrix W (d_out × d_in) gains A (r × d_in) and B (d_out × r): r × (d_in + d_out) parameters "
                     + "(Hu et al. 2021). Adapted here: " + targetText(s.loraTargets) + "."]
        guard !shapes.isEmpty else {
            notes.append("This model has no such matrices: nothing trains.")
            return PlanFigure(.adapters, "LoRA adapters", .parameters, expr: .product([r, .constant(0)]),
                              symbolic: "r × Σ(d_in + d_out)", notes: notes)
        }
        var terms: [Expr] = []
        for (pair, times) in shapes.entries {
            let one = Expr.group(.sum([.constant(pair.dIn), .constant(pair.dOut)]))
            terms.append(times == 1 ? one : .product([one, .constant(times)]))
        }
        let expr: Expr = terms.count == 1 ? Expressions.mul(r, terms[0]) : .product([r, .group(.sum(terms))])
        return PlanFigure(.adapters, "LoRA adapters", .parameters, expr: expr, symbolic: "r × Σ(d_in + d_out)", notes: notes)
    }

    struct Pair: Hashable, Sendable { var dIn: Int; var dOut: Int }

    static func targetText(_ t: LoRATargets) -> String {
        switch t {
        case .qv: return "the query and value projections (PEFT's default for Llama)"
        case .attention: return "the query, key, value and output projections"
        case .mlp: return "the feed-forward matrices of the transformer blocks"
        case .all: return "every linear layer except the output head (PEFT's all-linear)"
        }
    }

    // MARK: estimate

    /// Korthikanti et al. 2022, eq. 1: s·b·h·(34 + 5·a·s/h) bytes per transformer layer, written
    /// without the division as T × B × (34 × h + 5 × a × T); 34·s·b·h with selective recomputation
    /// and 2·s·b·h with full recomputation (their table 2, no parallelism).
    static func activations(_ inv: Inventory, _ s: PlanSettings) -> PlanFigure? {
        guard !inv.blocks.isEmpty else { return nil }
        let t = Expr.variable(symbol: "T", value: s.context, meaning: "tokens per sequence (context)")
        let b = Expr.variable(symbol: "B", value: s.batch, meaning: "sequences (batch)")
        var perShape: [Expr] = []
        let single = inv.blocks.entries.count == 1
        for (block, layers) in inv.blocks.entries {
            let l: Expr = single ? .variable(symbol: "L", value: layers, meaning: "transformer layers") : .constant(layers)
            let h: Expr = single ? .variable(symbol: "h", value: block.width, meaning: "hidden width") : .constant(block.width)
            let a: Expr = single ? .variable(symbol: "a", value: block.heads, meaning: "attention heads") : .constant(block.heads)
            switch s.recompute {
            case .none:
                perShape.append(.product([l, t, b, .group(.sum([.product([.constant(34), h]), .product([.constant(5), a, t])]))]))
            case .selective: perShape.append(.product([.constant(34), l, t, b, h]))
            case .full: perShape.append(.product([.constant(2), l, t, b, h]))
            }
        }
        var expr: Expr = perShape.count == 1 ? perShape[0] : .sum(perShape)
        if !s.mixedPrecision { expr = .product([.constant(2), .group(expr)]) }
        let general: String
        let source: String
        switch s.recompute {
        case .none:
            general = "Σ L × T × B × (34h + 5 × a × T)"
            source = "eq. 1: per transformer layer T·B·h·(34 + 5·a·T/h) bytes, nothing recomputed"
        case .selective:
            general = "34 × Σ L × T × B × h"
            source = "table 2: 34·T·B·h bytes per transformer layer with the attention scores recomputed (FlashAttention keeps none either)"
        case .full:
            general = "2 × Σ L × T × B × h"
            source = "table 2: 2·T·B·h bytes per transformer layer when only its input is kept (full recomputation, activation checkpointing)"
        }
        return PlanFigure(.activations, "activations", .bytes, .estimate, expr: expr,
                          symbolic: single ? nil : (s.mixedPrecision ? "" : "2 × ") + general,
                          notes: [
            "ESTIMATE (Korthikanti et al. 2022, \(source)).",
            "Assumes 16-bit activations" + (s.mixedPrecision ? "" : " (doubled here: mixed precision is off, so they are fp32)")
                + ", no tensor or sequence parallelism, a feed-forward 4h wide, one attention layer per transformer layer; "
                + "embeddings, the output layer, the loss and the recomputation's own working memory are left out.",
        ])
    }

    // MARK: compute

    /// Kaplan et al. 2020, table 1: C_forward ≈ 2N + 2 n_layer n_ctx d_attn per token; with a
    /// mixture of experts, N counts the parameters a token passes through.
    static func compute(_ inv: Inventory, count: ModelCount, _ s: PlanSettings) -> [PlanFigure] {
        // Embedding layers route nothing, so they are in `active` whole.
        let nonEmbedding = count.active - count.total(of: .embedding)
        let n = Expr.variable(symbol: "N", value: nonEmbedding,
                              meaning: count.routed ? "non-embedding parameters active per token" : "non-embedding parameters")
        let t = Expr.variable(symbol: "T", value: s.context, meaning: "tokens per sequence (context)")
        var expr: Expr = .product([.constant(2), n])
        var symbolic: String? = nil
        let entries = inv.attention.entries
        if entries.count == 1, let (a, layers) = entries.first {
            let width = (try? Checked.mul(a.heads, a.headDim)) ?? Int.max
            expr = .sum([expr, .product([.constant(2), .variable(symbol: "L", value: layers, meaning: "attention layers"), t,
                                         .variable(symbol: "d_attn", value: width, meaning: "attention width (heads × head width)")])])
        } else if !entries.isEmpty {
            var widths: [Expr] = []
            for (a, layers) in entries {
                widths.append(.product([.constant(layers), .constant((try? Checked.mul(a.heads, a.headDim)) ?? Int.max)]))
            }
            expr = .sum([expr, .product([.constant(2), .group(.sum(widths)), t])])
            symbolic = "2 × N + 2 × Σ(L × d_attn) × T"
        }
        var out = [PlanFigure(.forwardPerToken, "forward per token", .flops, .estimate, expr: expr, symbolic: symbolic, notes: [
            "Kaplan et al. 2020, table 1: 2 FLOPs per non-embedding parameter and token (a multiply and an add), plus "
                + "2 × L × T × d_attn for the attention scores over a context of T. N leaves out embedding layers; an "
                + "untied output head is a dense layer and counts (Kaplan et al. also leave out the de-embedding)."
                + (count.routed ? " With a mixture of experts N is what one token passes through: the router, top_k experts "
                                  + "and the shared ones (\(Format.grouped(count.active)) active of \(Format.grouped(count.total)))." : ""),
        ])]
        // With the model's input shape the forward pass is counted, not estimated: its
        // multiply-accumulates, each a multiply and an add (FlopCounterMode's FLOPs).
        if let macs = count.macs, let shape = count.inputShape {
            out.insert(PlanFigure(.forwardPerSample, "forward per sample", .flops, .exact,
                                  expr: .product([.constant(2), .variable(symbol: "MACs", value: macs,
                                                                          meaning: "multiply-accumulates of one \(shape) sample")]),
                                  symbolic: "2 × MACs", notes: ["Counted from the shapes: 2 FLOPs per multiply-accumulate of one forward pass at batch 1, "
                                          + "as PyTorch's FlopCounterMode reports them (the per-token rule below assumes a language model)."]),
                       at: 0)
        }
        guard s.training, let forward = out.first(where: { $0.id == .forwardPerToken })?.value else { return out }
        let c = Expr.variable(symbol: "C_fwd", value: forward, meaning: "forward FLOPs per token")
        // Full recomputation runs every layer's forward a second time during the backward pass.
        let passes = s.recompute == .full ? 4 : 3
        out.append(PlanFigure(.trainingPerToken, "training per token", .flops, .estimate, expr: .product([.constant(passes), c]),
                              symbolic: "\(passes) × C_fwd",
                              notes: ["The backward pass costs about twice the forward (Kaplan et al. 2020): 3 × forward"
                                      + (s.recompute == .full ? ", and full recomputation runs the forward once more: 4 ×." : ".")
                                      + (s.lora ? " With LoRA the frozen weights need no weight gradients, so this is an upper bound." : "")]))
        out.append(PlanFigure(.trainingPerStep, "training per step", .flops, .estimate,
                              expr: .product([.constant(passes), c, .variable(symbol: "T", value: s.context, meaning: "tokens per sequence (context)"),
                                              .variable(symbol: "B", value: s.batch, meaning: "sequences (batch)")]),
                              notes: ["One step trains on T × B tokens."]))
        return out
    }

    // MARK: words

    static func perParameter(_ s: PlanSettings) -> String {
        let who = s.lora ? "adapter parameter" : "trainable parameter"
        switch (s.optimizer, s.mixedPrecision) {
        case (.adamw, true):
            return "AdamW with mixed precision: 2 + 2 + 4 + 4 + 4 = 16 bytes per \(who): 16-bit weights and gradients, "
                + "fp32 master weights, fp32 m and v (the accounting of Rajbhandari et al. 2020, ZeRO)"
        case (.adamw, false):
            return "AdamW in fp32: 4 + 4 + 4 + 4 = 16 bytes per \(who): weights, gradients, m and v"
        case (.sgd, true):
            return "SGD with momentum, mixed precision: 2 + 2 + 4 + 4 = 12 bytes per \(who): 16-bit weights and gradients, "
                + "fp32 master weights, fp32 momentum"
        case (.sgd, false):
            return "SGD with momentum in fp32: 4 + 4 + 4 = 12 bytes per \(who): weights, gradients, momentum"
        case (.adafactor, true):
            return "Adafactor with mixed precision: 2 + 2 + 4 = 8 bytes per \(who) (16-bit weights and gradients, fp32 "
                + "master weights), plus 4 bytes per row and column statistic of each matrix"
        case (.adafactor, false):
            return "Adafactor in fp32: 4 + 4 = 8 bytes per \(who) (weights, gradients), plus 4 bytes per row and column "
                + "statistic of each matrix"
        }
    }

    static func notes(_ plan: Plan, _ inv: Inventory) -> [String] {
        let s = plan.settings
        var out = ["Sizes in GiB (2^30 bytes) and GB (10^9 bytes). Accelerators are listed with the vendor's figure, read as GiB."]
        if s.mode == .inference && inv.attention.isEmpty {
            out.append(inv.opaqueLayers > 0
                ? "No attention layers the planner can read (custom rows, such as a checkpoint's modules, say only their parameters): no KV cache is counted."
                : "No attention layers: nothing is cached between tokens.")
        }
        if s.training && inv.blocks.isEmpty {
            out.append("No transformer layers: no activation estimate (it covers transformer layers only); activations are not in the total.")
        }
        if s.training && s.optimizer == .adafactor && inv.opaqueLayers > 0 {
            out.append("Custom layers have no known matrices: Adafactor keeps a whole second moment for their parameters.")
        }
        out.append("A card fits when the memory needed" + (plan.neededIncludesEstimate ? " (the exact figures plus the activation estimate)" : "")
                   + " is at most its memory; nothing is set aside for the CUDA context, the framework's workspace or fragmentation.")
        return out
    }
}
