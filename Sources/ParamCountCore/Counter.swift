public struct LayerCount: Sendable, Equatable {
    public var trainable = 0
    public var nonTrainable = 0
    public var total = 0
    /// The layer's input width after inheritance (0 for kinds without one).
    public var input = 0
    public var inputInherited = false
    public var output = 0
    /// The width the layer above passed on (nil for the first layer), to resolve this layer again.
    public var received: Int?

    public init(trainable: Int = 0, nonTrainable: Int = 0, total: Int = 0, input: Int = 0,
                inputInherited: Bool = false, output: Int = 0, received: Int? = nil) {
        self.trainable = trainable
        self.nonTrainable = nonTrainable
        self.total = total
        self.input = input
        self.inputInherited = inputInherited
        self.output = output
        self.received = received
    }
}

public struct ModelCount: Sendable, Equatable {
    public var convention: Convention
    public var layers: [LayerCount] = []
    public var total = 0
    public var trainable = 0
    public var nonTrainable = 0
    /// Totals per `Category`.
    public var byCategory = CategoryCounts()

    public func total(of category: Category) -> Int { byCategory[category] }
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

    /// `4 × [(h + i) × h + h] = 4 × [(256 + 128) × 256 + 256] = 394,240`
    public var line: String {
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

    public var variables: [Variable] {
        var seen: [Variable] = []
        for p in parts { for v in p.expr.variables where !seen.contains(where: { $0.symbol == v.symbol }) { seen.append(v) } }
        return seen
    }

    /// The compact form: one line per part, then the sum when there is more than one part.
    public var lines: [String] {
        if parts.count == 1 { return [parts[0].line] }
        var out = parts.map { "\($0.label): \($0.line)" + ($0.trainable ? "" : " (non-trainable)") }
        out.append("total = " + parts.map { Format.grouped($0.value) }.joined(separator: " + ") + " = " + Format.grouped(total))
        return out
    }

    /// Every step for a class: variables, then for each part the formula, the substitution and each
    /// reduction, then the sum, then what the convention changes.
    public var steps: [String] {
        var out: [String] = []
        for v in variables { out.append("\(v.symbol) = \(Format.grouped(v.value))  (\(v.meaning))") }
        for p in parts {
            let prefix = parts.count > 1 ? p.label + ": " : ""
            out.append(prefix + p.expr.symbolic())
            var previous = p.expr.symbolic()
            for line in [p.expr.substituted()] + ((try? p.expr.reductionSteps()) ?? []) where line != previous {
                out.append(String(repeating: " ", count: prefix.count) + "= " + line)
                previous = line
            }
        }
        if parts.count > 1 {
            out.append("total = " + parts.map { Format.grouped($0.value) }.joined(separator: " + ") + " = " + Format.grouped(total))
        }
        return out + notes
    }
}

public enum Counter {
    static let overflowMessage = "the count does not fit in 64 bits (over 9.2 × 10^18 parameters): use smaller widths"

    /// Counts every layer. Throws the first invalid layer or overflow, located by layer and field.
    public static func count(_ model: Model, convention: Convention? = nil) throws(ModelError) -> ModelCount {
        var result = ModelCount(convention: convention ?? model.convention)
        result.layers.reserveCapacity(model.layers.count)
        var previous: Int? = nil
        for (index, layer) in model.layers.enumerated() {
            let r: ResolvedLayer
            do { r = try layer.resolve(previousOutput: previous) } catch {
                throw ModelError(layer: index, of: model, error)
            }
            do { result.layers.append(try add(r, received: previous, into: &result)) } catch {
                throw ModelError(layer: index, of: model, LayerError(overflowMessage))
            }
            previous = r.passedOn
        }
        return result
    }

    /// Counts after one layer was replaced, reusing `previous` for the layers above it and for the
    /// layers below once the width they receive is as before. An edit in the middle of a long model
    /// then costs a few layers, not the whole model.
    public static func recount(_ model: Model, replacing index: Int, old: Layer, previous: ModelCount) throws(ModelError) -> ModelCount {
        guard previous.layers.count == model.layers.count, previous.convention == model.convention,
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
            // Take out what the layer counted before, then put in what it counts now.
            do {
                let before = try oldLayer.resolve(previousOutput: previous.layers[j].received)
                try remove(before, counted: previous.layers[j], from: &result)
            } catch {
                return try count(model)
            }
            let r: ResolvedLayer
            do { r = try layer.resolve(previousOutput: received) } catch { throw ModelError(layer: j, of: model, error) }
            do { result.layers[j] = try add(r, received: received, into: &result) } catch {
                throw ModelError(layer: j, of: model, LayerError(overflowMessage))
            }
            received = r.passedOn
            j += 1
        }
        return result
    }

