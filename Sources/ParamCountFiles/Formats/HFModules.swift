import ParamCountCore

/// One module of a Hugging Face model as a paramcount layer holds it, named by its path in the
/// transformers module tree. The family files describe models with the helpers below; `layer`
/// turns each into the paramcount kind, which does the counting.
struct HFModule: Equatable {
    var name: String
    var kind: Kind

    indirect enum Kind: Equatable {
        case embedding(vocab: Int, dim: Int)
        /// `dim` nil: the width of the module before it.
        case layernorm(dim: Int?, bias: Bool)
        case rmsnorm(dim: Int?)
        case dense(in: Int?, out: Int, bias: Bool, tied: Bool)
        case attention(HFAttention)
        case mlp(dim: Int?, ff: Int, gated: Bool, bias: Bool)
        case moe(HFMoE)
        /// Parameters with no width of their own (a LayerNorm without affine weights has none).
        case fixed(params: Int)
        /// `first`: the number of the layer its first repetition is, in a numbered list of layers
        /// (`model.layers`); nil for a module that is no list (attention written out projection by
        /// projection).
        case group(repeat: Int, first: Int?, [HFModule])
    }
}

struct HFAttention: Equatable {
    var dim: Int?
    var heads: Int
    var kvHeads: Int
    /// nil: dim / heads, derived by the kind (so it follows an edit of dim or heads).
    var headDim: Int?
    var qkvBias: Bool
    var outBias: Bool
    var qkNorm: QKNorm = .none
    /// Multi-head latent attention (DeepSeek-V2/V3); nil for the usual q, k, v, o projections.
    var latent: Latent?

    enum QKNorm: String, Equatable { case none, head, full }

    struct Latent: Equatable {
        /// 0: one q projection instead of the low-rank pair.
        var qRank: Int
        var kvRank: Int
        var ropeDim: Int
        var vHeadDim: Int
    }
}

struct HFMoE: Equatable {
    var dim: Int?
    var experts: Int
    var topK: Int
    var ff: Int
    var sharedExperts = 0
    var sharedFF: Int?
    var sharedGate = false
}

extension HFModule {
    static func embedding(_ name: String, vocab: Int, dim: Int) -> HFModule { HFModule(name: name, kind: .embedding(vocab: vocab, dim: dim)) }
    static func layernorm(_ name: String, dim: Int? = nil, bias: Bool = true) -> HFModule {
        HFModule(name: name, kind: .layernorm(dim: dim, bias: bias))
    }
    static func rmsnorm(_ name: String, dim: Int? = nil) -> HFModule { HFModule(name: name, kind: .rmsnorm(dim: dim)) }
    static func dense(_ name: String, in input: Int? = nil, out: Int, bias: Bool, tied: Bool = false) -> HFModule {
        HFModule(name: name, kind: .dense(in: input, out: out, bias: bias, tied: tied))
    }
    static func attention(_ name: String, _ a: HFAttention) -> HFModule { HFModule(name: name, kind: .attention(a)) }
    static func mlp(_ name: String, dim: Int? = nil, ff: Int, gated: Bool, bias: Bool) -> HFModule {
        HFModule(name: name, kind: .mlp(dim: dim, ff: ff, gated: gated, bias: bias))
    }
    static func moe(_ name: String, _ m: HFMoE) -> HFModule { HFModule(name: name, kind: .moe(m)) }
    static func fixed(_ name: String, params: Int) -> HFModule { HFModule(name: name, kind: .fixed(params: params)) }
    static func group(_ name: String, repeat n: Int, first: Int? = 0, _ body: [HFModule]) -> HFModule {
        HFModule(name: name, kind: .group(repeat: n, first: first, body))
    }
}

/// Consecutive layers built alike, for families whose layers differ by index (dense layers before
/// MoE ones): each run becomes one group.
struct HFRun: Equatable {
    var from: Int
    var count: Int
    var sparse: Bool
    var last: Int { from + count - 1 }
}

enum HFRuns {
    /// The most groups one layer list is written as. A pattern that alternates more often than this
    /// (a huge num_hidden_layers with decoder_sparse_step 2) is refused rather than written as
    /// millions of groups.
    static let maxRuns = 1_000

