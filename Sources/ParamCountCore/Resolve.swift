/// A layer with every field known: defaults applied, `auto` replaced by the previous layer's output.
/// Convention-dependent defaults (the transformer FFN width) stay open until counting.
public struct ResolvedLayer: Sendable, Equatable {
    public var kind: LayerKind
    public var trainable = true
    public var bias = true
    /// The input width: in, dim or features, whichever the kind has.
    public var input = 0
    /// Whether `input` came from the layer above rather than from the layer itself.
    public var inputInherited = false
    public var out = 0
    public var hidden = 0
    public var stack = 1
    public var bidirectional = false
    /// Kernel sizes per spatial dimension (1 to 3 of them).
    public var kernel: Sizes = []
    public var kernelWasList = false
    public var groups = 1
    public var transposed = false
    public var heads = 8
    public var kvHeads = 8
    public var headDim = 0
    public var vocab = 0
    public var dim = 0
    /// nil: the convention's default.
    public var ff: Int?
    public var finalNorm = false
    public var params = 0
    public var output = 0

    public var directions: Int { bidirectional ? 2 : 1 }

    /// What the next layer inherits. A custom layer passes on what it received, which at the top of
    /// a model is nothing: the next layer must then give its width.
    public var passedOn: Int? { kind == .custom && !inputInherited ? nil : output }

    /// A short summary such as `lstm 128→256 ×2 bi`, for lists and tables.
    public var shape: String {
        switch kind {
        case .dense: return "\(input)→\(out)"
        case .rnn, .gru, .lstm:
            return "\(input)→\(hidden)" + (stack > 1 ? " ×\(stack)" : "") + (bidirectional ? " bi" : "")
        case .conv:
            let k = kernel.map(String.init).joined(separator: "×")
            return "\(input)→\(out) k\(k)" + (groups > 1 ? " g\(groups)" : "") + (transposed ? " T" : "")
        case .attention:
            return "\(dim) h\(heads)" + (kvHeads != heads ? " kv\(kvHeads)" : "")
        case .layernorm, .rmsnorm: return "\(dim)"
        case .batchnorm: return "\(input)"
        case .embedding: return "\(vocab)×\(dim)"
        case .encoder, .decoder: return "\(dim) h\(heads)" + (stack > 1 ? " ×\(stack)" : "")
        case .custom: return "fixed"
        }
    }
}

