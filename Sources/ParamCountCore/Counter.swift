public struct LayerCount: Sendable, Equatable {
    // Counting a million layers writes a million of these: the fields are ordered to pack tightly.
    public var trainable = 0
    public var nonTrainable = 0
    public var total = 0
    /// The layer's input width after inheritance (0 for kinds without one).
    public var input = 0
    public var output = 0
    /// Parameters a token passes through: the total, except that a mixture of experts counts only
    /// the experts a token is routed to.
    public var active = 0
    /// The width the layer above passed on (nil for the first layer), to resolve this layer again.
    /// Inside a group: what it received in the group's first repetition.
    public var received: Int?
    // Declared after the optional so that it packs beside it.
    public var inputInherited = false
    /// `tiedTo`, or −1; a model has far fewer than 2³¹ layers.
    private var tied: Int32 = -1
    /// A group's repetitions (1 for every other kind). `total`, `trainable`, `nonTrainable` and
    /// `active` count all of them.
    public var `repeat` = 1
    /// What is inside: for a group one list, the counts of its first repetition's layers; for a
    /// parallel one list per branch ([] for a branch that passes its input on). Empty for other kinds.
    public var children: [[LayerCount]] = []
    private var shapesBox: ShapesBox? = nil

    /// The shapes it reads and gives and its multiply-accumulates, when the model has an input shape
    /// (inside a group: in the group's first repetition; a group's own `macs` count every repetition).
    public var shapes: LayerShapes? {
        get { shapesBox?.value }
        set { shapesBox = newValue.map(ShapesBox.init) }
    }

    /// The layer whose weight this one uses instead of its own (a head tied to an embedding): the
    /// top-level layer that is, or holds, the embedding.
    public var tiedTo: Int? {
        get { tied < 0 ? nil : Int(tied) }
        set { tied = newValue.flatMap { Int32(exactly: $0) } ?? -1 }
    }

    public init(trainable: Int = 0, nonTrainable: Int = 0, total: Int = 0, input: Int = 0,
                inputInherited: Bool = false, output: Int = 0, received: Int? = nil, active: Int? = nil, tiedTo: Int? = nil) {
        self.trainable = trainable
        self.nonTrainable = nonTrainable
        self.total = total
        self.input = input
        self.inputInherited = inputInherited
        self.output = output
        self.received = received
        self.active = active ?? total
        self.tiedTo = tiedTo
    }
}

public struct ModelCount: Sendable, Equatable {
    public var convention: Convention
    public var layers: [LayerCount] = []
    public var total = 0
    public var trainable = 0
    public var nonTrainable = 0
    /// Parameters one token passes through; equal to `total` unless a layer routes tokens to some
    /// of its experts.
    public var active = 0
    /// Whether a layer routes each token through part of its parameters (a mixture of experts), so
    /// that `active` is worth showing beside `total`.
    public var routed: Bool { routedLayers > 0 }
    /// How many layers route tokens (kept as a number so that recounting one layer keeps it right).
    var routedLayers = 0
    /// Totals per `Category`.
    public var byCategory = CategoryCounts()
    /// The weights layers offer to share (embeddings), in model order: where a tied head finds its
    /// weight when one layer is recounted.
    var offered: [OfferedWeight] = []
    /// Multiply-accumulates of one forward pass at batch 1, when the model has an input shape.
    public var macs: Int?
    /// The model's input and what its last layer gives, when it has an input shape.
    public var inputShape: Shape?
    public var outputShape: Shape?

    public func total(of category: Category) -> Int { byCategory[category] }

    /// The count of the layer at `path` (inside a group, of its first repetition).
    public func layerCount(at path: LayerPath) -> LayerCount? {
        // A group's counts are one list (its first repetition); a parallel's, one list per branch.
        path.follow(layers) { count, branch in
            let list = branch ?? 0
            return count.children.indices.contains(list) ? count.children[list] : []
        }
    }

    mutating func add(_ s: Sums) throws(CountOverflow) {
        let trainable = try Checked.add(self.trainable, s.trainable)
        let nonTrainable = try Checked.add(self.nonTrainable, s.nonTrainable)
        let total = try Checked.add(trainable, nonTrainable)
        let active = try Checked.add(self.active, s.active)
        try byCategory.add(s.byCategory)
        (self.trainable, self.nonTrainable, self.total, self.active) = (trainable, nonTrainable, total, active)
        routedLayers += s.routed
    }

