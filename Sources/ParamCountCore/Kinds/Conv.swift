/// A convolution in 1 to 3 spatial dimensions, plain or transposed, optionally grouped
/// (torch.nn.Conv1d/2d/3d and ConvTranspose*, keras.layers.Conv*D).
enum Conv: KindDefinition {
    /// Ordered so that the fields pack tightly: every layer's settings are copied while counting.
    struct Settings: Sendable, Equatable {
        var out: Int
        var groups: Int
        /// Kernel sizes per spatial dimension (1 to 3 of them).
        var kernel: Sizes
        var stride: Sizes
        var dilation: Sizes
        var outputPadding: Sizes
        var padding: Padding
        /// The file gave a list, so the form shows one.
        var kernelWasList: Bool
        var bias: Bool
        var transposed: Bool

        init(out: Int, kernel: Sizes, kernelWasList: Bool, groups: Int, bias: Bool, transposed: Bool, stride: Sizes,
             padding: Padding, dilation: Sizes, outputPadding: Sizes) {
            (self.out, self.groups, self.kernel, self.stride, self.dilation, self.outputPadding, self.padding) =
                (out, groups, kernel, stride, dilation, outputPadding, padding)
            (self.kernelWasList, self.bias, self.transposed) = (kernelWasList, bias, transposed)
        }
    }

    /// How much a convolution pads each side of each spatial dimension.
    enum Padding: Sendable, Equatable {
        case sizes(Sizes)
        /// `same`: the output keeps the input's size (stride 1 only; PyTorch pads an even kernel
        /// more on the right).
        case same
    }

    private static let same: Word = "same", valid: Word = "valid"

