/// Counting through groups and parallels. A model is a tree: groups hold a list of layers that runs
/// `repeat` times, parallels hold branches that read the same input. The walker counts every layer
/// once per distinct input width, so the work follows the size of the file, not `repeat`.

/// Parameters summed over any part of a model.
struct Sums: Sendable, Equatable {
    var trainable = 0
    var nonTrainable = 0
    var active = 0
    /// Layers that route tokens through some of their experts, each repetition counted.
    var routed = 0
    var byCategory = CategoryCounts()
    /// Multiply-accumulates, when the model has an input shape.
    var macs = 0

    var total: Int { trainable &+ nonTrainable }

    mutating func add(_ o: Sums) throws(CountOverflow) {
        trainable = try Checked.add(trainable, o.trainable)
        nonTrainable = try Checked.add(nonTrainable, o.nonTrainable)
        _ = try Checked.add(trainable, nonTrainable)
        active = try Checked.add(active, o.active)
        routed = try Checked.add(routed, o.routed)
        try byCategory.add(o.byCategory)
        macs = try Checked.add(macs, o.macs)
    }

    /// Why adding `o`, `n` times over, overflows: the parameters, or only the multiply-accumulates
    /// (a huge input shape makes them overflow while the parameters stay small).
    func overflowMessage(adding o: Sums, times n: Int = 1) -> String {
        var a = self, b = o
        a.macs = 0
        b.macs = 0
        do { try a.add(try b.times(n)) } catch { return Counter.overflowMessage }
        return Counter.macsOverflowMessage
    }

    func times(_ n: Int) throws(CountOverflow) -> Sums {
        let s = Sums(trainable: try Checked.mul(trainable, n), nonTrainable: try Checked.mul(nonTrainable, n),
                     active: try Checked.mul(active, n), routed: try Checked.mul(routed, n),
                     byCategory: try byCategory.multiplied(by: n), macs: try Checked.mul(macs, n))
        _ = try Checked.add(s.trainable, s.nonTrainable)
        return s
    }
}

/// A layer's error found while walking a tree, with the steps from the list being walked down to
/// the layer (added while the error travels up).
struct LocatedError: Error {
    var steps: [LayerPath.Step] = []
    var error: LayerError

    init(_ error: LayerError) { self.error = error }

    func inside(_ step: LayerPath.Step) -> LocatedError {
        var e = self
        e.steps.insert(step, at: 0)
        return e
    }

    /// As the error of `layer`, the group or parallel the steps start from: the layer inside is
    /// named in the message (`layers[1] ("attn"), field 'heads': …`).
    func layerError(in layer: Layer) -> LayerError {
        guard !steps.isEmpty else { return error }
        var inner = layer
        for step in steps {
            switch step {
            case .layer(let i) where inner.body.indices.contains(i): inner = inner.body[i]
            case .branch(let b, let i) where inner.branches.indices.contains(b) && inner.branches[b].indices.contains(i):
                inner = inner.branches[b][i]
            default: break
            }
        }
        var place = LayerPath(steps).description
        if let name = inner.name { place += " (\"" + TerminalSafe.escape(name) + "\")" }
        if let field = error.field { place += ", field '" + TerminalSafe.escape(field) + "'" }
        return LayerError(place + ": " + error.message)
    }
}

struct Walker {
    /// Groups and parallels inside each other, at most: deeper is an error, never a deep recursion.
    static let maxDepth = 64
    /// A group whose input width keeps changing is counted repetition by repetition up to here.
    static let maxSettling = 1_000
    /// Layer evaluations per count, at most. A model needs one per layer and distinct width it
    /// reads; only groups inside repeated groups whose widths change in every repetition come near.
    static let maxWork = 10_000_000
    /// Lists remembered per count, at most (past it they are counted again: slower, still right).
    static let maxMemo = 1_000_000

