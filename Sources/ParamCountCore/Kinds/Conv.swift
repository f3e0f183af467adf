/// A convolution in 1 to 3 spatial dimensions, plain or transposed, optionally grouped
/// (torch.nn.Conv1d/2d/3d and ConvTranspose*, keras.layers.Conv*D).
enum Conv: KindDefinition {
    struct Settings: Sendable, Equatable {
        var out: Int
        /// Kernel sizes per spatial dimension (1 to 3 of them).
        var kernel: Sizes
        /// The file gave a list, so the form shows one.
        var kernelWasList: Bool
        var groups: Int
        var bias: Bool
        var transposed: Bool
    }

    static let kind = LayerKind.conv
    static let shortName = "conv"
    static let summary = "convolution 1-3 D"
    static let fields: [FieldSpec] = [
        .input(.in, "input channels"), .required(.out, "output channels"),
        FieldSpec(field: .kernel, type: .kernel, defaultValue: .required, meaning: "kernel size"),
        FieldSpec(field: .dims, type: .spatialDims, defaultValue: .derived("from the kernel, else 2"), meaning: "spatial dimensions"),
        .int(.groups, 1, "channel groups"), .flag(.bias, true, "bias vector"), .flag(.transposed, false, "transposed convolution"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let out = try f.positive(.out)
        let dims = try f.optionalPositive(.dims)
        if let dims, !(1...3).contains(dims) { throw LayerError(.dims, "must be 1, 2 or 3, got \(dims)") }
        let kernel: Sizes
        var wasList = false
        switch f[.kernel] {
        case nil: throw LayerError(.kernel, "is missing: give a size like 3 or a list like [3, 3]")
        case .int(let k)?:
            guard k > 0 else { throw LayerError(.kernel, "must be a positive integer, got \(k)") }
            kernel = Sizes(repeating: k, count: dims ?? 2)
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
            kernel = ks
            wasList = true
        case let v?: throw LayerError(.kernel, "must be an integer or a list of integers, got \(v)")
        }
        let s = Settings(out: out, kernel: kernel, kernelWasList: wasList, groups: try f.positive(.groups, default: 1),
                         bias: try f.flag(.bias, true), transposed: try f.flag(.transposed, false))
        if r.input % s.groups != 0 {
            throw LayerError(.groups, "\(s.groups) groups do not divide \(r.input) input channels")
        }
        if s.out % s.groups != 0 {
            throw LayerError(.groups, "\(s.groups) groups do not divide \(s.out) output channels")
        }
        r.output = s.out
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let sizes = s.kernel
        let same = sizes.allSatisfy { $0 == sizes[0] }
        let subscripts = ["₁", "₂", "₃"]
        var k: Term<S.A> = v(same ? "f" : "f₁", sizes[0], same ? "kernel size" : "kernel size, dimension 1")
        for (j, size) in sizes.enumerated().dropFirst() {
            k = try k * v(same ? "f" : "f" + subscripts[j], size, same ? "kernel size" : "kernel size, dimension \(j + 1)")
        }
        let i: Term<S.A> = v("i", r.input, "input channels"), o: Term<S.A> = v("o", s.out, "output channels")
        let label = s.bias ? "weights and bias" : "weights"
        if s.transposed {
            let og: Term<S.A> = s.groups == 1 ? o : v("o/g", s.out / s.groups, "output channels per group")
            try sink.take(Part(label, .conv, s.bias ? try k * i * og + o : try k * i * og))
        } else {
            let ig: Term<S.A> = s.groups == 1 ? i : v("i/g", r.input / s.groups, "input channels per group")
            try sink.take(Part(label, .conv, s.bias ? try (k * ig + c(1)) * o : try k * ig * o))
        }
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] { [] }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        let k = s.kernel.map(String.init).joined(separator: "×")
        return "\(r.input)→\(s.out) k\(k)" + (s.groups > 1 ? " g\(s.groups)" : "") + (s.transposed ? " T" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .in: return String(r.input)
        case .out: return String(s.out)
        case .kernel:
            let k = s.kernel
            return k.count > 1 && !k.dropFirst().allSatisfy({ $0 == k[0] }) || s.kernelWasList
                ? "[" + k.map(String.init).joined(separator: ", ") + "]" : String(k.first ?? 0)
        case .dims: return String(s.kernel.count)
        case .groups: return String(s.groups)
        case .bias: return String(s.bias)
        case .transposed: return String(s.transposed)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.conv, [(.out, .int(max(1, width))), (.kernel, .int(3))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        // PyTorch's weight: (out, in/groups, k…), transposed (in, out/groups, k…). Adafactor keeps
        // the product of all but the last dimension and of all but the one before it.
        let first = s.transposed ? r.input : s.out
        let second = s.transposed ? s.out / s.groups : r.input / s.groups
        let shape = [first, second] + Array(s.kernel)
        var elements = 1
        for n in shape { elements = try Checked.mul(elements, n) }
        var rows = 1, cols = 1
        for n in shape.dropLast() { rows = try Checked.mul(rows, n) }
        for n in shape.dropLast(2) { cols = try Checked.mul(cols, n) }
        cols = try Checked.mul(cols, shape[shape.count - 1])
        try inventory.matrices.add(Matrix(role: .conv, dIn: second, dOut: first, elements: elements,
                                          factored: try Checked.add(rows, cols), trainable: r.trainable), times)
    }

    static func wrap(_ s: Settings) -> KindSettings { .conv(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .conv(let s) = k { return s } else { return nil } }
}
