/// A layer with every field known: defaults applied, `auto` replaced by the previous layer's output.
/// The widths every kind has are here; what only one kind has is in its `Settings` (Kinds/).
/// Convention-dependent defaults (the transformer FFN width) stay open until counting.
public struct ResolvedLayer: Sendable, Equatable {
    public let kind: LayerKind
    public var trainable = true
    /// The input width: in, dim or features, whichever the kind has (0 for kinds without one).
    public var input = 0
    /// Whether `input` came from the layer above rather than from the layer itself.
    public var inputInherited = false
    public var output = 0
    /// True when the layer has no width of its own to pass on (a custom layer at the top of a model).
    var passesNothing = false

    var settings: KindSettings

    init(kind: LayerKind, settings: KindSettings) {
        self.kind = kind
        self.settings = settings
    }

    /// What the next layer inherits; nil when the next layer must give its own width.
    public var passedOn: Int? { passesNothing ? nil : output }
}

extension LayerKind {
    /// Groups and parallels: layers that hold layers.
    public var holdsLayers: Bool { self == .group || self == .parallel }
}

extension Layer {
    /// Applies defaults and inheritance and checks every rule that does not depend on the convention.
    /// `previousOutput` is nil for the first layer (or when nothing above has a known width). A group
    /// or parallel is walked through for its output width, and an error inside it names the layer
    /// inside (`layers[1] ("attn"), field 'heads': …`).
    public func resolve(previousOutput: Int?, shape: Shape? = nil) throws(LayerError) -> ResolvedLayer {
        var r = try resolveOwnFields(previousOutput: previousOutput, shape: shape)
        guard kind.holdsLayers else { return r }
        var walker = Walker(convention: .textbook, counting: false)
        do {
            let node = try walker.count(self, received: previousOutput, shape: shape, frozen: false, depth: 0)
            r.setOutput(node.passedOn, received: previousOutput)
        } catch {
            throw error.layerError(in: self)
        }
        return r
    }

    /// Like `resolve(previousOutput:)`, with the widths of a group or parallel taken from its count
    /// instead of walking through it again.
    public func resolve(counted: LayerCount) throws(LayerError) -> ResolvedLayer {
        guard kind.holdsLayers else { return try resolve(previousOutput: counted.received, shape: counted.shapes?.input) }
        var r = try resolveOwnFields(previousOutput: counted.received, shape: counted.shapes?.input)
        r.setOutput(counted.output > 0 ? counted.output : nil, received: counted.received)
        return r
    }

    /// The kind's own fields only: a group's or parallel's widths are left to the walker (Nesting.swift).
    func resolveOwnFields(previousOutput: Int?, shape: Shape? = nil) throws(LayerError) -> ResolvedLayer {
        try Layer.resolveOwnFields(kind, fields, trainable: trainable, previousOutput: previousOutput, shape: shape)
    }

    /// The same from the parts it reads, so that counting a layer in a list copies its fields only,
    /// not the whole layer (its name and what it holds).
    @inline(__always)
    static func resolveOwnFields(_ kind: LayerKind, _ fields: FieldValues, trainable: Bool,
                                 previousOutput: Int?, shape: Shape? = nil) throws(LayerError) -> ResolvedLayer {
        let reader = FieldReader(kind: kind, fields: fields, received: previousOutput, shape: shape)
        try reader.checkKnownFields()
        // Placeholder settings; the kind's own replace them below.
        var r = ResolvedLayer(kind: kind, settings: .custom(Custom.Settings(params: 0, category: .other)))
        r.trainable = trainable
        if let input = KindSpec.inputFields[kind.ordinal] {
            switch fields[input] {
            case nil, .auto?:
                guard let previousOutput else {
                    let how = fields[input] == nil ? "is missing" : "cannot be auto"
                    throw LayerError(input, "\(how) on the first layer: give the input width as a positive integer")
                }
                r.input = previousOutput
                r.inputInherited = true
            default:
                r.input = try reader.positive(input)
            }
        }
        try kind.visit(Resolver.self, reader, &r)
        return r
    }
}

/// Runs a kind's own resolution and stores its settings.
private enum Resolver: KindVisitor {
    static func visit<D: KindDefinition>(_ d: D.Type, _ reader: FieldReader, _ r: inout ResolvedLayer) throws(LayerError) {
        r.settings = D.wrap(try D.resolve(reader, into: &r))
    }
}

/// Typed reads of a layer's fields with the error messages users see.
struct FieldReader {
    let kind: LayerKind
    let fields: FieldValues
    /// What the layer above passed on (nil for the first layer, or when nothing above has a width).
    let received: Int?
    /// The shape the layer reads, when the model has an input shape.
    var shape: Shape? = nil

    func checkKnownFields() throws(LayerError) {
        let mask = KindSpec.allowedMasks[kind.ordinal]
        for e in fields.entries where e.field.bit & mask == 0 {
            let allowed = kind.spec.fields.map(\.name).joined(separator: ", ")
            throw LayerError(e.field, "is not a field of \(kind.rawValue) (allowed: \(allowed))")
        }
    }

    subscript(field: Field) -> FieldValue? { fields[field] }

    func positive(_ f: Field) throws(LayerError) -> Int {
        guard let v = try optionalPositive(f) else {
            throw LayerError(f, "is missing: \(kind.rawValue) needs \(f.rawValue) as a positive integer")
        }
        return v
    }

    @inline(__always)
    func positive(_ f: Field, default d: Int) throws(LayerError) -> Int {
        try optionalPositive(f) ?? d
    }

    func optionalPositive(_ f: Field) throws(LayerError) -> Int? {
        switch fields[f] {
        case nil: return nil
        case .int(let n)?:
            guard n > 0 else { throw LayerError(f, "must be a positive integer, got \(n)") }
            return n
        case .auto?: throw LayerError(f, "cannot be auto: only a layer's input width can be")
        case let v?: throw LayerError(f, "must be a positive integer, got \(v)")
        }
    }

    /// Sizes per spatial dimension: one integer for all `count` of them, or a list of exactly
    /// `count`, each at least `least`.
    func sizes(_ f: Field, count: Int, default d: Int, least: Int) throws(LayerError) -> Sizes {
        let what = least == 0 ? "a non-negative integer" : "a positive integer"
        switch fields[f] {
        case nil: return Sizes(repeating: d, count: count)
        case .int(let n)?:
            guard n >= least else { throw LayerError(f, "must be \(what) or a list, got \(n)") }
            guard n <= Sizes.maxSize else { throw LayerError(f, "must be at most \(Format.grouped(Sizes.maxSize)), got \(Format.grouped(n))") }
            return Sizes(repeating: n, count: count)
        case .ints(let ns)?:
            guard ns.given == count else {
                throw LayerError(f, "has \(ns.given) sizes but the layer has \(count) spatial dimension\(count == 1 ? "" : "s")")
            }
            if let bad = ns.first(where: { $0 < least }) { throw LayerError(f, "sizes must be at least \(least), got \(bad)") }
            return ns
        case let v?: throw LayerError(f, "must be \(what) or a list like [2, 2], got \(v)")
        }
    }

    @inline(__always)
    func flag(_ f: Field, _ d: Bool) throws(LayerError) -> Bool {
        switch fields[f] {
        case nil: return d
        case .bool(let b)?: return b
        case let v?: throw LayerError(f, "must be true or false, got \(v)")
        }
    }
}
