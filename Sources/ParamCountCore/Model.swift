/// The counting conventions a model can be counted under.
public enum Convention: String, CaseIterable, Sendable, Equatable {
    /// The formulas a teacher writes on the board.
    case textbook
    /// `sum(p.numel() for p in module.parameters())` of the matching torch.nn module.
    case pytorch
    /// What Keras 3 `model.summary()` reports.
    case keras

    public var next: Convention {
        let all = Convention.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// A short list of sizes (a conv kernel, a stride), stored inline in 16 bytes so that layers copy
/// without reference counting and without many bytes: counting a million layers copies each
/// layer's fields and settings, and a convolution holds five of these.
public struct Sizes: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The largest size one can hold: readers refuse larger ones with a message saying so.
    public static let maxSize = Int(UInt32.max)

    private let count: UInt8
    private let a, b, c: UInt32

    /// How many sizes were given; only the first three are kept (more is an error when resolving).
    public var given: Int { Int(count) }

    /// nil when a size is negative or over `maxSize`.
    public init?(exactly values: [Int]) {
        guard values.allSatisfy({ (0...Sizes.maxSize).contains($0) }) else { return nil }
        self.init(values)
    }

    /// Every size must be in 0…`maxSize` (checked by whoever read it).
    public init(_ values: [Int]) {
        precondition(values.allSatisfy { (0...Sizes.maxSize).contains($0) }, "a size out of range reached Sizes")
        count = UInt8(Swift.min(values.count, 255))
        a = values.count > 0 ? UInt32(values[0]) : 0
        b = values.count > 1 ? UInt32(values[1]) : 0
        c = values.count > 2 ? UInt32(values[2]) : 0
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Without an array: resolving a convolution makes several of these per layer counted.
    /// `value` must be in 0…`maxSize`.
    public init(repeating value: Int, count n: Int) {
        precondition((0...Sizes.maxSize).contains(value), "a size out of range reached Sizes")
        let k = UInt8(Swift.max(0, Swift.min(n, 3)))
        let v = UInt32(value)
        count = k
        a = k > 0 ? v : 0
        b = k > 1 ? v : 0
        c = k > 2 ? v : 0
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Swift.min(given, 3) }
    public subscript(i: Int) -> Int { Int(i == 0 ? a : i == 1 ? b : c) }
}

/// A value as the user wrote it. `auto` only ever appears on a layer's input width.
public enum FieldValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case ints(Sizes)
    case auto
    /// One of a field's named options (`qk_norm: head`).
    case option(Word)

    public var description: String {
        switch self {
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .ints(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .auto: return "auto"
        case .option(let o): return o.description
        }
    }
}

/// A short word stored inline (up to 16 bytes of UTF-8), so that a field value holding one copies
/// without reference counting, like the numbers beside it: counting a million layers copies them all.
public struct Word: Sendable, Equatable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    private let low: UInt64, high: UInt64
    private let count: UInt8

    /// nil when `text` is longer than 16 bytes of UTF-8.
    public init?(_ text: String) {
        var low: UInt64 = 0, high: UInt64 = 0, n = 0
        for b in text.utf8 {
            guard n < 16 else { return nil }
            if n < 8 { low |= UInt64(b) << (8 * UInt64(n)) } else { high |= UInt64(b) << (8 * UInt64(n - 8)) }
            n += 1
        }
        self.low = low
        self.high = high
        count = UInt8(n)
    }

    public init(stringLiteral value: String) {
        guard let w = Word(value) else { preconditionFailure("a Word holds at most 16 bytes: \(value)") }
        self = w
    }

    public var description: String {
        var bytes: [UInt8] = []
        for i in 0..<Int(count) { bytes.append(UInt8(truncatingIfNeeded: (i < 8 ? low >> (8 * UInt64(i)) : high >> (8 * UInt64(i - 8))))) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The fields a layer sets explicitly, in the order they were set. Omitted fields take their default.
public struct FieldValues: Sendable, Equatable {
    public private(set) var entries: [(field: Field, value: FieldValue)] = []
    /// Which fields are set, one bit each (`Field.bit`): most reads are of fields a layer leaves out.
    private var present: UInt64 = 0

    public init() {}

    public init(_ pairs: [(Field, FieldValue)]) {
        for (f, v) in pairs { self[f] = v }
    }

    public subscript(field: Field) -> FieldValue? {
        @inline(__always) get {
            guard present & field.bit != 0 else { return nil }
            for e in entries where e.field == field { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.field == field }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i); present &= ~field.bit }
            } else if let newValue {
                entries.append((field, newValue))
                present |= field.bit
            }
        }
    }

    public static func == (a: FieldValues, b: FieldValues) -> Bool {
        guard a.entries.count == b.entries.count else { return false }
        return a.entries.allSatisfy { b[$0.field] == $0.value }
    }
}

public struct Layer: Sendable, Equatable {
    public var kind: LayerKind
    public var name: String?
    /// false: the layer's parameters are frozen; on a group or parallel, everything inside is.
    public var trainable: Bool
    public var fields: FieldValues
    /// A group's layers, in order ([] for every other kind).
    public var body: [Layer]
    /// A parallel's branches, each a list of layers; [] is a branch that passes its input on
    /// unchanged. Empty for every other kind.
    public var branches: [[Layer]]

    public init(_ kind: LayerKind, name: String? = nil, trainable: Bool = true, _ fields: [(Field, FieldValue)] = [],
                body: [Layer] = [], branches: [[Layer]] = []) {
        self.kind = kind
        self.name = name
        self.trainable = trainable
        self.fields = FieldValues(fields)
        self.body = body
        self.branches = branches
    }

    /// A group: `body` run `repeat` times, one repetition after another.
    public static func group(name: String? = nil, repeat times: Int = 1, trainable: Bool = true, _ body: [Layer]) -> Layer {
        Layer(.group, name: name, trainable: trainable, times == 1 ? [] : [(.repeat, .int(times))], body: body)
    }

    /// A parallel: branches that read the same input, their outputs added (`concat: false`) or joined.
    public static func parallel(name: String? = nil, concat: Bool = false, trainable: Bool = true, _ branches: [[Layer]]) -> Layer {
        Layer(.parallel, name: name, trainable: trainable, concat ? [(.merge, .option("concat"))] : [], branches: branches)
    }

    /// The name when it has one, else the kind, with control characters escaped for display.
    public var label: String { name.map(TerminalSafe.escape) ?? kind.rawValue }
}

public struct Model: Sendable, Equatable {
    public var name: String?
    public var convention: Convention
    public var layers: [Layer]
    /// The shape of one input sample (no batch), as PyTorch lays it out: `[3, 224, 224]`, `[40, 302]`,
    /// `[16]` token ids. With it every layer gets an output shape and multiply-accumulates, and widths
    /// left out follow from the shapes (the dense layer after a flatten).
    public var input: [Int]?

    public init(name: String? = nil, convention: Convention = .textbook, input: [Int]? = nil, layers: [Layer]) {
        self.name = name
        self.convention = convention
        self.input = input
        self.layers = layers
    }
}