    let convention: Convention
    /// false: only the widths, no formulas (resolving a group for its output width); a tied head
    /// then need not find its embedding.
    let counting: Bool
    /// The weights offered so far (embeddings), in model order, for the tied heads below them.
    var offered: [OfferedWeight]
    /// The top-level layer being walked, which an offered weight is recorded under.
    var top = 0
    /// Whether a tied head with no embedding above is an error (not when only showing a part).
    var checksTies: Bool
    private var work = 0
    /// The counts of each list (by its storage) for each width it was read with.
    private var memo: [Int: [Reading]] = [:]
    private var remembered = 0

    init(convention: Convention, counting: Bool = true, offered: [OfferedWeight] = [], top: Int = 0) {
        self.convention = convention
        self.counting = counting
        self.offered = offered
        self.top = top
        checksTies = counting
    }

    struct NodeCount {
        var count: LayerCount
        var sums: Sums
        var passedOn: Int?
        /// What it gives, when the model has an input shape.
        var shape: Shape? = nil
    }

    struct ListCount {
        /// Empty unless asked for: a repetition after the first is only summed.
        var layers: [LayerCount] = []
        var hasLayers = false
        var sums = Sums()
        var passedOn: Int?
        var shape: Shape? = nil
    }

    /// A run of repetitions of a group that count the same: `count` of them, the first being number `first`.
    struct Run {
        var first: Int
        var count: Int
        var received: Int?
        var shape: Shape? = nil
        var list: ListCount
    }

    /// A list read from one width, in one place. A list is the same list wherever it appears when
    /// its storage is the same (arrays share storage only when equal), so its count for one input
    /// width is worked out once.
    private struct Reading {
        let received: Int?
        let shape: Shape?
        let frozen: Bool
        let depth: Int
        var count: ListCount
    }

    /// Counts one layer of any kind; `frozen` when a group around it has `trainable: false`, `depth`
    /// the number of groups and parallels around it. `keep`: fill in the counts of what is inside
    /// (`LayerCount.children`); without it only the sums are worked out.
    mutating func count(_ layer: Layer, received: Int?, shape: Shape? = nil, frozen: Bool, depth: Int,
                        keep: Bool = true) throws(LocatedError) -> NodeCount {
        var runs: [Run]? = nil
        return try count(layer, received: received, shape: shape, frozen: frozen, depth: depth, keep: keep, runs: &runs)
    }

    mutating func count(_ layer: Layer, received: Int?, shape: Shape? = nil, frozen: Bool, depth: Int, keep: Bool,
                        runs: inout [Run]?) throws(LocatedError) -> NodeCount {
        work += 1
        try checkWork()
        var r: ResolvedLayer
        do { r = try layer.resolveOwnFields(previousOutput: received, shape: shape) } catch { throw LocatedError(error) }
        switch r.settings {
        case .group(let s):
            return try group(layer, s, &r, received: received, shape: shape, frozen: frozen, depth: depth, keep: keep, runs: &runs)
        case .parallel(let s):
            return try parallel(layer, s, &r, received: received, shape: shape, frozen: frozen, depth: depth, keep: keep)
        default:
            var sums = Sums()
            let lc = try leaf(r, received: received, shape: shape, frozen: frozen, label: layer.name, into: &sums)
            return NodeCount(count: lc, sums: sums, passedOn: lc.shapes.map { $0.output.width } ?? r.passedOn, shape: lc.shapes?.output)
        }
    }

