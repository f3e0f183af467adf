import ParamCountCore

/// One module of a Hugging Face model as a paramcount layer holds it, named by its path in the
/// transformers module tree. The family files describe models with the helpers below; `layer`
/// turns each into the paramcount kind, which does the counting.
struct HFModule: Equatable {
    var name: String
    var kind: Kind

    indirect enum Kind: Equatable {
        case embedding(vocab: Int, dim: Int)
        /// Widths left out (nil) are the output of the module before, so an edit of the
        /// embedding's width flows through the model.
        case layernorm
        case rmsnorm(dim: Int?)
        case dense(in: Int?, out: Int, bias: Bool, tied: Bool)
        case attention(HFAttention)
        case mlp(ff: Int, gated: Bool, bias: Bool)
        case moe(HFMoE)
        /// Parameters with no width of their own (a LayerNorm without affine weights has none).
        case fixed(params: Int)
        /// The first position of the sequence, as BERT's pooler and RoBERTa's classifier take the
        /// [CLS] (<s>) token: no parameters, and the layers after it read one vector.
        case firstToken
        /// A list of layers (`model.layers`, or a run of it: `model.layers.3-60`), or a module
        /// written out part by part (attention as its projections).
        case group(repeat: Int, [HFModule])
    }
}

struct HFAttention: Equatable {
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
    var experts: Int
    var topK: Int
    var ff: Int
    var sharedExperts = 0
    var sharedFF: Int?
    var sharedGate = false
}

extension HFModule {
    static func embedding(_ name: String, vocab: Int, dim: Int) -> HFModule { HFModule(name: name, kind: .embedding(vocab: vocab, dim: dim)) }
    static func layernorm(_ name: String) -> HFModule { HFModule(name: name, kind: .layernorm) }
    static func rmsnorm(_ name: String, dim: Int? = nil) -> HFModule { HFModule(name: name, kind: .rmsnorm(dim: dim)) }
    static func dense(_ name: String, in input: Int? = nil, out: Int, bias: Bool, tied: Bool = false) -> HFModule {
        HFModule(name: name, kind: .dense(in: input, out: out, bias: bias, tied: tied))
    }
    static func attention(_ name: String, _ a: HFAttention) -> HFModule { HFModule(name: name, kind: .attention(a)) }
    static func mlp(_ name: String, ff: Int, gated: Bool, bias: Bool) -> HFModule {
        HFModule(name: name, kind: .mlp(ff: ff, gated: gated, bias: bias))
    }
    static func moe(_ name: String, _ m: HFMoE) -> HFModule { HFModule(name: name, kind: .moe(m)) }
    static func firstToken(_ name: String) -> HFModule { HFModule(name: name, kind: .firstToken) }
    static func fixed(_ name: String, params: Int) -> HFModule { HFModule(name: name, kind: .fixed(params: params)) }
    static func group(_ name: String, repeat n: Int, _ body: [HFModule]) -> HFModule {
        HFModule(name: name, kind: .group(repeat: n, body))
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
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
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
    var layer: Layer {
        var f: [(Field, FieldValue)] = []
        func width(_ field: Field, _ n: Int?) { if let n { f.append((field, .int(n))) } }
        switch kind {
        case .embedding(let vocab, let dim):
            return Layer(.embedding, name: name, [(.vocab, .int(vocab)), (.dim, .int(dim))])
        case .layernorm:
            return Layer(.layernorm, name: name)
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
        case .mlp(let ff, let gated, let bias):
            f.append((.ff, .int(ff)))
            if gated { f.append((.gated, .bool(true))) }
            if !bias { f.append((.bias, .bool(false))) }
            return Layer(.mlp, name: name, f)
        case .moe(let m):
            f += [(.experts, .int(m.experts)), (.topK, .int(m.topK)), (.ff, .int(m.ff))]
            if m.sharedExperts > 0 {
                f.append((.sharedExperts, .int(m.sharedExperts)))
                if let shared = m.sharedFF, shared != m.ff { f.append((.sharedFF, .int(shared))) }
                if m.sharedGate { f.append((.sharedGate, .bool(true))) }
            }
            return Layer(.moe, name: name, f)
        case .fixed(let params):
            return Layer(.custom, name: name, [(.params, .int(params))])
        case .firstToken:
            return Layer(.pool, name: name, [(.mode, .option("first"))])
        case .group(let n, let body):
            return Layer.group(name: name, repeat: n, body.map(\.layer))
        }
    }
}

