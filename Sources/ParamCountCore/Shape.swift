/// The shape of what flows between layers for one sample (no batch dimension), in PyTorch's layout.
/// A conv net's tensors are channels first (`[C, H, W]`, `[C, L]`, `[C, D, H, W]`); a token model's
/// have their features last (`[T, d]`, or `[T]` token ids before the embedding, or `[n]` after a
/// flatten). Dense layers, norms, attention, mlp and mixtures act on the last dimension, conv,
/// pooling and batch norm on the first of a channels-first shape.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public enum Layout: UInt8, Sendable {
        /// The last dimension is the features (`[T, d]`, `[n]`).
        case featuresLast
        /// The first dimension is the channels and the rest are spatial (`[C, H, W]`).
        case channelsFirst
    }

    /// At most this many dimensions: channels and three spatial ones.
    public static let maxRank = 4

    public let layout: Layout
    public let rank: Int
    // Inline, so that a count record copies without reference counting.
    private let d0, d1, d2, d3: Int

    /// `dims` must hold 1 to `maxRank` positive sizes (see `Shape.check`).
    public init(_ dims: [Int], layout: Layout) {
        precondition((1...Self.maxRank).contains(dims.count), "a shape has 1 to \(Self.maxRank) dimensions")
        self.layout = layout
        rank = dims.count
        d0 = dims[0]
        d1 = dims.count > 1 ? dims[1] : 0
        d2 = dims.count > 2 ? dims[2] : 0
        d3 = dims.count > 3 ? dims[3] : 0
    }

    public var dims: [Int] { Array([d0, d1, d2, d3].prefix(rank)) }

    public subscript(i: Int) -> Int { i == 0 ? d0 : i == 1 ? d1 : i == 2 ? d2 : d3 }

    /// The width the next layer reads: the channels of a channels-first shape, else the last size.
    public var width: Int { layout == .channelsFirst ? d0 : self[rank - 1] }

    /// The spatial sizes of a channels-first shape (empty otherwise).
    public var spatial: [Int] { layout == .channelsFirst ? Array(dims.dropFirst()) : [] }

    /// How many vectors a last-dimension layer reads: the product of all sizes but the last (1 for `[n]`).
    public func positions() throws(CountOverflow) -> Int {
        var n = 1
        for size in dims.dropLast() { n = try Checked.mul(n, size) }
        return n
    }

    /// The number of elements.
    public func elements() throws(CountOverflow) -> Int {
        var n = 1
        for size in dims { n = try Checked.mul(n, size) }
        return n
    }

    /// The same shape with its last size replaced.
    public func withLast(_ size: Int) -> Shape {
        var d = dims
        d[d.count - 1] = size
        return Shape(d, layout: layout)
    }

    /// `[3, 224, 224]`, as PyTorch prints a size (without the batch).
    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// `3×224×224`, for narrow columns.
    public var compact: String { dims.map(String.init).joined(separator: "×") }

    /// Why `dims` cannot be a model's input, or nil when it can.
    public static func problem(_ dims: [Int]) -> String? {
        guard (1...maxRank).contains(dims.count) else {
            return "has \(dims.count) sizes; give 1 to \(maxRank): [T] token ids, [n] features, [C, L], [C, H, W] or [C, D, H, W]"
        }
        if let bad = dims.first(where: { $0 <= 0 }) { return "sizes must be positive integers, got \(bad)" }
        return nil
    }

    /// Reads a shape as typed: `3, 224, 224`, `3x224x224`, `3×224×224`, `[3, 224, 224]` or
    /// `3 224 224`. Empty or `none` is no shape (nil).
    public static func parse(_ text: String) -> Result<[Int]?, LayerError> {
        var t = text.trimmedSpaces
        if t.hasPrefix("[") && t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        if t.trimmedSpaces.isEmpty || t.lowercased() == "none" { return .success(nil) }
        // Commas, x and × separate sizes; so do spaces, between sizes only.
        var pieces: [String] = []
        for part in t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" }) {
            let words = part.split(separator: " ").map(String.init)
            guard !words.isEmpty else {
                return .failure(LayerError(field: "input", "has an empty size: write sizes like 3, 224, 224"))
            }
            pieces += words
        }
        var dims: [Int] = []
        for piece in pieces {
            switch IntegerText.parse(piece[...]) {
            case .success(let n): dims.append(n)
            case .failure(.misspelt(let advice)): return .failure(LayerError(field: "input", advice))
            case .failure:
                return .failure(LayerError(field: "input", "must be sizes like 3, 224, 224, got \"\(TerminalSafe.escape(piece))\""))
            }
        }
        if let problem = problem(dims) { return .failure(LayerError(field: "input", problem)) }
        return .success(dims)
    }

    /// The model's input as a shape. One size is a vector (token ids for an embedding, features for a
    /// dense layer). Two or more are channels first when the model starts with a conv, pool or batch
    /// norm (`[C, L]`, `[C, H, W]`), else a sequence of feature vectors (`[T, d]` read by attention).
    public static func input(_ dims: [Int], firstKind: LayerKind?) -> Shape {
        let channels: Bool
        switch firstKind {
        case .conv?, .pool?, .batchnorm?, .flatten?: channels = dims.count > 1
        default: channels = false
        }
        return Shape(dims, layout: channels ? .channelsFirst : .featuresLast)
    }

    /// The same from the model's first layer: a pool with neither kernel nor output given two sizes
    /// reads a sequence [T, d], so it starts features last like attention does (three or more sizes
    /// are an image's, where the pool misses its kernel).
    static func input(_ dims: [Int], first: Layer?) -> Shape {
        if let first, dims.count == 2, first.kind == .pool, first.fields[.kernel] == nil, first.fields[.output] == nil {
            return Shape(dims, layout: .featuresLast)
        }
        return input(dims, firstKind: first?.kind)
    }
}