    /// Counts a layer that holds no others and adds it to `sums`; records the weight it offers, or
    /// finds the one it uses (`label` names it in the error when there is none).
    @inline(__always)
    private mutating func leaf(_ r: ResolvedLayer, received: Int?, shape: Shape?, frozen: Bool, label: @autoclosure () -> String?,
                               into sums: inout Sums) throws(LocatedError) -> LayerCount {
        var lc = LayerCount(input: r.input, inputInherited: r.inputInherited, output: r.output, received: received)
        if let shape {
            let shapes: LayerShapes
            do { shapes = try r.shapes(reading: shape, convention: convention) } catch { throw LocatedError(error) }
            lc.shapes = shapes
            do { sums.macs = try Checked.add(sums.macs, shapes.macs) } catch {
                throw LocatedError(LayerError(Counter.macsOverflowMessage))
            }
        }
        switch r.sharing {
        case .none: break
        case .offers(let shape):
            offered.append(OfferedWeight(layer: top, shape: shape,
                                         label: label().map { "'\(TerminalSafe.escape($0))'" } ?? "an embedding in layer \(top + 1)"))
        case .reuses(let reuse):
            do { lc.tiedTo = try Counter.tie(reuse, offered: offered[...]) } catch {
                if checksTies { throw LocatedError(error) }
            }
        }
        guard counting else { return lc }
        var tally = PartTally(convention: convention, layerTrainable: r.trainable && !frozen)
        do {
            try r.parts(into: &tally)
            lc.total = try Checked.add(tally.trainable, tally.nonTrainable)
            lc.trainable = tally.trainable
            lc.nonTrainable = tally.nonTrainable
            lc.active = tally.active
            sums.trainable = try Checked.add(sums.trainable, tally.trainable)
            sums.nonTrainable = try Checked.add(sums.nonTrainable, tally.nonTrainable)
            _ = try Checked.add(sums.trainable, sums.nonTrainable)
            sums.active = try Checked.add(sums.active, tally.active)
            if tally.routed { sums.routed += 1 }
            try sums.byCategory.add(tally.byCategory)
        } catch {
            throw LocatedError(LayerError(Counter.overflowMessage))
        }
        return lc
    }

    private mutating func group(_ layer: Layer, _ s: Group.Settings, _ r: inout ResolvedLayer, received: Int?, shape: Shape?,
                                frozen: Bool, depth: Int, keep: Bool, runs: inout [Run]?) throws(LocatedError) -> NodeCount {
        guard !layer.body.isEmpty else {
            throw LocatedError(LayerError(field: "layers", "is empty: a group needs at least one layer"))
        }
        try checkDepth(depth)
        let frozen = frozen || !layer.trainable
        let n = s.repetitions
        let keepRuns = keep && runs != nil
        var current = try list(layer.body, branch: nil, received: received, shape: shape, frozen: frozen, depth: depth + 1, keep: keep)
        let first = current.layers
        var total = current.sums
        var input = received, inputShape = shape
        var done = 1
        runs?.append(Run(first: 1, count: 1, received: input, shape: inputShape, list: current))
        // Repetition k reads what repetition k − 1 passed on. Once a repetition reads what the one
        // before it read, it counts the same, and so does every one after it.
        while done < n {
            let next = current.passedOn, nextShape = current.shape
            if next == input && nextShape == inputShape {
                do { try total.add(current.sums.times(n - done)) } catch {
                    throw LocatedError(LayerError(.repeat, total.overflowMessage(adding: current.sums, times: n - done)))
                }
                if runs != nil { runs![runs!.count - 1].count += n - done }
                break
            }
            guard done < Self.maxSettling else {
                let change = next == input ? "shape" : "width"
                let before = next == input ? inputShape?.description ?? "none" : Self.width(input)
                let after = next == input ? nextShape?.description ?? "none" : Self.width(next)
                throw LocatedError(LayerError(.repeat, "the layers' \(change) still changes after \(Format.grouped(done)) repetitions "
                                              + "(\(before) → \(after)); paramcount counts a group "
                                              + "whose \(change) settles within \(Format.grouped(Self.maxSettling)) repetitions"))
            }
            do {
                current = try list(layer.body, branch: nil, received: next, shape: nextShape, frozen: frozen, depth: depth + 1, keep: keepRuns)
            } catch {
                var e = error
                let reads = nextShape.map { "a shape of \($0)" } ?? "a width of \(Self.width(next))"
                e.error.message += " (in repetition \(done + 1) of \(n), which reads \(reads))"
                throw e
            }
            do { try total.add(current.sums) } catch {
                throw LocatedError(LayerError(.repeat, total.overflowMessage(adding: current.sums)))
            }
            input = next
            inputShape = nextShape
            done += 1
            runs?.append(Run(first: done, count: 1, received: input, shape: inputShape, list: current))
        }
        r.setOutput(current.passedOn, received: received)
        var lc = LayerCount(input: r.input, inputInherited: r.inputInherited, output: r.output, received: received)
        if let shape, let out = current.shape { lc.shapes = LayerShapes(input: shape, output: out, macs: total.macs) }
        lc.trainable = total.trainable
        lc.nonTrainable = total.nonTrainable
        lc.total = total.total
        lc.active = total.active
        lc.repeat = n
        if keep { lc.children = [first] }
        return NodeCount(count: lc, sums: total, passedOn: current.passedOn, shape: current.shape)
    }

