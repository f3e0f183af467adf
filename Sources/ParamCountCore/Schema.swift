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
        derived(.ff, "by convention", "feed-forward width"), flag(.bias, true, "bias terms"),
        flag(.finalNorm, false, "layer norm after the stack"),
    ]

    /// The fields of each kind, in the order the form shows them. Built once: counting a million
    /// layers looks these up several times per layer.
    public static func fields(of kind: LayerKind) -> [FieldSpec] { table[kind.ordinal] }

    private static let table: [[FieldSpec]] = LayerKind.allCases.map(build)
    /// The fields each kind accepts, as a bit set (see `Field.bit`).
    static let allowedMasks: [UInt32] = LayerKind.allCases.map { k in build(k).reduce(0) { $0 | $1.field.bit } }
    private static let inputFields: [Field?] = LayerKind.allCases.map { k in build(k).first { $0.isInputWidth }?.field }

    private static func build(_ kind: LayerKind) -> [FieldSpec] {
        switch kind {
        case .dense: return [w(.in, "input features"), req(.out, "output features"), flag(.bias, true, "bias vector")]
        case .rnn, .gru, .lstm: return recurrent
        case .conv:
            return [w(.in, "input channels"), req(.out, "output channels"),
                    FieldSpec(field: .kernel, type: .kernel, defaultValue: .required, meaning: "kernel size"),
                    FieldSpec(field: .dims, type: .spatialDims, defaultValue: .derived("from the kernel, else 2"),
                              meaning: "spatial dimensions"),
                    int(.groups, 1, "channel groups"), flag(.bias, true, "bias vector"),
                    flag(.transposed, false, "transposed convolution")]
        case .attention:
            return [w(.dim, "embedding width"), int(.heads, 8, "query heads"),
                    derived(.kvHeads, "= heads", "key/value heads"), derived(.headDim, "= dim / heads", "width of one head"),
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
    public static func inputField(of kind: LayerKind) -> Field? { inputFields[kind.ordinal] }

    /// Field names a file may use on a layer besides the kind's own.
    public static let commonKeys = ["kind", "name", "trainable"]
}

extension FieldSpec {
    /// Reads what a user typed into the form. nil means "no value": the default, or auto for an
    /// input width. Accepts `_` as a digit separator and a kernel as `3`, `3,3`, `3x3` or `[3, 3]`.
    public func parse(_ text: String) -> Result<FieldValue?, LayerError> {
        let t = text.trimmedSpaces
        if t.isEmpty || (isInputWidth && t.lowercased() == "auto") { return .success(nil) }
        // The same rule as the file readers (IntegerText): 017 or 1e3 gets advice, not a reading.
        var advice: LayerError?
        var tooLarge = false
        func integer(_ s: Substring) -> Int? {
            switch IntegerText.parse(s) {
            case .success(let n): return n
            case .failure(.misspelt(let m)): if advice == nil { advice = LayerError(field, m) }
            case .failure(.tooLarge): tooLarge = true
            case .failure(.notAnInteger): break
            }
            return nil
        }
        let allowed: String
        switch type {
        case .width(let inherits): allowed = inherits ? "a positive integer or auto" : "a positive integer"
        case .count: allowed = "a non-negative integer"
        case .flag: allowed = "true or false"
        case .kernel: allowed = "a positive integer or a list like 3,3"
        case .spatialDims: allowed = "1, 2 or 3"
        }
        var failure: Result<FieldValue?, LayerError> {
            .failure(advice ?? LayerError(field, "must be \(allowed), got \"\(TerminalSafe.escape(t))\""))
        }
        switch type {
        case .width, .spatialDims:
            guard let n = integer(t[...]) else {
                if tooLarge {
                    return .failure(LayerError(field, "is too large: at most 9,223,372,036,854,775,807"))
                }
                return failure
            }
            if n <= 0 { return failure }
            if type == .spatialDims && n > 3 { return failure }
            return .success(.int(n))
        case .count:
            guard let n = integer(t[...]), n >= 0 else { return failure }
            return .success(.int(n))
        case .flag:
            switch t.lowercased() {
            case "true", "yes", "y", "1", "on": return .success(.bool(true))
            case "false", "no", "n", "0", "off": return .success(.bool(false))
            default: return failure
            }
        case .kernel:
            let inner = t.hasPrefix("[") && t.hasSuffix("]") ? t.dropFirst().dropLast() : t[...]
            let parts = inner.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" }).map { String($0).trimmedSpaces }
            let sizes = parts.compactMap { integer($0[...]) }
            guard !parts.isEmpty, sizes.count == parts.count, sizes.allSatisfy({ $0 > 0 }) else { return failure }
            guard sizes.count <= 3 else { return .failure(LayerError(field, "a kernel has 1 to 3 sizes, got \(sizes.count)")) }
            let listed = t.hasPrefix("[") || sizes.count > 1
            return .success(listed ? .ints(Sizes(sizes)) : .int(sizes[0]))
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    public var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension ResolvedLayer {
    /// The value a field has after defaults and inheritance, as the form shows it.
    public func effectiveValue(_ field: Field, convention: Convention) -> String {
        switch field {
        case .in, .dim, .features:
            switch kind {
            case .attention, .layernorm, .rmsnorm, .encoder, .decoder, .embedding: return String(dim)
            default: return String(input)
            }
        case .out: return String(out)
        case .hidden: return String(hidden)
        case .layers: return String(stack)
        case .bidirectional: return String(bidirectional)
        case .bias: return String(bias)
        case .kernel: return kernel.count > 1 && !kernel.dropFirst().allSatisfy({ $0 == kernel[0] }) || kernelWasList
            ? "[" + kernel.map(String.init).joined(separator: ", ") + "]" : String(kernel.first ?? 0)
        case .dims: return String(kernel.count)
        case .groups: return String(groups)
        case .transposed: return String(transposed)
        case .heads: return String(heads)
        case .kvHeads: return String(kvHeads)
        case .headDim: return String(headDim)
        case .vocab: return String(vocab)
        case .ff:
            if let ff { return String(ff) }
            switch convention {
            case .textbook: return "x·x + x"
            case .pytorch: return "2048"
            case .keras: return dim.multipliedReportingOverflow(by: 4).overflow ? "4x" : String(dim * 4)
            }
        case .finalNorm: return String(finalNorm)
        case .params: return String(params)
        }
    }
}