    mutating func subtract(_ s: Sums) {
        trainable -= s.trainable
        nonTrainable -= s.nonTrainable
        total = trainable + nonTrainable
        active -= s.active
        byCategory.subtract(s.byCategory)
        routedLayers -= s.routed
    }
}

/// A weight matrix a layer holds and lets a later layer use as its own (an embedding's table, for
/// an output head tied to it).
public struct WeightShape: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    public var description: String { "\(rows)×\(columns)" }
}

/// A layer that uses an earlier layer's weight instead of holding one: which shape it needs, and the
/// field that asked for it (for the error when there is none).
struct WeightReuse: Sendable, Equatable {
    let shape: WeightShape
    let field: Field
}

struct OfferedWeight: Sendable, Equatable {
    /// The top-level layer that is, or holds, the layer offering it.
    let layer: Int
    let shape: WeightShape
    /// How an error names the offering layer: `'wte'`, `layer 2`, `layers[1]/layers[0]`.
    let label: String
}

/// A count per `Category`, stored inline: a layer's tally is added to the model's for every layer
/// counted, so it must not allocate.
public struct CategoryCounts: Sendable, Equatable {
    private var attention = 0, ffn = 0, embedding = 0, recurrent = 0, conv = 0, norm = 0, other = 0

    public init() {}

    public subscript(category: Category) -> Int {
        get {
            switch category {
            case .attention: return attention
            case .ffn: return ffn
            case .embedding: return embedding
            case .recurrent: return recurrent
            case .conv: return conv
            case .norm: return norm
            case .other: return other
            }
        }
        set {
            switch category {
            case .attention: attention = newValue
            case .ffn: ffn = newValue
            case .embedding: embedding = newValue
            case .recurrent: recurrent = newValue
            case .conv: conv = newValue
            case .norm: norm = newValue
            case .other: other = newValue
            }
        }
    }

    mutating func add(_ o: CategoryCounts) throws(CountOverflow) {
        attention = try Checked.add(attention, o.attention)
        ffn = try Checked.add(ffn, o.ffn)
        embedding = try Checked.add(embedding, o.embedding)
        recurrent = try Checked.add(recurrent, o.recurrent)
        conv = try Checked.add(conv, o.conv)
        norm = try Checked.add(norm, o.norm)
        other = try Checked.add(other, o.other)
    }

    func multiplied(by n: Int) throws(CountOverflow) -> CategoryCounts {
        var m = CategoryCounts()
        m.attention = try Checked.mul(attention, n)
        m.ffn = try Checked.mul(ffn, n)
        m.embedding = try Checked.mul(embedding, n)
        m.recurrent = try Checked.mul(recurrent, n)
        m.conv = try Checked.mul(conv, n)
        m.norm = try Checked.mul(norm, n)
        m.other = try Checked.mul(other, n)
        return m
    }

    mutating func subtract(_ o: CategoryCounts) {
        attention -= o.attention
        ffn -= o.ffn
        embedding -= o.embedding
        recurrent -= o.recurrent
        conv -= o.conv
        norm -= o.norm
        other -= o.other
    }
}

/// One line of a derivation: a labelled part of a layer's parameters.
public struct DerivationPart: Sendable, Equatable {
    public var label: String
    public var category: Category
    public var trainable: Bool
    public var expr: Expr
    public var value: Int
    /// What of this part a token passes through, when that is not all of it (the routed experts).
    public var active: Expr?
    public var activeValue: Int

    public init(label: String, category: Category, trainable: Bool, expr: Expr, value: Int,
                active: Expr? = nil, activeValue: Int? = nil) {
        self.label = label
        self.category = category
        self.trainable = trainable
        self.expr = expr
        self.value = value
        self.active = active
        self.activeValue = activeValue ?? value
    }

    /// `4 × [(h + i) × h + h] = 4 × [(256 + 128) × 256 + 256] = 394,240`
    public var line: String { DerivationPart.line(expr, value) }

    /// The active share as one line, like `line` (nil when all of the part is active).
    public var activeLine: String? { active.map { DerivationPart.line($0, activeValue) } }