    private mutating func parallel(_ layer: Layer, _ s: Parallel.Settings, _ r: inout ResolvedLayer, received: Int?, shape: Shape?,
                                   frozen: Bool, depth: Int, keep: Bool) throws(LocatedError) -> NodeCount {
        guard !layer.branches.isEmpty else {
            throw LocatedError(LayerError(field: "branches",
                                          "is empty: a parallel needs at least one branch ([] is a branch that passes its input on)"))
        }
        try checkDepth(depth)
        let frozen = frozen || !layer.trainable
        var total = Sums()
        var children: [[LayerCount]] = []
        if keep { children.reserveCapacity(layer.branches.count) }
        var outputs: [Int?] = [], shapes: [Shape] = []
        outputs.reserveCapacity(layer.branches.count)
        for (b, branch) in layer.branches.enumerated() {
            let c = try list(branch, branch: b, received: received, shape: shape, frozen: frozen, depth: depth + 1, keep: keep)
            do { try total.add(c.sums) } catch { throw LocatedError(LayerError(total.overflowMessage(adding: c.sums))) }
            if keep { children.append(c.layers) }
            outputs.append(c.passedOn)
            if let out = c.shape { shapes.append(out) }
        }
        var mergedShape: Shape? = nil
        if shape != nil {
            do { mergedShape = try Self.merge(shapes, s.merge) } catch { throw LocatedError(error) }
        }
        let merged: Int?
        switch s.merge {
        case .add:
            let known = outputs.enumerated().compactMap { b, w in w.map { (b, $0) } }
            if let (b0, w0) = known.first, let (b1, w1) = known.first(where: { $0.1 != w0 }) {
                throw LocatedError(LayerError(.merge, "adds branches of different widths: branch \(b0) ends at \(w0), branch \(b1) "
                                              + "at \(w1); with merge: add every branch must end at the same width "
                                              + "(or use merge: concat)"))
            }
            merged = known.first?.1
        case .concat:
            var sum = 0
            for (b, w) in outputs.enumerated() {
                guard let w else {
                    throw LocatedError(LayerError(.merge, "cannot join branch \(b): it has no width to pass on (give its first "
                                                  + "layer an input width)"))
                }
                do { sum = try Checked.add(sum, w) } catch {
                    throw LocatedError(LayerError(.merge, "the joined width does not fit in 64 bits"))
                }
            }
            merged = sum
        }
        r.setOutput(merged, received: received)
        var lc = LayerCount(input: r.input, inputInherited: r.inputInherited, output: r.output, received: received)
        lc.trainable = total.trainable
        lc.nonTrainable = total.nonTrainable
        lc.total = total.total
        lc.active = total.active
        lc.children = children
        if let shape, let mergedShape { lc.shapes = LayerShapes(input: shape, output: mergedShape, macs: total.macs) }
        return NodeCount(count: lc, sums: total, passedOn: merged, shape: mergedShape)
    }

    private func checkWork() throws(LocatedError) {
        if work > Self.maxWork {
            throw LocatedError(LayerError("needs more than 10,000,000 layer evaluations: groups inside repeated groups change "
                                          + "their widths in too many ways to count"))
        }
    }

