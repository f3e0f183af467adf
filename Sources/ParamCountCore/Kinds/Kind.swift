/// Where a part of a layer's parameters belongs, for "where does the difference come from" views.
public enum Category: Int, CaseIterable, Sendable, Equatable {
    case attention, ffn, embedding, recurrent, conv, norm, other

    public var title: String {
        switch self {
        case .attention: return "attention"
        case .ffn: return "FFN/dense"
        case .embedding: return "embedding"
        case .recurrent: return "recurrent"
        case .conv: return "conv"
        case .norm: return "norm"
        case .other: return "other"
        }
    }

    /// How model files write it (a custom layer's `category`).
    public var word: String {
        switch self {
        case .ffn: return "ffn"
        default: return title
        }
    }

    /// `word` as a field value.
    public var option: Word { Category.options[rawValue] }

    private static let options: [Word] = allCases.map { Word($0.word)! }

    public init?(word: String) {
        guard let c = Category.allCases.first(where: { $0.word == word }) else { return nil }
        self = c
    }

    public init?(word: Word) {
        guard let i = Category.options.firstIndex(of: word) else { return nil }
        self = Category.allCases[i]
    }
}

/// One labelled part of a layer's parameters, as a formula over an `Algebra`: read as a number it
/// is counted, read as an expression it is a line of the derivation.
struct Part<A: Algebra> {
    var label: String
    var category: Category
    /// Whether it trains when the layer does (Keras' moving statistics never do).
    var trainable: Bool
    var term: Term<A>
    /// What of it a token passes through, when that is not all of it: the experts a mixture routes
    /// each token to.
    var active: Term<A>?

    init(_ label: String, _ category: Category, _ term: Term<A>, trainable: Bool = true, active: Term<A>? = nil) {
        self.label = label
        self.category = category
        self.trainable = trainable
        self.term = term
        self.active = active
    }
}

/// Receives a kind's parts one at a time, counted under `convention`: a tally when counting, a list
/// when deriving.
protocol PartSink {
    associatedtype A: Algebra
    var convention: Convention { get }
    mutating func take(_ part: Part<A>) throws(CountOverflow)
}

/// Everything paramcount knows about one layer kind. Each kind implements this in its own file under
/// Kinds/ (kinds that share a formula share a file); the registry (Registry.swift) lists them.
/// Everything is static, so counting calls straight into code specialised for the kind.
protocol KindDefinition {
    /// What the kind resolves its own fields to; the input and output widths live in `ResolvedLayer`.
    associatedtype Settings: Sendable, Equatable

    static var kind: LayerKind { get }
    /// For the layer list, e.g. "attn".
    static var shortName: String { get }
    /// One line for the "add a layer" picker, e.g. "multi-head attention".
    static var summary: String { get }
    /// The fields in the order the form shows them. An inheriting width is the layer's input.
    static var fields: [FieldSpec] { get }

    /// Applies defaults and checks the kind's rules. `r` arrives with its input width resolved and
    /// leaves with its output width set.
    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings
    /// The formula, written once: the count and the derivation are both read from it.
    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow)
    /// What a teacher says beside the formula, following the layer's settings and the convention.
    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String]
    /// A short summary such as `128→256 ×2 bi`, for lists and tables.
    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String
    /// A field's value after defaults and inheritance, as the form shows it (nil: not a field of the kind).
    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String?
    /// A new layer of this kind added below a layer whose output is `width` (0 when unknown): the
    /// fields it must have, with values that fit.
    static func newLayer(below width: Int) -> Layer
    /// What the memory planner reads: the layer's weight matrices, attention layers and blocks, each
    /// `times` over. `isLast`: the model's last layer (PEFT's `all-linear` leaves a dense head out).
    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow)

    /// A weight the layer lets later layers use, or an earlier layer's it uses instead of its own.
    static func sharing(_ s: Settings, _ r: ResolvedLayer) -> WeightSharing

    /// What the layer gives for one sample of `input` (PyTorch's output size without the batch), or
    /// why it cannot read `input`.
    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape
    /// The multiply-accumulates of one forward pass at batch 1, as formulas: what FlopCounterMode
    /// reports, halved (matmuls and convolutions without their bias additions, attention scores).
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow)

    static func wrap(_ s: Settings) -> KindSettings
    static func unwrap(_ k: KindSettings) -> Settings?
}