    static func line(_ expr: Expr, _ value: Int) -> String {
        var pieces = [expr.symbolic()]
        let sub = expr.substituted()
        if sub != pieces[0] { pieces.append(sub) }
        let result = Format.grouped(value)
        if pieces.last != result { pieces.append(result) }
        return pieces.joined(separator: " = ")
    }
}

/// How a layer's count is worked out, as a teacher writes it: the variables, each part's formula with
/// the numbers substituted, and the total.
public struct Derivation: Sendable, Equatable {
    public var kind: LayerKind
    public var convention: Convention
    public var parts: [DerivationPart]
    public var notes: [String]
    public var total: Int
    public var trainable: Int
    public var nonTrainable: Int
    /// Parameters a token passes through (see `LayerCount.active`).
    public var active: Int
    /// With the model's input shape: what the layer reads and gives, and its multiply-accumulates,
    /// part by part (a group's or parallel's: one part, everything inside).
    public var shapes: LayerShapes? = nil
    public var macParts: [DerivationPart] = []

    /// Whether some part is only partly active per token, so the derivation ends with `active`.
    public var routed: Bool { parts.contains { $0.active != nil } }

    public var variables: [Variable] {
        var seen: [Variable] = []
        for p in parts {
            for v in p.expr.variables + (p.active?.variables ?? []) where !seen.contains(where: { $0.symbol == v.symbol }) {
                seen.append(v)
            }
        }
        return seen
    }

    /// The compact form: one line per part, then the sum when there is more than one part, then
    /// what a token passes through when that is less.
    public var lines: [String] {
        var out: [String]
        if parts.count == 1 { out = [parts[0].line] } else {
            out = parts.map { "\($0.label): \($0.line)" + ($0.trainable ? "" : " (non-trainable)") }
            out.append(totalLine)
        }
        if routed {
            for p in parts { if let line = p.activeLine { out.append("active \(p.label): " + line) } }
            out.append(activeLine)
        }
        return out + macLines
    }

    /// The multiply-accumulates, one line per part, then their sum (nothing without a shape).
    public var macLines: [String] {
        guard let shapes else { return [] }
        var out = ["shape: \(shapes.input) → \(shapes.output)"]
        if macParts.isEmpty {
            out.append("MACs = " + Format.grouped(shapes.macs))
        } else if macParts.count == 1 {
            out.append("MACs = " + macParts[0].line)
        } else {
            out += macParts.map { "MACs, \($0.label): " + $0.line }
            out.append(macTotalLine(shapes))
        }
        return out
    }

    /// `MACs = 231,211,008 + 436,731,904 = 667,942,912`: the parts' sum.
    private func macTotalLine(_ shapes: LayerShapes) -> String {
        "MACs = " + macParts.map { Format.grouped($0.value) }.joined(separator: " + ") + " = " + Format.grouped(shapes.macs)
    }

    private var totalLine: String {
        "total = " + parts.map { Format.grouped($0.value) }.joined(separator: " + ") + " = " + Format.grouped(total)
    }

    private var activeLine: String {
        "active = " + parts.map { Format.grouped($0.activeValue) }.joined(separator: " + ") + " = " + Format.grouped(active)
    }

    /// Every step for a class: variables, then for each part the formula, the substitution and each
    /// reduction, then the sum, then what the convention changes.
    public var steps: [String] {
        var out: [String] = []
        for v in variables { out.append("\(v.symbol) = \(Format.grouped(v.value))  (\(v.meaning))") }
        func derive(_ prefix: String, _ expr: Expr) {
            out.append(prefix + expr.symbolic())
            var previous = expr.symbolic()
            for line in [expr.substituted()] + ((try? expr.reductionSteps()) ?? []) where line != previous {
                out.append(String(repeating: " ", count: prefix.count) + "= " + line)
                previous = line
            }
        }
        for p in parts { derive(parts.count > 1 ? p.label + ": " : "", p.expr) }
        if parts.count > 1 { out.append(totalLine) }
        if routed {
            for p in parts { if let active = p.active { derive("active \(p.label): ", active) } }
            out.append(activeLine)
        }
        if let shapes {
            out.append("shape: \(shapes.input) → \(shapes.output)")
            for v in macParts.flatMap({ $0.expr.variables }) where !out.contains(where: { $0.hasPrefix(v.symbol + " = ") }) {
                out.append("\(v.symbol) = \(Format.grouped(v.value))  (\(v.meaning))")
            }
            for p in macParts { derive(macParts.count > 1 ? "MACs, \(p.label): " : "MACs = ", p.expr) }
            if macParts.count > 1 {
                out.append(macTotalLine(shapes))
            } else if macParts.isEmpty {
                out.append("MACs = " + Format.grouped(shapes.macs))
            }
        }
        return out + notes
    }
}