    private func checkDepth(_ depth: Int) throws(LocatedError) {
        guard depth < Self.maxDepth else { throw LocatedError(LayerError.nestedTooDeep(depth: depth)) }
    }

    /// Counts a group's layers or one branch of a parallel (`branch` is its index), from the width
    /// `received`. `keep`: with each layer's count, not only the sums.
    mutating func list(_ layers: [Layer], branch: Int?, received: Int?, shape: Shape? = nil, frozen: Bool, depth: Int,
                       keep: Bool) throws(LocatedError) -> ListCount {
        if layers.isEmpty { return ListCount(hasLayers: true, passedOn: received, shape: shape) }
        let storage = layers.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let readings = memo[storage]
        if let readings, let known = readings.first(where: { $0.received == received && $0.shape == shape && $0.frozen == frozen && $0.depth == depth }) {
            if known.count.hasLayers || !keep {
                work += 1
                return known.count
            }
        } else if let readings, readings.count >= Self.maxSettling {
            // One list reading ever more widths is the mark of groups inside repeated groups whose
            // widths change in every repetition: the cost would double with each level.
            throw LocatedError(LayerError("the layers inside would be counted for more than \(Format.grouped(Self.maxSettling)) different "
                                          + "input widths: groups inside repeated groups change their widths in too many ways "
                                          + "to count"))
        }
        var out = ListCount(hasLayers: keep)
        if keep { out.layers.reserveCapacity(layers.count) }
        var previous = received, previousShape = shape
        // Through the buffer, so that reading a layer does not copy it (and retain what it holds).
        try layers.withUnsafeBufferPointer { (buffer) throws(LocatedError) in
            for i in buffer.indices {
                let step: LayerPath.Step = branch.map { .branch($0, i) } ?? .layer(i)
                // Most layers hold no others: counted straight into the list's sums.
                if !buffer[i].kind.holdsLayers {
                    work += 1
                    let r: ResolvedLayer
                    do throws(LayerError) {
                        r = try Layer.resolveOwnFields(buffer[i].kind, buffer[i].fields, trainable: buffer[i].trainable,
                                                       previousOutput: previous, shape: previousShape)
                    } catch {
                        throw LocatedError(error).inside(step)
                    }
                    let lc: LayerCount
                    do throws(LocatedError) {
                        lc = try leaf(r, received: previous, shape: previousShape, frozen: frozen, label: buffer[i].name, into: &out.sums)
                    } catch {
                        throw error.inside(step)
                    }
                    if keep { out.layers.append(lc) }
                    if let next = lc.shapes?.output {
                        previousShape = next
                        previous = next.width
                    } else {
                        previous = r.passedOn
                    }
                    continue
                }
                let node: NodeCount
                do throws(LocatedError) {
                    node = try count(buffer[i], received: previous, shape: previousShape, frozen: frozen, depth: depth, keep: keep)
                } catch {
                    throw error.inside(step)
                }
                do throws(CountOverflow) { try out.sums.add(node.sums) } catch {
                    throw LocatedError(LayerError(out.sums.overflowMessage(adding: node.sums))).inside(step)
                }
                if keep { out.layers.append(node.count) }
                previous = node.passedOn
                previousShape = node.shape
            }
        }
        try checkWork()
        out.passedOn = previous
        out.shape = previousShape
        if remembered < Self.maxMemo {
            let reading = Reading(received: received, shape: shape, frozen: frozen, depth: depth, count: out)
            if let i = readings?.firstIndex(where: { $0.received == received && $0.shape == shape && $0.frozen == frozen && $0.depth == depth }) {
                memo[storage]![i] = reading
            } else {
                memo[storage, default: []].append(reading)
                remembered += 1
            }
        }
        return out
    }

    static func width(_ w: Int?) -> String { w.map(String.init) ?? "none" }