/// How a layer takes part in weight tying.
enum WeightSharing {
    case none
    /// A weight matrix later layers may use as theirs (an embedding's table).
    case offers(WeightShape)
    /// An earlier layer's weight this layer uses instead of its own (a tied output head).
    case reuses(WeightReuse)
}

extension KindDefinition {
    /// Most kinds neither lend nor borrow weights.
    static func sharing(_ s: Settings, _ r: ResolvedLayer) -> WeightSharing { .none }

    /// Most kinds act on the last dimension, as torch.nn.Linear does, and change only its size.
    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape {
        try input.expectFeaturesLast(reader: kind.rawValue)
        return input.withLast(r.output)
    }

    /// Norms, pooling and the like: FlopCounterMode counts nothing for them.
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {}

    static func settings(_ r: ResolvedLayer) -> Settings {
        guard let s = unwrap(r.settings) else { preconditionFailure("\(r.kind.rawValue) resolved with another kind's settings") }
        return s
    }
}

/// Something done with a kind's definition, given its type: `LayerKind.visit` picks the type.
/// `input` is only read and `state` is updated in place, so neither is copied on the way in.
protocol KindVisitor {
    associatedtype Input
    associatedtype State = Void
    associatedtype Result = Void
    associatedtype Failure: Error = Never
    static func visit<D: KindDefinition>(_ d: D.Type, _ input: Input, _ state: inout State) throws(Failure) -> Result
}

/// What the rest of the program reads about a kind that is not its formula.
struct KindSpec: Sendable {
    let shortName: String
    let summary: String
    let fields: [FieldSpec]

    /// Indexed by `LayerKind.ordinal`, built once from the definitions.
    static let table: [KindSpec] = LayerKind.allCases.map { kind in
        enum Read: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ input: Void, _ state: inout Void) -> KindSpec {
                KindSpec(shortName: D.shortName, summary: D.summary, fields: D.fields)
            }
        }
        var none: Void = ()
        return kind.visit(Read.self, (), &none)
    }
    /// The fields each kind accepts, as bit sets (see `Field.bit`): read for every layer counted.
    static let allowedMasks: [UInt64] = table.map { $0.fields.reduce(0) { $0 | $1.field.bit } }
    /// The field through which each kind takes the previous layer's output, if it has one.
    static let inputFields: [Field?] = table.map { $0.fields.first { $0.isInputWidth }?.field }
}

extension LayerKind {
    var spec: KindSpec { KindSpec.table[ordinal] }

    /// For the layer list, e.g. "attn".
    public var shortName: String { spec.shortName }
    /// One line for the "add a layer" picker, e.g. "multi-head attention".
    public var summary: String { spec.summary }

    /// A new layer of this kind to add below a layer whose output is `width` (0 when unknown): the
    /// fields it must have, with values that fit, and an explicit input width when none can be inherited.
    public func newLayer(below width: Int) -> Layer {
        enum Make: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ width: Int, _ state: inout Void) -> Layer { D.newLayer(below: width) }
        }
        var none: Void = ()
        var layer = visit(Make.self, width, &none)
        if width == 0, let input = KindSpec.inputFields[ordinal] { layer.fields[input] = .int(64) }
        return layer
    }
}

extension ResolvedLayer {
    /// Runs the kind's formula over the algebra of `sink`, under its convention.
    func parts<S: PartSink>(into sink: inout S) throws(CountOverflow) {
        try kind.visit(PartsVisitor<S>.self, self, &sink)
    }