    /// The runs of `layers` layers where layer i is sparse iff `i ∉ exceptions` and `(i + 1) % step == 0`
    /// (`step` 0: no layer is sparse). Work proportional to the runs and the exceptions, not to the
    /// number of layers, so a config claiming 10^12 layers answers at once.
    static func runs(layers: Int, step: Int, exceptions: [Int], key: String, config: HFConfig) throws(ModelError) -> [HFRun] {
        let except = Set(exceptions.filter { $0 < layers })
        func sparse(_ i: Int) -> Bool { step > 0 && !except.contains(i) && (i + 1) % step == 0 }
        // The kind changes only at these indices: after an exception, and around every sparse layer
        // of the step pattern.
        var cuts: Set<Int> = [0]
        for e in except {
            cuts.insert(e)
            if e + 1 < layers { cuts.insert(e + 1) }
        }
        if step > 1 {
            let sparseCount = layers / step
            guard sparseCount <= maxRuns else {
                throw config.error(key, "with num_hidden_layers \(Format.grouped(layers)) and \(key) \(step), dense and "
                                   + "MoE layers alternate \(Format.grouped(sparseCount)) times; paramcount writes each run of "
                                   + "equal layers as a group and takes at most \(Format.grouped(maxRuns)) groups")
            }
            var i = step - 1
            while i < layers {
                cuts.insert(i)
                if i + 1 < layers { cuts.insert(i + 1) }
                i += step
            }
        }
        var runs: [HFRun] = []
        let sorted = cuts.sorted()
        for (j, start) in sorted.enumerated() {
            let end = j + 1 < sorted.count ? sorted[j + 1] : layers
            let s = sparse(start)
            if let last = runs.last, last.sparse == s {
                runs[runs.count - 1].count += end - start
            } else {
                runs.append(HFRun(from: start, count: end - start, sparse: s))
            }
        }
        guard runs.count <= maxRuns else {
            throw config.error(key, "makes \(Format.grouped(runs.count)) runs of dense and MoE layers; paramcount writes each "
                               + "run as a group and takes at most \(Format.grouped(maxRuns)) groups")
        }
        return runs
    }

    /// The group name of a run: the list's own path when one run covers it, else the path with the
    /// layer numbers (`model.layers.0-2`, `model.layers.3`).
    static func name(_ list: String, _ run: HFRun, total: Int) -> String {
        if run.from == 0 && run.count == total { return list }
        return run.count == 1 ? "\(list).\(run.from)" : "\(list).\(run.from)-\(run.last)"
    }
}