    /// The shape a parallel gives: its branches' shapes added (all equal) or joined along the
    /// channels (channels first) or the features (features last), the other sizes equal.
    static func merge(_ shapes: [Shape], _ merge: Parallel.Merge) throws(LayerError) -> Shape? {
        guard let first = shapes.first else { return nil }
        switch merge {
        case .add:
            if let (b, other) = shapes.enumerated().first(where: { $0.element != first }) {
                throw LayerError(.merge, "adds branches of different shapes: branch 0 ends at \(first), branch \(b) at \(other); "
                                 + "with merge: add every branch must end at the same shape")
            }
            return first
        case .concat:
            let axis = first.layout == .channelsFirst ? 0 : first.rank - 1
            var dims = first.dims
            for (b, other) in shapes.enumerated().dropFirst() {
                var a = other.dims, f = first.dims
                guard other.layout == first.layout, a.count == f.count else {
                    throw LayerError(.merge, "joins branch 0's \(first) with branch \(b)'s \(other): they must have the same number of sizes")
                }
                a[axis] = 0
                f[axis] = 0
                guard a == f else {
                    throw LayerError(.merge, "joins branch 0's \(first) with branch \(b)'s \(other): every size but the "
                                     + (axis == 0 ? "channels" : "last") + " must match")
                }
                do { dims[axis] = try Checked.add(dims[axis], other.dims[axis]) } catch {
                    throw LayerError(.merge, "the joined width does not fit in 64 bits")
                }
            }
            return Shape(dims, layout: first.layout)
        }
    }
}

extension ResolvedLayer {
    /// A group's or parallel's widths, known once its layers are walked.
    mutating func setOutput(_ passedOn: Int?, received: Int?) {
        input = received ?? 0
        inputInherited = received != nil
        output = passedOn ?? 0
        passesNothing = passedOn == nil
    }
}

