/// A layer whose count is given rather than computed (a block paramcount has no formula for). It
/// passes on the width it received. Its `category` says where its parameters go in the breakdown
/// by kind: a checkpoint's rows are custom layers, sorted by their tensors' names.
enum Custom: KindDefinition {
    struct Settings: Sendable, Equatable {
        var params: Int
        var category: Category
    }

    static let kind = LayerKind.custom
    static let shortName = "custom"
    static let summary = "fixed count"
    static let fields: [FieldSpec] = [
        FieldSpec(field: .params, type: .count, defaultValue: .required, meaning: "parameters"),
        FieldSpec(field: .category, type: .choice(categoryWords), defaultValue: .value(.option(Category.other.option)),
                  meaning: "kind in the breakdown by kind"),
    ]
    /// Kept in a global of its own: inside `FieldType`'s payload the pointer shares its bits with
    /// the enum's tag, and LeakSanitizer (scripts/fuzz.sh) reports an array only held there as leaked.
    static let categoryWords = Category.allCases.map(\.word)

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let params: Int
        switch f[.params] {
        case nil: throw LayerError(.params, "is missing: give the layer's parameter count")
        case .int(let n)? where n >= 0: params = n
        case let v?: throw LayerError(.params, "must be a non-negative integer, got \(v)")
        }
        let category: Category
        switch f[.category] {
        case nil: category = .other
        case .option(let word)?:
            guard let c = Category(word: word) else { throw LayerError(.category, "must be one of \(words); got \(word)") }
            category = c
        case let v?: throw LayerError(.category, "must be one of \(words); got \(v)")
        }
        // At the top of a model there is no width to pass on: the next layer must give its own.
        r.output = f.received ?? 0
        r.inputInherited = f.received != nil
        r.passesNothing = f.received == nil
        return Settings(params: params, category: category)
    }

    private static let words = Category.allCases.map(\.word).joined(separator: ", ")

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        try sink.take(Part("given", s.category, v("P", s.params, "parameters given")))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "fixed" }

    /// Passes its input on, as an activation or a block counted by hand would.
    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape { input }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .params: return String(s.params)
        case .category: return s.category.word
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.custom, [(.params, .int(0))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        inventory.opaqueLayers = try Checked.add(inventory.opaqueLayers, times)
    }

    static func wrap(_ s: Settings) -> KindSettings { .custom(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .custom(let s) = k { return s } else { return nil } }
}