public enum Counter {
    static let overflowMessage = "the count does not fit in 64 bits (over 9.2 × 10^18 parameters): use smaller widths"
    static let macsOverflowMessage = "the multiply-accumulates do not fit in 64 bits (over 9.2 × 10^18): use a smaller input"
    /// Groups and parallels inside each other, at most.
    public static let maxNesting = Walker.maxDepth

    /// Counts every layer, inside groups and parallels too. Throws the first invalid layer or
    /// overflow, located by its path and field.
    public static func count(_ model: Model, convention: Convention? = nil) throws(ModelError) -> ModelCount {
        if model.input != nil { return try countShaped(model, convention: convention) }
        var result = ModelCount(convention: convention ?? model.convention)
        result.layers.reserveCapacity(model.layers.count)
        var walker = Walker(convention: result.convention)
        var previous: Int? = nil
        for index in model.layers.indices {
            // Most layers hold no others: counted straight into the totals, as fast as before groups.
            if !model.layers[index].kind.holdsLayers {
                let r: ResolvedLayer
                var tiedTo: Int? = nil
                do {
                    r = try Layer.resolveOwnFields(model.layers[index].kind, model.layers[index].fields,
                                                   trainable: model.layers[index].trainable, previousOutput: previous)
                    switch r.sharing {
                    case .none: break
                    case .offers(let shape):
                        walker.offered.append(OfferedWeight(layer: index, shape: shape, label: label(of: index, in: model)))
                    case .reuses(let reuse): tiedTo = try tie(reuse, offered: walker.offered[...])
                    }
                } catch {
                    throw ModelError(layer: index, of: model, error)
                }
                do { result.layers.append(try add(r, received: previous, tiedTo: tiedTo, into: &result)) } catch {
                    throw ModelError(layer: index, of: model, LayerError(overflowMessage))
                }
                previous = r.passedOn
                continue
            }
            let node: Walker.NodeCount
            walker.top = index
            do { node = try walker.count(model.layers[index], received: previous, frozen: false, depth: 0) } catch {
                throw ModelError(error.inside(.layer(index)), of: model)
            }
            do { try result.add(node.sums) } catch {
                throw ModelError(layer: index, of: model, LayerError(overflowMessage))
            }
            result.layers.append(node.count)
            previous = node.passedOn
        }
        result.offered = walker.offered
        return result
    }

    /// Counts a model with an input shape: every layer through the walker, which carries the shape
    /// beside the width (such models are conv nets and small token models, not a million layers).
    static func countShaped(_ model: Model, convention: Convention?) throws(ModelError) -> ModelCount {
        var result = ModelCount(convention: convention ?? model.convention)
        guard let dims = model.input else { return try count(model, convention: convention) }
        if let problem = Shape.problem(dims) { throw ModelError(field: "input", problem) }
        var shape = Shape.input(dims, first: model.firstLeaf)
        result.inputShape = shape
        result.macs = 0
        result.layers.reserveCapacity(model.layers.count)
        var walker = Walker(convention: result.convention)
        var previous: Int? = shape.width
        for index in model.layers.indices {
            walker.top = index
            let node: Walker.NodeCount
            do { node = try walker.count(model.layers[index], received: previous, shape: shape, frozen: false, depth: 0) } catch {
                throw ModelError(error.inside(.layer(index)), of: model)
            }
            do { try result.add(node.sums) } catch { throw ModelError(layer: index, of: model, LayerError(overflowMessage)) }
            do { result.macs = try Checked.add(result.macs ?? 0, node.sums.macs) } catch {
                throw ModelError(layer: index, of: model, LayerError(macsOverflowMessage))
            }
            result.layers.append(node.count)
            previous = node.passedOn
            if let next = node.shape { shape = next }
        }
        result.outputShape = shape
        result.offered = walker.offered
        return result
    }

