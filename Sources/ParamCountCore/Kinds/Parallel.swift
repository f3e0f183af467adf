/// Branches that read the same input side by side, merged by adding their outputs (a residual
/// connection: ResNet's block beside its shortcut) or by joining them (torch.cat). Its branches are
/// `Layer.branches`, an empty branch being the identity; the counter walks them (Nesting.swift).
enum Parallel: KindDefinition {
    enum Merge: String, CaseIterable, Sendable {
        case add, concat
    }

    struct Settings: Sendable, Equatable {
        var merge: Merge
    }

    static let kind = LayerKind.parallel
    static let shortName = "par"
    static let summary = "branches, merged"
    static let fields: [FieldSpec] = [
        FieldSpec(field: .merge, type: .choice(mergeWords), defaultValue: .value(.option("add")),
                  meaning: "how the branches' outputs combine"),
    ]
    /// Kept in a global of its own: inside `FieldType`'s payload the pointer shares its bits with
    /// the enum's tag, and LeakSanitizer (scripts/fuzz.sh) reports an array only held there as leaked.
    static let mergeWords = Merge.allCases.map(\.rawValue)

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        switch f[.merge] {
        case nil: return Settings(merge: .add)
        case .option(let word)?:
            if let merge = Merge(rawValue: word.description) { return Settings(merge: merge) }
            throw LayerError(.merge, "must be one of add, concat; got \(word)")
        case let v?: throw LayerError(.merge, "must be one of add, concat; got \(v)")
        }
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {}

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        switch s.merge {
        case .add: return ["Every branch reads the same input; adding their outputs has no parameters, so the branches' counts add up."]
        case .concat: return ["Every branch reads the same input; their outputs are joined side by side (widths add), which has no parameters."]
        }
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        (r.inputInherited ? "\(r.input)→\(r.output) " : "") + s.merge.rawValue
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        field == .merge ? s.merge.rawValue : nil
    }

    /// A block beside a shortcut, widths kept.
    static func newLayer(below width: Int) -> Layer {
        var p = Layer(.parallel)
        if width > 0 {
            p.branches = [[Layer(.dense, [(.out, .int(width))])], []]
        } else {
            let block = Layer(.dense, [(.in, .int(64)), (.out, .int(64))])
            p.branches = [[block], [block]]
        }
        return p
    }

    /// Nothing of its own: the planner reads the layers inside (`Walker.forEachLeaf`).
    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .parallel(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .parallel(let s) = k { return s } else { return nil } }
}