    static let kind = LayerKind.conv
    static let shortName = "conv"
    static let summary = "convolution 1-3 D"
    static let fields: [FieldSpec] = [
        .input(.in, "input channels"), .required(.out, "output channels"),
        FieldSpec(field: .kernel, type: .kernel, defaultValue: .required, meaning: "kernel size"),
        FieldSpec(field: .dims, type: .spatialDims, defaultValue: .derived("from the kernel, else 2"), meaning: "spatial dimensions"),
        .int(.groups, 1, "channel groups"), .flag(.bias, true, "bias vector"), .flag(.transposed, false, "transposed convolution"),
        FieldSpec(field: .stride, type: .sizes(zero: false, same: false), defaultValue: .value(.int(1)), meaning: "step between windows"),
        FieldSpec(field: .padding, type: .sizes(zero: true, same: true), defaultValue: .value(.int(0)), meaning: "zeros added on each side"),
        FieldSpec(field: .dilation, type: .sizes(zero: false, same: false), defaultValue: .value(.int(1)), meaning: "spacing of kernel taps"),
        FieldSpec(field: .outputPadding, type: .sizes(zero: true, same: false), defaultValue: .value(.int(0)),
                  meaning: "extra output size (transposed)"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let out = try f.positive(.out)
        // Not taken from the input shape: a shape typed wrong must not silently change the count.
        let dims = try f.optionalPositive(.dims)
        if let dims, !(1...3).contains(dims) { throw LayerError(.dims, "must be 1, 2 or 3, got \(dims)") }
        let kernel: Sizes
        var wasList = false
        switch f[.kernel] {
        case nil: throw LayerError(.kernel, "is missing: give a size like 3 or a list like [3, 3]")
        case .int(let k)?:
            guard k > 0 else { throw LayerError(.kernel, "must be a positive integer, got \(k)") }
            guard k <= Sizes.maxSize else { throw LayerError(.kernel, "must be at most \(Format.grouped(Sizes.maxSize)), got \(Format.grouped(k))") }
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
        let n = kernel.count
        let transposed = try f.flag(.transposed, false)
        let stride = try f.sizes(.stride, count: n, default: 1, least: 1)
        let dilation = try f.sizes(.dilation, count: n, default: 1, least: 1)
        let padding: Padding
        switch f[.padding] {
        case .option(let word)? where word == Self.same:
            if transposed { throw LayerError(.padding, "same is not allowed on a transposed convolution: give sizes") }
            if stride.contains(where: { $0 != 1 }) {
                throw LayerError(.padding, "same needs stride 1 (PyTorch does not pad strided convolutions to the same size)")
            }
            padding = .same
        case .option(let word)? where word == Self.valid: padding = .sizes(Sizes(repeating: 0, count: n))
        case .option(let word)?: throw LayerError(.padding, "must be sizes, same or valid; got \(word)")
        default: padding = .sizes(try f.sizes(.padding, count: n, default: 0, least: 0))
        }
        let outputPadding = try f.sizes(.outputPadding, count: n, default: 0, least: 0)
        if !transposed, f[.outputPadding] != nil, outputPadding.contains(where: { $0 != 0 }) {
            throw LayerError(.outputPadding, "only applies to a transposed convolution (set transposed: true or leave it out)")
        }
        for j in 0..<n where outputPadding[j] >= max(stride[j], dilation[j]) {
            throw LayerError(.outputPadding, "must be smaller than the stride or the dilation (\(max(stride[j], dilation[j]))), got \(outputPadding[j])")
        }
        let s = Settings(out: out, kernel: kernel, kernelWasList: wasList, groups: try f.positive(.groups, default: 1),
                         bias: try f.flag(.bias, true), transposed: transposed, stride: stride, padding: padding,
                         dilation: dilation, outputPadding: outputPadding)
        if r.input % s.groups != 0 {
            throw LayerError(.groups, "\(s.groups) groups do not divide \(r.input) input channels")
        }
        if s.out % s.groups != 0 {
            throw LayerError(.groups, "\(s.groups) groups do not divide \(s.out) output channels")
        }
        r.output = s.out
        return s
    }

    /// The kernel's sizes multiplied: `f · f` for a square kernel, `f₁ · f₂` for another.
    private static func kernelTerm<A>(_ sizes: Sizes) throws(CountOverflow) -> Term<A> {
        let same = sizes.allSatisfy { $0 == sizes[0] }
        let subscripts = ["₁", "₂", "₃"]
        var k: Term<A> = v(same ? "f" : "f₁", sizes[0], same ? "kernel size" : "kernel size, dimension 1")
        for (j, size) in sizes.enumerated().dropFirst() {
            k = try k * v(same ? "f" : "f" + subscripts[j], size, same ? "kernel size" : "kernel size, dimension \(j + 1)")
        }
        return k
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let k: Term<S.A> = try kernelTerm(s.kernel)
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

    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape {
        let n = s.kernel.count
        try Spatial.expect(input, dimensions: n, reader: "a \(n)-D convolution", field: s.kernelWasList ? .kernel : .dims)
        var out = [s.out]
        for j in 0..<n {
            let size = input[j + 1], k = s.kernel[j], st = s.stride[j], d = s.dilation[j]
            let o: Int
            if s.transposed {
                guard case .sizes(let p) = s.padding else { preconditionFailure("a transposed convolution has sizes of padding") }
                // (n − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1
                let grown: Int
                do {
                    grown = try Checked.add(try Checked.add(try Checked.mul(size - 1, st), try Checked.mul(d, k - 1)), s.outputPadding[j] + 1)
                } catch { throw LayerError(.stride, "the output size does not fit in 64 bits") }
                // Padding from a file can be any size: twice it may not fit, and then nothing is left.
                let (trimmed, over) = p[j].multipliedReportingOverflow(by: 2)
                guard !over else {
                    throw LayerError(.padding, "trims 2 × \(p[j]) from an output of \(grown) in dimension \(j + 1): reduce the padding")
                }
                o = grown - trimmed
            } else if case .sizes(let p) = s.padding {
                o = try Spatial.windows(size, kernel: k, stride: st, padding: p[j], dilation: d, field: .kernel, dimension: j, of: n)
            } else {
                o = size
            }
            guard o > 0 else {
                throw LayerError(.padding, "leaves an output size of \(o) in dimension \(j + 1) (input \(size)): reduce the padding or the stride")
            }
            out.append(o)
        }
        return Shape(out, layout: .channelsFirst)
    }

    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let k: Term<S.A> = try kernelTerm(s.kernel)
        let i: Term<S.A> = v("i", r.input, "input channels"), o: Term<S.A> = v("o", s.out, "output channels")
        if s.transposed {
            // FlopCounterMode counts a transposed convolution over its input positions.
            let og: Term<S.A> = s.groups == 1 ? o : v("o/g", s.out / s.groups, "output channels per group")
            let positions: Term<S.A> = try Spatial.positions(input.spatial, output: false)
            try sink.take(Part("multiply-adds", .conv, try positions * i * group(try k * og)))
        } else {
            let ig: Term<S.A> = s.groups == 1 ? i : v("i/g", r.input / s.groups, "input channels per group")
            let positions: Term<S.A> = try Spatial.positions(output.spatial, output: true)
            try sink.take(Part("multiply-adds", .conv, try positions * o * group(try k * ig)))
        }
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        let k = s.kernel.map(String.init).joined(separator: "×")
        let st = s.stride.allSatisfy({ $0 == 1 }) ? "" : " s" + Spatial.text(s.stride, separator: "×")
        return "\(r.input)→\(s.out) k\(k)" + st + (s.groups > 1 ? " g\(s.groups)" : "") + (s.transposed ? " T" : "")
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
        case .stride: return Spatial.text(s.stride)
        case .dilation: return Spatial.text(s.dilation)
        case .outputPadding: return Spatial.text(s.outputPadding)
        case .padding:
            if case .sizes(let p) = s.padding { return Spatial.text(p) }
            return "same"
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


/// Window arithmetic shared by convolutions and pooling, as PyTorch sizes its outputs.
enum Spatial {
    /// `3` when every size is 3, else `[2, 1]` (`separator` between them).
    static func text(_ sizes: Sizes, separator: String = ", ") -> String {
        guard let first = sizes.first else { return "" }
        if sizes.allSatisfy({ $0 == first }) { return String(first) }
        let inner = sizes.map(String.init).joined(separator: separator)
        return separator == ", " ? "[" + inner + "]" : inner
    }

    /// Checks that `shape` is channels first with `dimensions` spatial sizes.
    static func expect(_ shape: Shape, dimensions: Int, reader: String, field: Field) throws(LayerError) {
        let wanted = ["[C, L]", "[C, H, W]", "[C, D, H, W]"][max(0, min(2, dimensions - 1))]
        guard shape.layout == .channelsFirst else {
            throw LayerError("\(reader) needs a channels-first shape \(wanted), got \(shape) (features last)")
        }
        guard shape.rank == dimensions + 1 else {
            throw LayerError(field, "\(reader) needs \(wanted), got \(shape)")
        }
    }

    /// How many windows fit: ⌊(n + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 (torch.nn.Conv2d, MaxPool2d).
    static func windows(_ n: Int, kernel k: Int, stride: Int, padding p: Int, dilation d: Int, field: Field,
                        dimension j: Int, of count: Int) throws(LayerError) -> Int {
        let padded: Int, span: Int
        do {
            padded = try Checked.add(n, try Checked.mul(2, p))
            span = try Checked.add(try Checked.mul(d, k - 1), 1)
        } catch { throw LayerError(field, "the window does not fit in 64 bits") }
        guard padded >= span else {
            let place = count > 1 ? " in dimension \(j + 1)" : ""
            throw LayerError(field, "spans \(span)\(d > 1 ? " (dilated)" : "") but the input is \(padded) wide\(place)"
                             + (p > 0 ? " with padding" : "") + ": use a smaller kernel or more padding")
        }
        return (padded - span) / stride + 1
    }

    /// The product of the spatial sizes as variables (`L`, `H · W`, `D · H · W`), primed for an output.
    static func positions<A>(_ sizes: [Int], output: Bool) throws(CountOverflow) -> Term<A> {
        let names = sizes.count == 1 ? ["L"] : sizes.count == 2 ? ["H", "W"] : ["D", "H", "W"]
        var t: Term<A>? = nil
        for (j, size) in sizes.enumerated() {
            let name = names[min(j, names.count - 1)] + (output ? "′" : "")
            let x: Term<A> = v(name, size, (output ? "output " : "input ") + ["length", "height", "width", "depth"][sizes.count == 1 ? 0 : sizes.count == 2 ? j + 1 : [3, 1, 2][j]])
            t = try t.map { (p) throws(CountOverflow) in try p * x } ?? x
        }
        return t ?? c(1)
    }
}