    /// How an error names a top-level layer.
    static func label(of index: Int, in model: Model) -> String {
        model.layers[index].name.map { "'\(TerminalSafe.escape($0))'" } ?? "layer \(index + 1)"
    }

    /// Counts after top-level layer `index` was replaced (or anything inside it changed), reusing
    /// `previous` for the layers above it and for the layers below once the width they receive is
    /// as before. An edit in the middle of a long model then costs a few layers, not the whole
    /// model; an edit inside a group costs that group.
    public static func recount(_ model: Model, replacing index: Int, old: Layer, previous: ModelCount) throws(ModelError) -> ModelCount {
        // With shapes, a change reaches every layer below through its shape: count it all.
        guard model.input == nil, previous.layers.count == model.layers.count, previous.convention == model.convention,
              model.layers.indices.contains(index) else {
            return try count(model)
        }
        var result = previous
        var received = previous.layers[index].received
        var j = index
        while j < model.layers.count {
            if j > index && received == previous.layers[j].received { break }
            let layer = model.layers[j]
            let oldLayer = j == index ? old : layer
            // What lies above: the weights a tied head inside may use.
            let above = previous.offered.prefix { $0.layer < j }
            // Take out what the layer counted before, then put in what it counts now.
            do {
                if oldLayer.kind.holdsLayers {
                    var walker = Walker(convention: result.convention, offered: Array(above), top: j)
                    let before = try walker.count(oldLayer, received: previous.layers[j].received, frozen: false, depth: 0, keep: false)
                    // A weight offered to layers further down may be tied to any of them: count them all.
                    if walker.offered.count > above.count { return try count(model) }
                    result.subtract(before.sums)
                } else {
                    let before = try oldLayer.resolveOwnFields(previousOutput: previous.layers[j].received)
                    if before.offers != nil { return try count(model) }
                    try remove(before, counted: previous.layers[j], from: &result)
                }
            } catch {
                return try count(model)
            }
            if layer.kind.holdsLayers {
                var walker = Walker(convention: result.convention, offered: Array(above), top: j)
                let node: Walker.NodeCount
                do { node = try walker.count(layer, received: received, frozen: false, depth: 0) } catch {
                    throw ModelError(error.inside(.layer(j)), of: model)
                }
                if walker.offered.count > above.count { return try count(model) }
                do { try result.add(node.sums) } catch {
                    throw ModelError(layer: j, of: model, LayerError(overflowMessage))
                }
                result.layers[j] = node.count
                received = node.passedOn
                j += 1
                continue
            }
            let r: ResolvedLayer
            do { r = try layer.resolveOwnFields(previousOutput: received) } catch { throw ModelError(layer: j, of: model, error) }
            var tiedTo: Int? = nil
            switch r.sharing {
            case .none: break
            case .offers: return try count(model)
            case .reuses(let reuse):
                do { tiedTo = try tie(reuse, offered: above) } catch { throw ModelError(layer: j, of: model, error) }
            }
            do { result.layers[j] = try add(r, received: received, tiedTo: tiedTo, into: &result) } catch {
                throw ModelError(layer: j, of: model, LayerError(overflowMessage))
            }
            received = r.passedOn
            j += 1
        }
        return result
    }

    /// The top-level layer whose weight a layer uses: the nearest weight above of the same shape
    /// (`offered` holds those above, in model order).
    static func tie(_ reuse: WeightReuse, offered: ArraySlice<OfferedWeight>) throws(LayerError) -> Int {
        if let match = offered.last(where: { $0.shape == reuse.shape }) { return match.layer }
        let seen = offered.suffix(3).map { "\($0.label) (\($0.shape))" }
        let what = offered.isEmpty ? "there is no embedding above it"
            : "the embeddings above it are " + seen.joined(separator: ", ") + (offered.count > 3 ? " and \(offered.count - 3) more" : "")
        throw LayerError(reuse.field, "is true, but no embedding above this layer has vocab \(reuse.shape.rows) and dim "
                         + "\(reuse.shape.columns) (a tied head maps \(reuse.shape.columns) → \(reuse.shape.rows)); " + what)
    }