extension Layer {
    /// Applies defaults and inheritance and checks every rule that does not depend on the convention.
    /// `previousOutput` is nil for the first layer (or when nothing above has a known width).
    public func resolve(previousOutput: Int?) throws(LayerError) -> ResolvedLayer {
        var r = ResolvedLayer(kind: kind)
        r.trainable = trainable
        let reader = FieldReader(kind: kind, fields: fields)
        try reader.checkKnownFields()

        if let input = Schema.inputField(of: kind) {
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
        switch kind {
        case .dense:
            r.out = try reader.positive(.out)
            r.bias = try reader.flag(.bias, true)
            r.output = r.out
        case .rnn, .gru, .lstm:
            r.hidden = try reader.positive(.hidden)
            r.stack = try reader.positive(.layers, default: 1)
            r.bidirectional = try reader.flag(.bidirectional, false)
            r.bias = try reader.flag(.bias, true)
            do { r.output = try Checked.mul(r.hidden, r.directions) } catch {
                throw LayerError(.hidden, "is too large: twice it does not fit in 64 bits")
            }
        case .conv:
            r.out = try reader.positive(.out)
            let dims = try reader.optionalPositive(.dims)
            if let dims, !(1...3).contains(dims) { throw LayerError(.dims, "must be 1, 2 or 3, got \(dims)") }
            switch fields[.kernel] {
            case nil: throw LayerError(.kernel, "is missing: give a size like 3 or a list like [3, 3]")
            case .int(let k)?:
                guard k > 0 else { throw LayerError(.kernel, "must be a positive integer, got \(k)") }
                r.kernel = Sizes(repeating: k, count: dims ?? 2)
            case .ints(let ks)?:
                guard (1...3).contains(ks.given) else {
                    throw LayerError(.kernel, "a kernel list has 1 to 3 sizes, got \(ks.given)")
                }
                if let bad = ks.first(where: { $0 <= 0 }) {
                    throw LayerError(.kernel, "sizes must be positive integers, got \(bad)")
                }
                if let dims, dims != ks.count {
                    throw LayerError(.kernel, "has \(ks.count) sizes but dims is \(dims)")
                }
                r.kernel = ks
                r.kernelWasList = true
            case let v?: throw LayerError(.kernel, "must be an integer or a list of integers, got \(v)")
            }
            r.groups = try reader.positive(.groups, default: 1)
            r.bias = try reader.flag(.bias, true)
            r.transposed = try reader.flag(.transposed, false)
            if r.input % r.groups != 0 {
                throw LayerError(.groups, "\(r.groups) groups do not divide \(r.input) input channels")
            }
            if r.out % r.groups != 0 {
                throw LayerError(.groups, "\(r.groups) groups do not divide \(r.out) output channels")
            }
            r.output = r.out
        case .attention:
            r.dim = r.input
            r.heads = try reader.positive(.heads, default: 8)
            r.kvHeads = try reader.positive(.kvHeads, default: r.heads)
            if r.heads % r.kvHeads != 0 {
                throw LayerError(.kvHeads, "\(r.kvHeads) key/value heads do not divide \(r.heads) heads")
            }
            if let hd = try reader.optionalPositive(.headDim) {
                r.headDim = hd
            } else {
                guard r.dim % r.heads == 0 else {
                    throw LayerError(.heads, "\(r.heads) heads do not divide dim \(r.dim): choose a divisor or give head_dim")
                }
                r.headDim = r.dim / r.heads
            }
            r.bias = try reader.flag(.bias, true)
            r.output = r.dim
        case .layernorm:
            r.dim = r.input
            r.bias = try reader.flag(.bias, true)
            r.output = r.dim
        case .rmsnorm:
            r.dim = r.input
            r.output = r.dim
        case .batchnorm:
            r.output = r.input
        case .embedding:
            r.vocab = try reader.positive(.vocab)
            r.dim = try reader.positive(.dim)
            r.output = r.dim
        case .encoder, .decoder:
            r.dim = r.input
            r.stack = try reader.positive(.layers, default: 1)
            r.heads = try reader.positive(.heads, default: 8)
            guard r.dim % r.heads == 0 else {
                throw LayerError(.heads, "\(r.heads) heads do not divide dim \(r.dim)")
            }
            r.kvHeads = r.heads
            r.headDim = r.dim / r.heads
            r.ff = try reader.optionalPositive(.ff)
            r.bias = try reader.flag(.bias, true)
            r.finalNorm = try reader.flag(.finalNorm, false)
            r.output = r.dim
        case .custom:
            switch fields[.params] {
            case nil: throw LayerError(.params, "is missing: give the layer's parameter count")
            case .int(let n)? where n >= 0: r.params = n
            case let v?: throw LayerError(.params, "must be a non-negative integer, got \(v)")
            }
            r.output = previousOutput ?? 0
            r.inputInherited = previousOutput != nil
        }
        return r
    }
}

/// Typed reads of a layer's fields with the error messages users see.
struct FieldReader {
    let kind: LayerKind
    let fields: FieldValues

    func checkKnownFields() throws(LayerError) {
        let allowed = Schema.allowedMasks[kind.ordinal]
        for e in fields.entries where e.field.bit & allowed == 0 {
            let allowed = Schema.fields(of: kind).map(\.name).joined(separator: ", ")
            throw LayerError(e.field, "is not a field of \(kind.rawValue) (allowed: \(allowed))")
        }
    }

    func positive(_ f: Field) throws(LayerError) -> Int {
        guard let v = try optionalPositive(f) else {
            throw LayerError(f, "is missing: \(kind.rawValue) needs \(f.rawValue) as a positive integer")
        }
        return v
    }

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

    func flag(_ f: Field, _ d: Bool) throws(LayerError) -> Bool {
        switch fields[f] {
        case nil: return d
        case .bool(let b)?: return b
        case let v?: throw LayerError(f, "must be true or false, got \(v)")
        }
    }
}
