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
    /// Parameters a token passes through: the total, except that a mixture of experts counts only
    /// the experts a token is routed to.
    public var active = 0
    /// The layer whose weight this one uses instead of its own (a head tied to an embedding).
    public var tiedTo: Int?

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

    public func total(of category: Category) -> Int { byCategory[category] }
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
    let layer: Int
    let shape: WeightShape
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
        guard routed else { return out }
        for p in parts { if let line = p.activeLine { out.append("active \(p.label): " + line) } }
        out.append(activeLine)
        return out
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
            var tiedTo: Int? = nil
            switch r.sharing {
            case .none: break
            case .offers(let shape): result.offered.append(OfferedWeight(layer: index, shape: shape))
            case .reuses(let reuse):
                do { tiedTo = try tie(reuse, at: index, offered: result.offered, model) } catch { throw ModelError(layer: index, of: model, error) }
            }
            do { result.layers.append(try add(r, received: previous, tiedTo: tiedTo, into: &result)) } catch {
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
                // A weight offered to layers further down may be tied to any of them: count them all.
                if before.offers != nil { return try count(model) }
                try remove(before, counted: previous.layers[j], from: &result)
            } catch {
                return try count(model)
            }
            let r: ResolvedLayer
            do { r = try layer.resolve(previousOutput: received) } catch { throw ModelError(layer: j, of: model, error) }
            var tiedTo: Int? = nil
            switch r.sharing {
            case .none: break
            case .offers: return try count(model)
            case .reuses(let reuse):
                do { tiedTo = try tie(reuse, at: j, offered: previous.offered, model) } catch { throw ModelError(layer: j, of: model, error) }
            }
            do { result.layers[j] = try add(r, received: received, tiedTo: tiedTo, into: &result) } catch {
                throw ModelError(layer: j, of: model, LayerError(overflowMessage))
            }
            received = r.passedOn
            j += 1
        }
        return result
    }

    /// The layer whose weight a layer uses: the nearest layer above that offers a weight of the same shape.
    static func tie(_ reuse: WeightReuse, at index: Int, offered: [OfferedWeight], _ model: Model) throws(LayerError) -> Int {
        if let match = offered.last(where: { $0.layer < index && $0.shape == reuse.shape }) { return match.layer }
        let above = offered.filter { $0.layer < index }
        let seen = above.suffix(3).map { o in
            (model.layers[o.layer].name.map { "'\(TerminalSafe.escape($0))'" } ?? "layer \(o.layer + 1)") + " (\(o.shape))"
        }
        let what = above.isEmpty ? "there is no embedding above it"
            : "the embeddings above it are " + seen.joined(separator: ", ") + (above.count > 3 ? " and \(above.count - 3) more" : "")
        throw LayerError(reuse.field, "is true, but no embedding above this layer has vocab \(reuse.shape.rows) and dim "
                         + "\(reuse.shape.columns) (a tied head maps \(reuse.shape.columns) → \(reuse.shape.rows)); " + what)
    }

    /// Counts one resolved layer and adds it to the model's totals.
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
    /// the layer whose weight a tied head uses, for its note.
    public static func derivation(of layer: Layer, previousOutput: Int?, convention: Convention,
                                  tiedTo: String? = nil) throws(LayerError) -> Derivation {
        let r = try layer.resolve(previousOutput: previousOutput)
        var collected = Collected(convention: convention, layerTrainable: layer.trainable)
        do {
            try r.parts(into: &collected)
        } catch {
            throw LayerError(overflowMessage)
        }
        var notes = r.notes(convention)
        if r.reuses != nil, let tiedTo {
            notes.append("The embedding it shares: \(tiedTo), where the table is counted (transformers ties them when tie_word_embeddings is true).")
        }
        return Derivation(kind: layer.kind, convention: convention, parts: collected.parts, notes: notes,
                          total: collected.total, trainable: collected.trainable, nonTrainable: collected.nonTrainable,
                          active: collected.active)
    }

    /// The derivation of layer `index` of a model (resolving the widths above it, and finding the
    /// embedding a tied head uses).
    public static func derivation(_ model: Model, layer index: Int, convention: Convention? = nil) throws(ModelError) -> Derivation {
        var previous: Int? = nil
        var offered: [OfferedWeight] = []
        for i in 0..<index {
            do {
                let r = try model.layers[i].resolve(previousOutput: previous)
                if let shape = r.offers { offered.append(OfferedWeight(layer: i, shape: shape)) }
                previous = r.passedOn
            } catch {
                throw ModelError(layer: i, of: model, error)
            }
        }
        do {
            let r = try model.layers[index].resolve(previousOutput: previous)
            let tiedTo = try r.reuses.map { reuse throws(LayerError) in model.layers[try tie(reuse, at: index, offered: offered, model)].label }
            return try derivation(of: model.layers[index], previousOutput: previous,
                                  convention: convention ?? model.convention, tiedTo: tiedTo)
        } catch { throw ModelError(layer: index, of: model, error) }
    }
}

/// Adds up a layer's parts as numbers.
private struct PartTally: PartSink {
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
private struct Collected: PartSink {
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