    /// Counts one resolved layer that holds no others and adds it to the model's totals.
    @inline(__always)
    private static func add(_ r: ResolvedLayer, received: Int?, tiedTo: Int?, into result: inout ModelCount) throws(CountOverflow) -> LayerCount {
        var tally = PartTally(convention: result.convention, layerTrainable: r.trainable)
        try r.parts(into: &tally)
        var lc = LayerCount(trainable: tally.trainable, nonTrainable: tally.nonTrainable, total: 0, input: r.input,
                            inputInherited: r.inputInherited, output: r.output, received: received, tiedTo: tiedTo)
        lc.total = try Checked.add(lc.trainable, lc.nonTrainable)
        lc.active = tally.active
        try result.byCategory.add(tally.byCategory)
        result.trainable = try Checked.add(result.trainable, lc.trainable)
        result.nonTrainable = try Checked.add(result.nonTrainable, lc.nonTrainable)
        result.total = try Checked.add(result.total, lc.total)
        result.active = try Checked.add(result.active, lc.active)
        if tally.routed { result.routedLayers += 1 }
        return lc
    }

    /// Takes a layer's earlier count back out of the totals (it was added, so nothing can overflow).
    private static func remove(_ r: ResolvedLayer, counted lc: LayerCount, from result: inout ModelCount) throws(CountOverflow) {
        var tally = PartTally(convention: result.convention, layerTrainable: r.trainable)
        try r.parts(into: &tally)
        result.byCategory.subtract(tally.byCategory)
        result.trainable -= lc.trainable
        result.nonTrainable -= lc.nonTrainable
        result.total -= lc.total
        result.active -= lc.active
        if tally.routed { result.routedLayers -= 1 }
    }

    /// The derivation of one layer, given the width it receives from the layer above. `tiedTo` names
    /// the layer whose weight a tied head uses, for its note. For a group or parallel, the parts are
    /// what is inside (see `Walker.derivation`).
    public static func derivation(of layer: Layer, previousOutput: Int?, shape: Shape? = nil, convention: Convention,
                                  tiedTo: String? = nil) throws(LayerError) -> Derivation {
        if layer.kind.holdsLayers {
            return try Walker.derivation(of: layer, previousOutput: previousOutput, shape: shape, convention: convention, frozen: false)
        }
        return try leafDerivation(of: layer, previousOutput: previousOutput, shape: shape, convention: convention, tiedTo: tiedTo,
                                  frozen: false)
    }

    static func leafDerivation(of layer: Layer, previousOutput: Int?, shape: Shape?, convention: Convention, tiedTo: String?,
                               frozen: Bool) throws(LayerError) -> Derivation {
        let r = try layer.resolve(previousOutput: previousOutput, shape: shape)
        var collected = Collected(convention: convention, layerTrainable: layer.trainable && !frozen)
        do {
            try r.parts(into: &collected)
        } catch {
            throw LayerError(overflowMessage)
        }
        var notes = r.notes(convention)
        if r.reuses != nil, let tiedTo {
            notes.append("The embedding it shares: \(tiedTo), where the table is counted (transformers ties them when tie_word_embeddings is true).")
        }
        var d = Derivation(kind: layer.kind, convention: convention, parts: collected.parts, notes: notes,
                           total: collected.total, trainable: collected.trainable, nonTrainable: collected.nonTrainable,
                           active: collected.active)
        if let shape {
            d.shapes = try r.shapes(reading: shape, convention: convention)
            var macs = Collected(convention: convention, layerTrainable: true)
            do { try r.macs(shape, d.shapes!.output, into: &macs) } catch { throw LayerError(macsOverflowMessage) }
            d.macParts = macs.parts
        }
        return d
    }

    /// The derivation of top-level layer `index` of a model (resolving the widths above it, and
    /// finding the embedding a tied head uses).
    public static func derivation(_ model: Model, layer index: Int, convention: Convention? = nil) throws(ModelError) -> Derivation {
        try derivation(model, at: .top(index), convention: convention)
    }