/// What a layer reads and gives with a shape, and its multiply-accumulates for one sample.
public struct LayerShapes: Sendable, Equatable {
    public var input: Shape
    public var output: Shape
    /// Multiply-accumulates of one forward pass at batch 1 (a group: every repetition).
    public var macs: Int

    public init(input: Shape, output: Shape, macs: Int) {
        self.input = input
        self.output = output
        self.macs = macs
    }
}

/// Holds a layer's shapes out of line: most counts have none, and a count record stays small.
final class ShapesBox: Sendable, Equatable {
    let value: LayerShapes
    init(_ value: LayerShapes) { self.value = value }
    static func == (a: ShapesBox, b: ShapesBox) -> Bool { a.value == b.value }
}

extension Model {
    /// The first layer that holds no others, in reading order (into groups and first branches).
    var firstLeaf: Layer? {
        var list = layers[...]
        for _ in 0..<Counter.maxNesting + 1 {
            guard let first = list.first else { return nil }
            switch first.kind {
            case .group: list = first.body[...]
            case .parallel: list = (first.branches.first(where: { !$0.isEmpty }) ?? [])[...]
            default: return first
            }
        }
        return nil
    }

    /// The model's input as a shape, or nil without one (its problem is reported when counting).
    public var inputShape: Shape? {
        guard let input, Shape.problem(input) == nil else { return nil }
        return Shape.input(input, first: firstLeaf)
    }
}

extension ResolvedLayer {
    /// What the layer gives for one sample of `input`, and its multiply-accumulates. A width the
    /// layer states must be the one the shape has.
    func shapes(reading input: Shape, convention: Convention) throws(LayerError) -> LayerShapes {
        let output = try outputShape(input)
        if let field = KindSpec.inputFields[kind.ordinal], self.input != input.width {
            throw LayerError(field, "is \(self.input), but the layer above gives \(input), \(input.width) wide: leave \(field.rawValue) "
                             + "out (auto) to take the shape's width")
        }
        var tally = MacTally(convention: convention)
        do { try macs(input, output, into: &tally) } catch { throw LayerError(Counter.macsOverflowMessage) }
        return LayerShapes(input: input, output: output, macs: tally.total)
    }
}

/// Adds up a layer's multiply-accumulates.
struct MacTally: PartSink {
    let convention: Convention
    var total = 0

    mutating func take(_ part: Part<Numbers>) throws(CountOverflow) {
        total = try Checked.add(total, part.term.value)
    }
}

/// Variables for the sizes a MAC formula multiplies by.
enum ShapeTerms {
    /// `T`, the vectors a last-dimension layer reads (the product of all sizes but the last), or
    /// nil when there is one vector.
    static func positions<A>(_ shape: Shape) throws(CountOverflow) -> Term<A>? {
        let n = try shape.positions()
        guard n != 1 else { return nil }
        return v("T", n, shape.rank == 2 ? "positions (sequence length)" : "positions (all sizes but the last)")
    }

    /// `t` times `T`, or `t` alone with one position.
    static func perPosition<A>(_ shape: Shape, _ t: Term<A>) throws(CountOverflow) -> Term<A> {
        guard let n: Term<A> = try positions(shape) else { return t }
        return try n * group(t)
    }

    /// Attention scores: Q·Kᵀ and the weighted sum of V over every pair of positions,
    /// `heads · T · T · (d_qk + d_v)`, repeated over any sizes before the sequence.
    static func scores<A>(_ shape: Shape, heads: Term<A>, qk: Term<A>, v valueWidth: Term<A>?) throws(CountOverflow) -> Term<A> {
        let length = shape.rank >= 2 ? shape[shape.rank - 2] : 1
        let t: Term<A> = v("T", length, "positions (sequence length)")
        let outer = try shape.positions() / max(length, 1)
        var pair: Term<A> = try t * t * heads
        if let valueWidth { pair = try pair * group(try qk + valueWidth) } else { pair = try c(2) * pair * qk }
        return outer == 1 ? pair : try v("B", outer, "sequences (sizes before the sequence)") * pair
    }
}