extension Walker {
    /// A group's or parallel's derivation in a teacher's style: each layer inside is a variable
    /// holding its count, a group is `n × (one block)` (or one part per run of repetitions that
    /// count alike, when its first repetitions read other widths), a parallel the sum of its branches.
    static func derivation(of layer: Layer, previousOutput: Int?, shape: Shape? = nil, convention: Convention,
                           frozen: Bool) throws(LayerError) -> Derivation {
        var walker = Walker(convention: convention)
        walker.checksTies = false
        var runs: [Run]? = []
        let node: NodeCount
        do { node = try walker.count(layer, received: previousOutput, shape: shape, frozen: frozen, depth: 0, keep: true, runs: &runs) } catch {
            throw error.layerError(in: layer)
        }
        let r = try layer.resolve(counted: node.count)
        var symbols = Symbols()
        var parts: [DerivationPart] = []
        // With an input shape, the multiply-accumulates the same way: each layer inside a variable
        // (its name with a subscript m) holding its MACs.
        var macParts: [DerivationPart] = []
        var notes = r.notes(convention)
        // One part: its formula over the layers' counts, and over what a token passes through when
        // a layer inside routes tokens (their symbols primed).
        func part(_ label: String, _ layers: [Layer], _ counts: [LayerCount], _ sums: Sums, times: Expr?,
                  suffix: String) throws(CountOverflow) -> DerivationPart {
            let (block, activeBlock) = blockExpressions(layers, counts, &symbols, suffix: suffix)
            func scaled(_ e: Expr) -> Expr {
                guard let times else { return e }
                if case .variable = e { return .product([times, e]) }
                return .product([times, .group(e)])
            }
            let expr = scaled(block), active = activeBlock.map(scaled)
            if shape != nil {
                let names = Model.pathNames(layers[...])
                var terms: [Expr] = []
                for (i, c) in counts.enumerated() where i < layers.count {
                    terms.append(.variable(symbol: symbols.unique(TerminalSafe.escape(names[i]) + suffix + "ₘ"), value: c.shapes?.macs ?? 0,
                                           meaning: "multiply-accumulates of " + names[i]))
                }
                let macs = scaled(terms.count == 1 ? terms[0] : .sum(terms))
                macParts.append(DerivationPart(label: label, category: category(sums), trainable: true, expr: macs, value: try macs.evaluate()))
            }
            return DerivationPart(label: label, category: category(sums), trainable: sums.nonTrainable == 0, expr: expr,
                                  value: try expr.evaluate(), active: active, activeValue: try active?.evaluate())
        }
        do {
            if layer.kind == .group, let runs {
                symbols.reserve("n")
                for (k, run) in runs.enumerated() {
                    let suffix = runs.count > 1 ? Symbols.subscripted(k + 1) : ""
                    let last = run.first + run.count - 1
                    if run.count == 1 {
                        parts.append(try part(runs.count == 1 ? "one block" : "repetition \(run.first)", layer.body, run.list.layers,
                                              run.list.sums, times: nil, suffix: suffix))
                    } else {
                        let times: Expr = runs.count == 1 ? .variable(symbol: "n", value: run.count, meaning: "repetitions")
                                                          : .constant(run.count)
                        parts.append(try part(runs.count == 1 ? "n × (one block)" : "repetitions \(run.first)–\(last)", layer.body,
                                              run.list.layers, run.list.sums, times: times, suffix: suffix))
                    }
                }
                if runs.count > 1 {
                    let widths = runs.map { "repetition \($0.first) reads \(width($0.received))" }
                    notes.append("Its first layer takes its width from what comes before, so repetitions count differently: "
                                 + widths.joined(separator: ", ") + (runs.last!.count > 1 ? " (and so do the ones after it)" : "")
                                 + ".")
                }
            } else {
                var ends: [String] = []
                for (b, branch) in layer.branches.enumerated() {
                    let counts = node.count.children[b]
                    ends.append(branch.isEmpty ? width(previousOutput) : width(counts.last.map { $0.output > 0 ? $0.output : nil } ?? nil))
                    if branch.isEmpty {
                        let identity = DerivationPart(label: "branch \(b) (passes its input on)", category: .other, trainable: true,
                                                      expr: .constant(0), value: 0)
                        parts.append(identity)
                        if shape != nil { macParts.append(identity) }
                        continue
                    }
                    var sums = Sums()
                    for c in counts { sums.nonTrainable &+= c.nonTrainable }
                    parts.append(try part("branch \(b)", branch, counts, sums, times: nil, suffix: ""))
                }
                if case .parallel(let s) = r.settings {
                    notes.append(s.merge == .add ? "The branches end at " + Symbols.list(ends) + " wide; the sum keeps that width."
                                                 : "Joined side by side: " + ends.joined(separator: " + ") + " = \(r.output) wide.")
                }
            }
        } catch {
            throw LayerError(Counter.overflowMessage)
        }
        var d = Derivation(kind: layer.kind, convention: convention, parts: parts, notes: notes, total: node.count.total,
                           trainable: node.count.trainable, nonTrainable: node.count.nonTrainable, active: node.count.active)
        d.shapes = node.count.shapes
        d.macParts = macParts
        return d
    }

    /// The sum of a list's layers, each a variable named after it and holding its count; and, when
    /// a layer routes tokens, the same sum over what a token passes through (that layer primed).
    private static func blockExpressions(_ layers: [Layer], _ counts: [LayerCount], _ symbols: inout Symbols,
                                         suffix: String) -> (Expr, Expr?) {
        let names = Model.pathNames(layers[...])
        var terms: [Expr] = [], activeTerms: [Expr] = []
        var routed = false
        for (i, layer) in layers.enumerated() where i < counts.count {
            let c = counts[i]
            var meaning = layer.kind.rawValue
            if let shape = try? layer.resolve(counted: c).shape, !shape.isEmpty { meaning += ", " + shape }
            let symbol = symbols.unique(TerminalSafe.escape(names[i]) + suffix)
            let term = Expr.variable(symbol: symbol, value: c.total, meaning: meaning)
            terms.append(term)
            if c.active != c.total {
                routed = true
                activeTerms.append(.variable(symbol: symbols.unique(symbol + "′"), value: c.active,
                                             meaning: "what a token passes through in " + names[i]))
            } else {
                activeTerms.append(term)
            }
        }
        func sum(_ xs: [Expr]) -> Expr { xs.count == 1 ? xs[0] : .sum(xs) }
        return (sum(terms), routed ? sum(activeTerms) : nil)
    }