    /// The derivation of the layer at `path`, with the width it receives in the model (inside a
    /// group, in the group's first repetition), frozen when a group or parallel around it is.
    public static func derivation(_ model: Model, at path: LayerPath, convention: Convention? = nil) throws(ModelError) -> Derivation {
        let convention = convention ?? model.convention
        guard let layer = model.layer(at: path) else {
            throw ModelError(path: path, "there is no layer at \(path)")
        }
        let lc: LayerCount?
        if path.steps.count == 1 && model.input == nil {
            // Only the widths above it are needed, and the embeddings above for a tied head.
            let index = path.steps[0].index
            var walker = Walker(convention: convention, counting: false)
            var previous: Int? = nil
            for i in 0..<index {
                walker.top = i
                if model.layers[i].kind.holdsLayers {
                    do { previous = try walker.count(model.layers[i], received: previous, frozen: false, depth: 0, keep: false).passedOn } catch {
                        throw ModelError(error.inside(.layer(i)), of: model)
                    }
                    continue
                }
                let r: ResolvedLayer
                do { r = try model.layers[i].resolveOwnFields(previousOutput: previous) } catch { throw ModelError(layer: i, of: model, error) }
                if let shape = r.offers { walker.offered.append(OfferedWeight(layer: i, shape: shape, label: label(of: i, in: model))) }
                previous = r.passedOn
            }
            var count = LayerCount(received: previous)
            if !layer.kind.holdsLayers, let reuse = (try? layer.resolveOwnFields(previousOutput: previous))?.reuses {
                do { count.tiedTo = try tie(reuse, offered: walker.offered[...]) } catch { throw ModelError(path: path, of: model, error) }
            }
            lc = count
        } else {
            lc = try Counter.count(model, convention: convention).layerCount(at: path)
        }
        var frozen = false
        var prefix = LayerPath([])
        for step in path.steps.dropLast() {
            prefix = prefix.appending(step)
            if model.layer(at: prefix)?.trainable == false { frozen = true }
        }
        do {
            if layer.kind.holdsLayers {
                return try Walker.derivation(of: layer, previousOutput: lc?.received, shape: lc?.shapes?.input, convention: convention,
                                             frozen: frozen)
            }
            let tiedTo = lc?.tiedTo.map { model.layers[$0].label }
            return try leafDerivation(of: layer, previousOutput: lc?.received, shape: lc?.shapes?.input, convention: convention,
                                      tiedTo: tiedTo, frozen: frozen)
        } catch { throw ModelError(path: path, of: model, error) }
    }
}

extension ModelError {
    /// An error found while walking a model, at the path it carries.
    init(_ located: LocatedError, of model: Model) {
        self.init(path: LayerPath(located.steps), of: model, located.error)
    }
}

/// Adds up a layer's parts as numbers.
struct PartTally: PartSink {
    let convention: Convention
    let layerTrainable: Bool
    var trainable = 0
    var nonTrainable = 0
    var active = 0
    var routed = false
    var byCategory = CategoryCounts()

    mutating func take(_ part: Part<Numbers>) throws(CountOverflow) {
        let n = part.term.value
        if part.trainable && layerTrainable { trainable = try Checked.add(trainable, n) }
        else { nonTrainable = try Checked.add(nonTrainable, n) }
        byCategory[part.category] = try Checked.add(byCategory[part.category], n)
        if part.active != nil { routed = true }
        active = try Checked.add(active, part.active?.value ?? n)
    }
}

/// Keeps a layer's parts as expressions, for its derivation.
struct Collected: PartSink {
    let convention: Convention
    let layerTrainable: Bool
    var parts: [DerivationPart] = []
    var trainable = 0
    var nonTrainable = 0
    var total = 0
    var active = 0

    mutating func take(_ part: Part<Expressions>) throws(CountOverflow) {
        let value = try part.term.value.evaluate()
        let activeValue = try part.active?.value.evaluate() ?? value
        let trainable = part.trainable && layerTrainable
        parts.append(DerivationPart(label: part.label, category: part.category, trainable: trainable,
                                    expr: part.term.value, value: value, active: part.active?.value, activeValue: activeValue))
        active = try Checked.add(active, activeValue)
        if trainable { self.trainable = try Checked.add(self.trainable, value) }
        else { nonTrainable = try Checked.add(nonTrainable, value) }
        total = try Checked.add(total, value)
    }
}