    /// Counts one resolved layer and adds it to the model's totals.
    private static func add(_ r: ResolvedLayer, received: Int?, into result: inout ModelCount) throws(CountOverflow) -> LayerCount {
        var tally = PartTally(layerTrainable: r.trainable)
        try r.parts(result.convention, into: &tally)
        var lc = LayerCount(trainable: tally.trainable, nonTrainable: tally.nonTrainable, total: 0, input: r.input,
                            inputInherited: r.inputInherited, output: r.output, received: received)
        lc.total = try Checked.add(lc.trainable, lc.nonTrainable)
        try result.byCategory.add(tally.byCategory)
        result.trainable = try Checked.add(result.trainable, lc.trainable)
        result.nonTrainable = try Checked.add(result.nonTrainable, lc.nonTrainable)
        result.total = try Checked.add(result.total, lc.total)
        return lc
    }

    /// Takes a layer's earlier count back out of the totals (it was added, so nothing can overflow).
    private static func remove(_ r: ResolvedLayer, counted lc: LayerCount, from result: inout ModelCount) throws(CountOverflow) {
        var tally = PartTally(layerTrainable: r.trainable)
        try r.parts(result.convention, into: &tally)
        result.byCategory.subtract(tally.byCategory)
        result.trainable -= lc.trainable
        result.nonTrainable -= lc.nonTrainable
        result.total -= lc.total
    }

    /// The derivation of one layer, given the width it receives from the layer above.
    public static func derivation(of layer: Layer, previousOutput: Int?, convention: Convention) throws(LayerError) -> Derivation {
        let r = try layer.resolve(previousOutput: previousOutput)
        var collected = Collected(layerTrainable: layer.trainable)
        do {
            try r.parts(convention, into: &collected)
        } catch {
            throw LayerError(overflowMessage)
        }
        return Derivation(kind: layer.kind, convention: convention, parts: collected.parts, notes: r.notes(convention),
                          total: collected.total, trainable: collected.trainable, nonTrainable: collected.nonTrainable)
    }

    /// The derivation of layer `index` of a model (resolving the widths above it).
    public static func derivation(_ model: Model, layer index: Int, convention: Convention? = nil) throws(ModelError) -> Derivation {
        var previous: Int? = nil
        for i in 0..<index {
            do { previous = try model.layers[i].resolve(previousOutput: previous).passedOn } catch {
                throw ModelError(layer: i, of: model, error)
            }
        }
        do {
            return try derivation(of: model.layers[index], previousOutput: previous,
                                  convention: convention ?? model.convention)
        } catch { throw ModelError(layer: index, of: model, error) }
    }
}

/// Adds up a layer's parts as numbers.
private struct PartTally: PartSink {
    let layerTrainable: Bool
    var trainable = 0
    var nonTrainable = 0
    var byCategory = CategoryCounts()

    mutating func take(_ part: Part<Numbers>) throws(CountOverflow) {
        let n = part.term.value
        if part.trainable && layerTrainable { trainable = try Checked.add(trainable, n) }
        else { nonTrainable = try Checked.add(nonTrainable, n) }
        byCategory[part.category] = try Checked.add(byCategory[part.category], n)
    }
}

/// Keeps a layer's parts as expressions, for its derivation.
private struct Collected: PartSink {
    let layerTrainable: Bool
    var parts: [DerivationPart] = []
    var trainable = 0
    var nonTrainable = 0
    var total = 0

    mutating func take(_ part: Part<Expressions>) throws(CountOverflow) {
        let value = try part.term.value.evaluate()
        let trainable = part.trainable && layerTrainable
        parts.append(DerivationPart(label: part.label, category: part.category, trainable: trainable,
                                    expr: part.term.value, value: value))
        if trainable { self.trainable = try Checked.add(self.trainable, value) }
        else { nonTrainable = try Checked.add(nonTrainable, value) }
        total = try Checked.add(total, value)
    }
}