    private static func category(_ s: Sums) -> Category {
        let present = Category.allCases.filter { s.byCategory[$0] > 0 }
        return present.count == 1 ? present[0] : .other
    }
}

/// Variable names for a derivation: each layer's name, made unique.
private struct Symbols {
    private var taken: Set<String> = []

    mutating func reserve(_ s: String) { taken.insert(s) }

    mutating func unique(_ base: String) -> String {
        var s = base
        var n = 2
        while taken.contains(s) {
            s = base + "#\(n)"
            n += 1
        }
        taken.insert(s)
        return s
    }

    static func subscripted(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ xs: [String]) -> String {
        xs.count <= 1 ? xs.joined() : xs.dropLast().joined(separator: ", ") + " and " + xs.last!
    }
}

extension Walker {
    /// Every layer of a model that holds no layers, resolved with the width it reads, how many times
    /// it occurs (the repetitions of the groups around it multiplied) and whether it is the model's
    /// last layer (at the top level). A group whose first repetitions read other widths gives its
    /// layers once per run of repetitions that read alike.
    static func forEachLeaf(of model: Model,
                            _ visit: (ResolvedLayer, _ times: Int, _ isLast: Bool) throws(CountOverflow) -> Void) throws(ModelError) {
        var walker = Walker(convention: model.convention, counting: false)
        var previous: Reads = Reads(width: nil, shape: model.inputShape)
        previous.width = previous.shape?.width
        for i in model.layers.indices {
            walker.top = i
            do {
                previous = try walker.leaves(model.layers[i], reads: previous, times: 1, depth: 0,
                                             isLast: i == model.layers.count - 1, visit)
            } catch {
                throw ModelError(error.inside(.layer(i)), of: model)
            }
        }
    }

    /// What a layer reads: the width, and the shape when the model has an input shape.
    struct Reads {
        var width: Int?
        var shape: Shape?
    }

    private mutating func leaves(_ layer: Layer, reads: Reads, times: Int, depth: Int, isLast: Bool,
                                 _ visit: (ResolvedLayer, Int, Bool) throws(CountOverflow) -> Void) throws(LocatedError) -> Reads {
        let overflow = LocatedError(LayerError("the plan does not fit in 64 bits: use smaller widths"))
        guard layer.kind.holdsLayers else {
            let r: ResolvedLayer
            do { r = try layer.resolveOwnFields(previousOutput: reads.width, shape: reads.shape) } catch { throw LocatedError(error) }
            do { try visit(r, times, isLast) } catch { throw overflow }
            guard let shape = reads.shape else { return Reads(width: r.passedOn, shape: nil) }
            let next: Shape
            do { next = try r.outputShape(shape) } catch { throw LocatedError(error) }
            return Reads(width: next.width, shape: next)
        }
        var runs: [Run]? = []
        let node = try count(layer, received: reads.width, shape: reads.shape, frozen: false, depth: depth, keep: false, runs: &runs)
        if layer.kind == .group {
            for run in runs ?? [] {
                let n: Int
                do { n = try Checked.mul(times, run.count) } catch { throw overflow }
                var previous = Reads(width: run.received, shape: run.shape)
                for (j, inner) in layer.body.enumerated() {
                    do { previous = try leaves(inner, reads: previous, times: n, depth: depth + 1, isLast: false, visit) } catch {
                        throw error.inside(.layer(j))
                    }
                }
            }
        } else {
            for (b, branch) in layer.branches.enumerated() {
                var previous = reads
                for (j, inner) in branch.enumerated() {
                    do { previous = try leaves(inner, reads: previous, times: times, depth: depth + 1, isLast: false, visit) } catch {
                        throw error.inside(.branch(b, j))
                    }
                }
            }
        }
        return Reads(width: node.passedOn, shape: node.shape)
    }
}