    func notes(_ convention: Convention) -> [String] {
        enum Notes: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ input: (ResolvedLayer, Convention), _ state: inout Void) -> [String] {
                D.notes(D.settings(input.0), input.0, input.1)
            }
        }
        var none: Void = ()
        return kind.visit(Notes.self, (self, convention), &none)
    }

    var sharing: WeightSharing {
        enum Sharing: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ r: ResolvedLayer, _ state: inout Void) -> WeightSharing {
                D.sharing(D.settings(r), r)
            }
        }
        var none: Void = ()
        return kind.visit(Sharing.self, self, &none)
    }

    /// A weight matrix later layers may use as theirs (an embedding's table).
    var offers: WeightShape? { if case .offers(let shape) = sharing { return shape } else { return nil } }
    /// An earlier layer's weight this layer uses instead of its own (a tied output head).
    var reuses: WeightReuse? { if case .reuses(let reuse) = sharing { return reuse } else { return nil } }

    /// A short summary such as `128→256 ×2 bi`, for lists and tables.
    public var shape: String {
        enum Shape: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ r: ResolvedLayer, _ state: inout Void) -> String {
                D.shape(D.settings(r), r)
            }
        }
        var none: Void = ()
        return kind.visit(Shape.self, self, &none)
    }

    /// The value a field has after defaults and inheritance, as the form shows it.
    public func effectiveValue(_ field: Field, convention: Convention) -> String {
        enum Value: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ input: (ResolvedLayer, Field, Convention), _ state: inout Void) -> String {
                D.value(input.1, D.settings(input.0), input.0, input.2) ?? ""
            }
        }
        var none: Void = ()
        return kind.visit(Value.self, (self, field, convention), &none)
    }
}

extension ResolvedLayer {
    /// What the layer gives for one sample of `input`.
    func outputShape(_ input: Shape) throws(LayerError) -> Shape {
        enum Read: KindVisitor {
            typealias Failure = LayerError
            static func visit<D: KindDefinition>(_ d: D.Type, _ input: (ResolvedLayer, Shape), _ state: inout Void) throws(LayerError) -> Shape {
                try D.outputShape(D.settings(input.0), input.0, input.1)
            }
        }
        var none: Void = ()
        return try kind.visit(Read.self, (self, input), &none)
    }

    /// Its multiply-accumulates, as parts over the algebra of `sink`.
    func macs<S: PartSink>(_ input: Shape, _ output: Shape, into sink: inout S) throws(CountOverflow) {
        try kind.visit(MacsVisitor<S>.self, (self, input, output), &sink)
    }
}

private enum MacsVisitor<S: PartSink>: KindVisitor {
    static func visit<D: KindDefinition>(_ d: D.Type, _ input: (ResolvedLayer, Shape, Shape), _ sink: inout S) throws(CountOverflow) {
        try D.macs(D.settings(input.0), input.0, input.1, input.2, into: &sink)
    }
}

extension Shape {
    /// Checks that a layer acting on the last dimension can read this shape.
    func expectFeaturesLast(reader: String) throws(LayerError) {
        guard layout == .featuresLast else {
            throw LayerError("\(reader) acts on the last dimension, but it receives \(self), a channels-first shape: flatten first "
                             + "(add a flatten layer above it)")
        }
    }
}

extension ResolvedLayer {
    func inventory(times: Int, convention: Convention, isLast: Bool, into inventory: inout Inventory) throws(CountOverflow) {
        enum Read: KindVisitor {
            static func visit<D: KindDefinition>(_ d: D.Type, _ input: (ResolvedLayer, Int, Convention, Bool),
                                                 _ inventory: inout Inventory) throws(CountOverflow) {
                try D.inventory(D.settings(input.0), input.0, times: input.1, convention: input.2, isLast: input.3, into: &inventory)
            }
        }
        try kind.visit(Read.self, (self, times, convention, isLast), &inventory)
    }
}

private enum PartsVisitor<S: PartSink>: KindVisitor {
    static func visit<D: KindDefinition>(_ d: D.Type, _ r: ResolvedLayer, _ sink: inout S) throws(CountOverflow) {
        try D.parts(D.settings(r), r, sink.convention, into: &sink)
    }
}

extension FieldSpec {
    /// The layer's input width: inherited from the layer above unless given.
    static func input(_ f: Field, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: true), defaultValue: .required, meaning: meaning)
    }
    static func required(_ f: Field, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .required, meaning: meaning)
    }
    static func int(_ f: Field, _ d: Int, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .value(.int(d)), meaning: meaning)
    }
    static func derived(_ f: Field, _ rule: String, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .derived(rule), meaning: meaning)
    }
    static func flag(_ f: Field, _ d: Bool, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .flag, defaultValue: .value(.bool(d)), meaning: meaning)
    }
}
