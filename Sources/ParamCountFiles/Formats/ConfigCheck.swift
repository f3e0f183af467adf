import ParamCountCore

/// A checkpoint's weights checked against the config that describes them: the config's count, the
/// weights' count less their buffers, the buffers named, and where the two disagree, module by
/// module.
public struct ConfigCheck: Sendable, Equatable {
    /// Buffers of one name (`rotary_emb.inv_freq`), however many layers hold one.
    public struct Buffers: Sendable, Equatable {
        public var name: String
        public var tensors: Int
        public var elements: Int
    }

    /// A module whose count differs: `config` is what the config's model holds under this path,
    /// `weights` what the checkpoint's tensors under it hold (layer numbers ignored).
    public struct Difference: Sendable, Equatable {
        public var module: String
        public var config: Int
        public var weights: Int
    }

    public var config = 0
    /// Every tensor's elements less the buffers'.
    public var weights = 0
    public var buffers: [Buffers] = []
    public var differences: [Difference] = []
    /// The class the config's reader counted (`LlamaForCausalLM`), when it says.
    public var configClass: String?
    /// Why there is no comparison (the config could not be read or counted).
    public var problem: String?

    public init(problem: String) { self.problem = problem }

    init() {}

    public var agrees: Bool { problem == nil && config == weights }

    /// "config: 6,738,415,616 · weights: 6,738,415,616 ✓", or with the difference and ✗.
    public var headline: String {
        if let problem { return problem }
        let head = "config: \(Format.grouped(config)) · weights: \(Format.grouped(weights))"
        return agrees ? head + " ✓" : head + " ✗ (weights − config: \(Format.signed(weights - config)))"
    }

    /// The headline, what the buffers are, and the modules that differ (at most `limit`).
    public func lines(limit: Int = 12) -> [String] {
        var out = [headline]
        if problem != nil { return out }
        if !buffers.isEmpty {
            let listed = buffers.map { "\($0.tensors == 1 ? "" : "\($0.tensors) × ")\($0.name)" }.joined(separator: ", ")
            let total = buffers.reduce(0) { $0 + $1.elements }
            out.append("buffers, not parameters, left out of the weights: \(listed) (\(Format.grouped(total)) values)")
        }
        for d in differences.prefix(limit) {
            out.append("\(d.module): config \(Format.grouped(d.config)) · weights \(Format.grouped(d.weights)) "
                       + "(\(Format.signed(d.weights - d.config)))")
        }
        if differences.count > limit { out.append("… and \(differences.count - limit) more modules that differ") }
        return out
    }
}