extension HFModule {
    /// The paramcount layer holding this module: only the fields that differ from the kind's
    /// defaults, so the written model reads like one written by hand, and widths left to inherit
    /// where the module takes the width of the one before it (an edit of the embedding's width
    /// then flows through the model, as a change of hidden_size does).
    func layer(_ c: HFConfig) throws(ModelError) -> Layer {
        func notYet(_ what: String) -> ModelError {
            ModelError(file: c.file, "\(c.className) needs the \(what) kind, which this build of paramcount does not have yet")
        }
        var f: [(Field, FieldValue)] = []
        func width(_ field: Field, _ n: Int?) { if let n { f.append((field, .int(n))) } }
        switch kind {
        case .embedding(let vocab, let dim):
            return Layer(.embedding, name: name, [(.vocab, .int(vocab)), (.dim, .int(dim))])
        case .layernorm(let dim, let bias):
            width(.dim, dim)
            if !bias { f.append((.bias, .bool(false))) }
            return Layer(.layernorm, name: name, f)
        case .rmsnorm(let dim):
            width(.dim, dim)
            return Layer(.rmsnorm, name: name, f)
        case .dense(let input, let out, let bias, let tied):
            width(.in, input)
            f.append((.out, .int(out)))
            if !bias { f.append((.bias, .bool(false))) }
            if tied { f.append((.tied, .bool(true))) }
            return Layer(.dense, name: name, f)
        case .attention(let a):
            width(.dim, a.dim)
            f.append((.heads, .int(a.heads)))
            if a.kvHeads != a.heads { f.append((.kvHeads, .int(a.kvHeads))) }
            width(.headDim, a.headDim)
            if let l = a.latent {
                if l.qRank > 0 { f.append((.qRank, .int(l.qRank))) }
                f += [(.kvRank, .int(l.kvRank)), (.ropeDim, .int(l.ropeDim))]
                if l.vHeadDim != a.headDim { f.append((.vHeadDim, .int(l.vHeadDim))) }
            }
            // `bias` sets both; the Qwen2 split (biases on q, k and v, none on o) needs the two fields.
            if a.qkvBias == a.outBias {
                if !a.qkvBias { f.append((.bias, .bool(false))) }
            } else {
                f += [(.qkvBias, .bool(a.qkvBias)), (.outBias, .bool(a.outBias))]
            }
            if a.qkNorm != .none { f.append((.qkNorm, .option(a.qkNorm == .head ? "head" : "full"))) }
            return Layer(.attention, name: name, f)
        case .mlp(let dim, let ff, let gated, let bias):
            width(.dim, dim)
            f.append((.ff, .int(ff)))
            if gated { f.append((.gated, .bool(true))) }
            if !bias { f.append((.bias, .bool(false))) }
            return Layer(.mlp, name: name, f)
        case .moe(let m):
            width(.dim, m.dim)
            f += [(.experts, .int(m.experts)), (.topK, .int(m.topK)), (.ff, .int(m.ff))]
            if m.sharedExperts > 0 {
                f.append((.sharedExperts, .int(m.sharedExperts)))
                if let shared = m.sharedFF, shared != m.ff { f.append((.sharedFF, .int(shared))) }
                if m.sharedGate { f.append((.sharedGate, .bool(true))) }
            }
            return Layer(.moe, name: name, f)
        case .fixed(let params):
            return Layer(.custom, name: name, [(.params, .int(params))])
        case .group: throw notYet("group")
        }
    }
}

extension HFModule {
    /// The paramcount rows of a model's modules. Until paramcount has a kind that repeats a group of
    /// layers, a group is written out layer by layer, each row named by its path with the layer
    /// number (`model.layers.0.self_attn`), as checkpoints name their tensors.
    static func rows(_ modules: [HFModule], _ c: HFConfig) throws(ModelError) -> [Layer] {
        let n = try rowCount(modules)
        guard let n, n <= ModelFile.maxLayers else {
            throw ModelError(file: c.file, "the model this config describes has "
                             + (n.map { Format.grouped($0) + " rows" } ?? "more rows than 64 bits can number")
                             + " when written layer by layer; paramcount holds at most \(Format.grouped(ModelFile.maxLayers))")
        }
        var out: [Layer] = []
        out.reserveCapacity(n)
        try append(modules, prefix: "", into: &out, c)
        return out
    }

    private static func rowCount(_ modules: [HFModule]) throws(ModelError) -> Int? {
        var total = 0
        for m in modules {
            var rows = 1
            if case .group(let n, _, let body) = m.kind {
                guard let inner = try rowCount(body) else { return nil }
                let (r, o) = n.multipliedReportingOverflow(by: inner)
                if o { return nil }
                rows = r
            }
            let (t, o) = total.addingReportingOverflow(rows)
            if o { return nil }
            total = t
        }
        return total
    }

    private static func append(_ modules: [HFModule], prefix: String, into out: inout [Layer], _ c: HFConfig) throws(ModelError) {
        for m in modules {
            guard case .group(let n, let first, let body) = m.kind else {
                var layer = try m.layer(c)
                layer.name = prefix + m.name
                out.append(layer)
                continue
            }
            guard let first else {
                try append(body, prefix: prefix + m.name + ".", into: &out, c)
                continue
            }
            // A run of a list (`model.layers.3-60`) numbers its layers from the list's path.
            var list = m.name
            for suffix in [".\(first)-\(first + n - 1)", ".\(first)"] where n > 0 && list.hasSuffix(suffix) {
                list.removeLast(suffix.count)
                break
            }
            for i in 0..<n { try append(body, prefix: prefix + list + ".\(first + i).", into: &out, c) }
        }
    }
}
