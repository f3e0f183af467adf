/// Layers that run one after another, `repeat` times: torch.nn.Sequential, or a ModuleList of
/// identical blocks (a transformer's `layers`). Its layers are `Layer.body`; the counter walks them
/// (Nesting.swift), so the kind itself has no formula.
enum Group: KindDefinition {
    struct Settings: Sendable, Equatable {
        var repetitions: Int
    }

    static let kind = LayerKind.group
    static let shortName = "group"
    static let summary = "layers, repeated"
    static let fields: [FieldSpec] = [.int(.repeat, 1, "times the layers run, one after another")]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        Settings(repetitions: try f.positive(.repeat, default: 1))
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {}

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        s.repetitions == 1 ? ["The layers inside run once, in order; the group adds no parameters of its own."]
            : ["The layers inside run \(s.repetitions) times in a row, each repetition with its own parameters."]
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        // A group's input is what it received (none at the top of a model).
        let widths = r.inputInherited ? "\(r.input)→\(r.output)" : r.passesNothing ? "" : "→\(r.output)"
        return ([widths] + (s.repetitions > 1 ? ["×\(s.repetitions)"] : [])).filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        field == .repeat ? String(s.repetitions) : nil
    }

    static func newLayer(below width: Int) -> Layer {
        var g = Layer(.group)
        g.body = [LayerKind.dense.newLayer(below: width)]
        return g
    }

    /// Nothing of its own: the planner reads the layers inside (`Walker.forEachLeaf`).
    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .group(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .group(let s) = k { return s } else { return nil } }
}
