/// What a field holds. The loader, the validator and the editor's form all read this one table.
public enum FieldType: Sendable, Equatable {
    /// A positive integer; `inherits` marks the layer's input width, which may be `auto`.
    case width(inherits: Bool)
    /// A non-negative integer (custom parameter counts may be zero).
    case count
    case flag
    /// An integer or a list of 1 to 3 integers (conv kernel).
    case kernel
    /// 1, 2 or 3.
    case spatialDims
}

public enum FieldDefault: Sendable, Equatable {
    /// Must be given (or, for an inheriting width, inherited).
    case required
    case value(FieldValue)
    /// Depends on other fields or on the convention; the text says on what.
    case derived(String)
}

public struct FieldSpec: Sendable, Equatable {
    public let field: Field
    public let type: FieldType
    public let defaultValue: FieldDefault
    public let meaning: String

    public var name: String { field.rawValue }
    public var isInputWidth: Bool { type == .width(inherits: true) }
}

public enum Schema {
    private static func w(_ f: Field, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: true), defaultValue: .required, meaning: meaning)
    }
    private static func req(_ f: Field, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .required, meaning: meaning)
    }
    private static func int(_ f: Field, _ d: Int, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .value(.int(d)), meaning: meaning)
    }
    private static func derived(_ f: Field, _ rule: String, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .width(inherits: false), defaultValue: .derived(rule), meaning: meaning)
    }
    private static func flag(_ f: Field, _ d: Bool, _ meaning: String) -> FieldSpec {
        FieldSpec(field: f, type: .flag, defaultValue: .value(.bool(d)), meaning: meaning)
    }

    private static let recurrent: [FieldSpec] = [
        w(.in, "input size"), req(.hidden, "hidden size"), int(.layers, 1, "stacked layers"),
        flag(.bidirectional, false, "run both directions"), flag(.bias, true, "bias vectors"),
    ]
    private static let transformer: [FieldSpec] = [
        w(.dim, "model width"), int(.layers, 1, "blocks in the stack"), int(.heads, 8, "attention heads"),
        derived(.ff, "convention's default", "feed-forward width"), flag(.bias, true, "bias terms"),
        flag(.finalNorm, false, "layer norm after the stack"),
    ]

    /// The fields of each kind, in the order the form shows them.
    public static func fields(of kind: LayerKind) -> [FieldSpec] {
        switch kind {
        case .dense: return [w(.in, "input features"), req(.out, "output features"), flag(.bias, true, "bias vector")]
        case .rnn, .gru, .lstm: return recurrent
        case .conv:
            return [w(.in, "input channels"), req(.out, "output channels"),
                    FieldSpec(field: .kernel, type: .kernel, defaultValue: .required, meaning: "kernel size"),
                    FieldSpec(field: .dims, type: .spatialDims, defaultValue: .derived("kernel list length, else 2"),
                              meaning: "spatial dimensions"),
                    int(.groups, 1, "channel groups"), flag(.bias, true, "bias vector"),
                    flag(.transposed, false, "transposed convolution")]
        case .attention:
            return [w(.dim, "embedding width"), int(.heads, 8, "query heads"),
                    derived(.kvHeads, "heads", "key/value heads"), derived(.headDim, "dim / heads", "width of one head"),
                    flag(.bias, true, "projection biases")]
        case .layernorm: return [w(.dim, "normalised width"), flag(.bias, true, "shift β")]
        case .rmsnorm: return [w(.dim, "normalised width")]
        case .batchnorm: return [w(.features, "channels")]
        case .embedding: return [req(.vocab, "vocabulary size"), req(.dim, "embedding width")]
        case .encoder, .decoder: return transformer
        case .custom: return [FieldSpec(field: .params, type: .count, defaultValue: .required, meaning: "parameters")]
        }
    }

    public static func spec(_ kind: LayerKind, _ field: Field) -> FieldSpec? {
        fields(of: kind).first { $0.field == field }
    }

    /// The field through which a layer takes the previous layer's output, if it has one.
    public static func inputField(of kind: LayerKind) -> Field? {
        fields(of: kind).first { $0.isInputWidth }?.field
    }

    /// Field names a file may use on a layer besides the kind's own.
    public static let commonKeys = ["kind", "name", "trainable"]
}
