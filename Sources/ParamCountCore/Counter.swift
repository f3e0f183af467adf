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
    /// Totals per `Category`, indexed by its raw value.
    public var byCategory = Array(repeating: 0, count: Category.allCases.count)

    public func total(of category: Category) -> Int { byCategory[category.rawValue] }
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
    /// Counts every layer. Throws the first invalid layer or overflow, located by layer and field.
    public static func count(_ model: Model, convention: Convention? = nil) throws(ModelError) -> ModelCount {
        let convention = convention ?? model.convention
        var result = ModelCount(convention: convention)
        result.layers.reserveCapacity(model.layers.count)
        var previous: Int? = nil
        for (index, layer) in model.layers.enumerated() {
            let r: ResolvedLayer
            do { r = try layer.resolve(previousOutput: previous) } catch {
                throw ModelError(layer: index, of: model, error)
            }
            var lc = LayerCount(input: r.input, inputInherited: r.inputInherited, output: r.output, received: previous)
            do {
                try Formulas.parts(r, convention, Numbers.self) { (_, category, trainable, term) throws(CountOverflow) in
                    if trainable && r.trainable { lc.trainable = try Checked.add(lc.trainable, term.value) }
                    else { lc.nonTrainable = try Checked.add(lc.nonTrainable, term.value) }
                    result.byCategory[category.rawValue] = try Checked.add(result.byCategory[category.rawValue], term.value)
                }
                lc.total = try Checked.add(lc.trainable, lc.nonTrainable)
                result.trainable = try Checked.add(result.trainable, lc.trainable)
                result.nonTrainable = try Checked.add(result.nonTrainable, lc.nonTrainable)
                result.total = try Checked.add(result.total, lc.total)
            } catch {
                throw ModelError(layer: index, of: model, LayerError(
                    "the count does not fit in 64 bits (over 9.2 × 10^18 parameters): use smaller widths"))
            }
            result.layers.append(lc)
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
                try contribution(oldLayer, received: previous.layers[j].received, into: &result, sign: -1)
            } catch {
                return try count(model)
            }
            let r: ResolvedLayer
            do { r = try layer.resolve(previousOutput: received) } catch { throw ModelError(layer: j, of: model, error) }
            do { result.layers[j] = try contribution(layer, resolved: r, received: received, into: &result, sign: 1) } catch {
                throw ModelError(layer: j, of: model, LayerError(
                    "the count does not fit in 64 bits (over 9.2 × 10^18 parameters): use smaller widths"))
            }
            received = r.passedOn
            j += 1
        }
        return result
    }

    /// Adds (sign 1) or removes (sign −1) one layer's parameters from the totals.
    private static func contribution(_ layer: Layer, received: Int?, into result: inout ModelCount, sign: Int) throws -> Void {
        let r = try layer.resolve(previousOutput: received)
        _ = try contribution(layer, resolved: r, received: received, into: &result, sign: sign)
    }

    @discardableResult
    private static func contribution(_ layer: Layer, resolved r: ResolvedLayer, received: Int?, into result: inout ModelCount,
                                     sign: Int) throws(CountOverflow) -> LayerCount {
        var lc = LayerCount(input: r.input, inputInherited: r.inputInherited, output: r.output, received: received)
        try Formulas.parts(r, result.convention, Numbers.self) { (_, category, trainable, term) throws(CountOverflow) in
            if trainable && r.trainable { lc.trainable = try Checked.add(lc.trainable, term.value) }
            else { lc.nonTrainable = try Checked.add(lc.nonTrainable, term.value) }
            let c = category.rawValue
            result.byCategory[c] = sign > 0 ? try Checked.add(result.byCategory[c], term.value) : result.byCategory[c] - term.value
        }
        lc.total = try Checked.add(lc.trainable, lc.nonTrainable)
        if sign > 0 {
            result.trainable = try Checked.add(result.trainable, lc.trainable)
            result.nonTrainable = try Checked.add(result.nonTrainable, lc.nonTrainable)
            result.total = try Checked.add(result.total, lc.total)
        } else {
            result.trainable -= lc.trainable
            result.nonTrainable -= lc.nonTrainable
            result.total -= lc.total
        }
        return lc
    }

    /// The derivation of one layer, given the width it receives from the layer above.
    public static func derivation(of layer: Layer, previousOutput: Int?, convention: Convention) throws(LayerError) -> Derivation {
        let r = try layer.resolve(previousOutput: previousOutput)
        var parts: [DerivationPart] = []
        var d = Derivation(kind: layer.kind, convention: convention, parts: [], notes: Formulas.notes(r, convention),
                           total: 0, trainable: 0, nonTrainable: 0)
        do {
            try Formulas.parts(r, convention, Expressions.self) { (label, category, trainable, term) throws(CountOverflow) in
                let value = try term.value.evaluate()
                parts.append(DerivationPart(label: label, category: category, trainable: trainable && layer.trainable,
                                            expr: term.value, value: value))
                if trainable && layer.trainable { d.trainable = try Checked.add(d.trainable, value) }
                else { d.nonTrainable = try Checked.add(d.nonTrainable, value) }
            }
            d.total = try Checked.add(d.trainable, d.nonTrainable)
        } catch {
            throw LayerError("the count does not fit in 64 bits (over 9.2 × 10^18 parameters): use smaller widths")
        }
        d.parts = parts
        return d
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