/// Checks a checkpoint's tensors against the model its config describes. Buffers
/// (`TensorClassifier.isBuffer`: rotary frequencies, GPT-2's causal masks...) are named, not
/// counted as a mismatch. When the totals differ, each module of the config (its layers' names,
/// dotted module paths such as `model.layers.self_attn`) is compared with the tensors under that
/// path in the checkpoint, layer numbers left out (`model.layers.0.self_attn.q_proj.weight` falls
/// under `model.layers.self_attn`); tensors under no module of the config are listed on their own.
public func checkAgainstConfig(listing: TensorListing, configModel: Model, configClass: String? = nil) -> ConfigCheck {
    var check = ConfigCheck()
    check.configClass = configClass
    let count: ModelCount
    do { count = try Counter.count(configModel) } catch {
        return ConfigCheck(problem: "the config does not count: \(error.message)")
    }
    check.config = count.total

    var buffers: [ConfigCheck.Buffers] = []
    var weights = 0
    var real: [TensorInfo] = []
    for t in listing.tensors {
        if TensorClassifier.isBuffer(t.name) {
            let segments = t.name.split(separator: ".")
            let name = segments.suffix(2).joined(separator: ".")
            if let i = buffers.firstIndex(where: { $0.name == name }) {
                buffers[i].tensors += 1
                buffers[i].elements += t.elements
            } else {
                buffers.append(.init(name: name, tensors: 1, elements: t.elements))
            }
        } else {
            // Part of the listing's total, which was checked.
            weights += t.elements
            real.append(t)
        }
    }
    check.weights = weights
    check.buffers = buffers
    guard check.config != weights else { return check }

    // The config's modules by path, in order, with their counts. Layer numbers are left out on
    // both sides (`model.layers.0.self_attn`, a run `model.layers.0-2`), so each module of one
    // decoder layer is compared summed over the layers.
    var order: [String] = []
    var configBy: [String: Int] = [:]
    for (path, params) in configModules(configModel, count) {
        if configBy[path] == nil { order.append(path) }
        configBy[path, default: 0] += params
    }
    var weightsBy: [String: Int] = [:]
    var unmatchedOrder: [String] = []
    var unmatched: [String: Int] = [:]
    for t in real {
        // The module path without layer numbers, then its ancestors, longest first.
        var segments = t.name.split(separator: ".", omittingEmptySubsequences: false).dropLast().filter { !isLayerNumber($0) }
        var owner: String?
        while !segments.isEmpty {
            let path = segments.joined(separator: ".")
            if configBy[path] != nil { owner = path; break }
            segments.removeLast()
        }
        if let owner { weightsBy[owner, default: 0] += t.elements } else {
            let key = t.name.split(separator: ".").filter { !isLayerNumber($0) }.dropLast().joined(separator: ".")
            let shown = key.isEmpty ? t.name : key
            if unmatched[shown] == nil { unmatchedOrder.append(shown) }
            unmatched[shown, default: 0] += t.elements
        }
    }
    for path in order where configBy[path] != weightsBy[path, default: 0] {
        check.differences.append(.init(module: path, config: configBy[path]!, weights: weightsBy[path, default: 0]))
    }
    for path in unmatchedOrder {
        check.differences.append(.init(module: path, config: 0, weights: unmatched[path]!))
    }
    return check
}

/// The config model's modules as dotted paths without layer numbers, with their parameters over
/// every repetition: a group is walked into (`model` → `layers` ×32 → `self_attn` gives
/// `model.layers.self_attn`, 32 times its count) when its repetitions all count alike, else it is
/// one module. Unnamed layers are named by their kind and place, which no tensor matches.
private func configModules(_ model: Model, _ count: ModelCount) -> [(path: String, params: Int)] {
    var out: [(path: String, params: Int)] = []
    // Depth is bounded by the counter's nesting limit, which the model passed.
    func walk(_ layers: [Layer], _ counts: [LayerCount], prefix: String, times: Int) {
        for (i, (layer, lc)) in zip(layers, counts).enumerated() {
            let own = layer.name.map(withoutLayerNumbers) ?? "(\(layer.kind.rawValue) \(i + 1))"
            let path = prefix.isEmpty ? own : own.isEmpty ? prefix : prefix + "." + own
            if layer.kind == .group, let body = lc.children.first, body.count == layer.body.count {
                let (inner, o1) = times.multipliedReportingOverflow(by: lc.repeat)
                let (once, o2) = body.reduce((0, false)) { acc, c in
                    let (sum, o) = acc.0.addingReportingOverflow(c.total)
                    return (sum, acc.1 || o)
                }
                let (all, o3) = once.multipliedReportingOverflow(by: lc.repeat)
                if !o1 && !o2 && !o3 && all == lc.total {
                    walk(layer.body, body, prefix: path, times: inner)
                    continue
                }
            }
            let (params, overflow) = lc.total.multipliedReportingOverflow(by: times)
            out.append((path, overflow ? Int.max : params))
        }
    }
    walk(model.layers, count.layers, prefix: "", times: 1)
    return out
}

/// `12`, or a run of layers as a config's model names it (`0-2`).
private func isLayerNumber(_ segment: Substring) -> Bool {
    let parts = segment.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    return !segment.isEmpty && parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
}

private func withoutLayerNumbers(_ path: String) -> String {
    path.split(separator: ".", omittingEmptySubsequences: false).filter { !isLayerNumber($0) }.joined(separator: ".")
}
