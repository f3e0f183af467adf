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
    /// An integer or a list of 1 to 3 (strides, paddings, an adaptive pool's output); `zero`:
    /// 0 is allowed; `same`: also the words `same` and `valid` (a convolution's padding).
    case sizes(zero: Bool, same: Bool)
    /// One of these words.
    case choice([String])
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

    /// What a value must be, for error messages: "must be one of none, head, full".
    public var allowed: String {
        switch type {
        case .width(let inherits): return inherits ? "a positive integer or auto" : "a positive integer"
        case .count: return "a non-negative integer"
        case .flag: return "true or false"
        case .kernel: return "a positive integer or a list like [3, 3]"
        case .spatialDims: return "1, 2 or 3"
        case .sizes(let zero, let same):
            return (zero ? "a non-negative integer" : "a positive integer") + " or a list like [2, 2]" + (same ? ", or same or valid" : "")
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        }
    }
}

/// The fields of each kind, read from the kind table (Kinds/).
public enum Schema {
    /// The fields of a kind, in the order the form shows them.
    public static func fields(of kind: LayerKind) -> [FieldSpec] { kind.spec.fields }

    public static func spec(_ kind: LayerKind, _ field: Field) -> FieldSpec? {
        fields(of: kind).first { $0.field == field }
    }

    /// The field through which a layer takes the previous layer's output, if it has one.
    public static func inputField(of kind: LayerKind) -> Field? { KindSpec.inputFields[kind.ordinal] }

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
        case .sizes(let zero, let same):
            allowed = (zero ? "a non-negative integer" : "a positive integer") + " or a list like 2,2" + (same ? ", or same or valid" : "")
        case .choice(let options): allowed = "one of " + options.joined(separator: ", ")
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
        case .kernel, .sizes:
            var least = 1
            if case .sizes(let zero, let same) = type {
                if zero { least = 0 }
                if same, ["same", "valid"].contains(t.lowercased()), let word = Word(t.lowercased()) { return .success(.option(word)) }
            }
            let inner = t.hasPrefix("[") && t.hasSuffix("]") ? t.dropFirst().dropLast() : t[...]
            let parts = inner.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" }).map { String($0).trimmedSpaces }
            let sizes = parts.compactMap { integer($0[...]) }
            guard !parts.isEmpty, sizes.count == parts.count, sizes.allSatisfy({ $0 >= least }) else { return failure }
            guard sizes.count <= 3 else { return .failure(LayerError(field, "has 1 to 3 sizes, got \(sizes.count)")) }
            if let big = sizes.first(where: { $0 > Sizes.maxSize }) {
                return .failure(LayerError(field, "sizes must be at most \(Format.grouped(Sizes.maxSize)), got \(Format.grouped(big))"))
            }
            let listed = t.hasPrefix("[") || sizes.count > 1
            return .success(listed ? .ints(Sizes(sizes)) : .int(sizes[0]))
        case .choice(let options):
            guard let o = options.first(where: { $0 == t.lowercased() }), let word = Word(o) else { return failure }
            return .success(.option(word))
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
