/// Max or average pooling over windows, or adaptive pooling to a given output size
/// (torch.nn.MaxPool1d/2d/3d, AvgPool*, AdaptiveAvgPool*, AdaptiveMaxPool*). No parameters; it
/// changes the spatial sizes and passes the channels on. Without a kernel or an output it pools a
/// sequence [T, d] over its positions into [d]: the first one (BERT's [CLS] token, `x[:, 0]`), their
/// mean (sentence embeddings) or their maximum.
enum Pool: KindDefinition {
    enum Mode: String, Sendable, Equatable, CaseIterable { case max, avg, first }

    struct Settings: Sendable, Equatable {
        var mode: Mode
        /// nil for adaptive pooling.
        var kernel: Sizes?
        /// Given sizes, or nil for the kernel's (PyTorch's default stride).
        var stride: Sizes?
        var padding: Sizes
        /// Adaptive pooling's output sizes.
        var output: Sizes?
    }

    static let kind = LayerKind.pool
    static let shortName = "pool"
    static let summary = "max/avg/first pooling"
    /// Kept in a global of its own, as `Custom.categoryWords` is (LeakSanitizer).
    static let modeWords = Mode.allCases.map(\.rawValue)
    /// The modes as words, made once (a string per layer counted would allocate).
    private static let modes: [(word: Word, mode: Mode)] = Mode.allCases.map { (Word($0.rawValue)!, $0) }
    static let fields: [FieldSpec] = [
        FieldSpec(field: .mode, type: .choice(modeWords), defaultValue: .value(.option("max")),
                  meaning: "max, avg, or first (of a sequence)"),
        FieldSpec(field: .kernel, type: .kernel, defaultValue: .derived("none: adaptive (output) or over a sequence"), meaning: "window size"),
        FieldSpec(field: .stride, type: .sizes(zero: false, same: false), defaultValue: .derived("= kernel"), meaning: "step between windows"),
        FieldSpec(field: .padding, type: .sizes(zero: true, same: false), defaultValue: .value(.int(0)), meaning: "padding on each side"),
        FieldSpec(field: .output, type: .sizes(zero: false, same: false), defaultValue: .derived("none: not adaptive"),
                  meaning: "output size (adaptive pooling)"),
    ]

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let mode: Mode
        switch f[.mode] {
        case nil: mode = .max
        case .option(let w)?:
            guard let m = modes.first(where: { $0.word == w })?.mode else { throw LayerError(.mode, "must be max, avg or first, got \(w)") }
            mode = m
        case let v?: throw LayerError(.mode, "must be max, avg or first, got \(v)")
        }
        // The spatial dimensions: from a list, else from the shape read, else 2.
        var count = f.shape.map { $0.layout == .channelsFirst && $0.rank > 1 ? $0.rank - 1 : 2 } ?? 2
        for field in [Field.kernel, .stride, .padding, .output] { if case .ints(let xs)? = f[field] { count = xs.given; break } }
        let s: Settings
        if mode == .first, let field = [Field.kernel, .output].first(where: { f[$0] != nil }) {
            throw LayerError(field, "does not go with mode first, which takes a sequence's first position (BERT's [CLS] token): "
                             + "leave \(field.rawValue) out")
        }
        if f[.output] == nil && f[.kernel] == nil {
            // Over the positions of a sequence: no windows to place.
            for field in [Field.stride, .padding] where f[field] != nil {
                throw LayerError(field, "needs a kernel: without one a pool reads a whole sequence (leave \(field.rawValue) out)")
            }
            s = Settings(mode: mode, kernel: nil, stride: nil, padding: Sizes(repeating: 0, count: 1), output: nil)
        } else if f[.output] != nil {
            for field in [Field.kernel, .stride, .padding] where f[field] != nil {
                throw LayerError(field, "does not go with output: adaptive pooling picks its own windows (leave \(field.rawValue) out)")
            }
            s = Settings(mode: mode, kernel: nil, stride: nil, padding: Sizes(repeating: 0, count: count),
                         output: try f.sizes(.output, count: count, default: 1, least: 1))
        } else {
            let kernel = try f.sizes(.kernel, count: count, default: 1, least: 1)
            let padding = try f.sizes(.padding, count: count, default: 0, least: 0)
            // As a division: padding from a file can be any size, and twice it may not fit.
            for j in 0..<count where padding[j] > kernel[j] / 2 {
                throw LayerError(.padding, "must be at most half the kernel (\(kernel[j] / 2)), got \(padding[j])")
            }
            s = Settings(mode: mode, kernel: kernel, stride: f[.stride] == nil ? nil : try f.sizes(.stride, count: count, default: 1, least: 1),
                         padding: padding, output: nil)
        }
        // Channels pass through; at the top of a model there is nothing to pass on.
        r.output = f.received ?? 0
        r.inputInherited = f.received != nil
        r.passesNothing = f.received == nil
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {}

    /// Neither windows nor an output size: it reads a sequence and keeps one vector.
    static func overPositions(_ s: Settings) -> Bool { s.kernel == nil && s.output == nil }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        guard overPositions(s) else { return ["Pooling has no parameters; it changes the spatial size only."] }
        switch s.mode {
        case .first: return ["It keeps the first position of the sequence, as BERT's pooler reads the [CLS] token: no parameters."]
        case .avg: return ["It averages the sequence over its positions (mean pooling): no parameters."]
        case .max: return ["It keeps each feature's largest value over the positions: no parameters."]
        }
    }

    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape {
        if overPositions(s) {
            guard input.layout == .featuresLast else {
                throw LayerError(.kernel, "is missing: give the window size (kernel: 2) or output for adaptive pooling (without "
                                 + "either a pool reads a sequence [T, d]); it receives \(input)")
            }
            guard input.rank >= 2 else { throw LayerError("pools a sequence [T, d] over its positions, but it receives \(input)") }
            var dims = input.dims
            dims.remove(at: dims.count - 2)
            return Shape(dims, layout: .featuresLast)
        }
        let n = (s.kernel ?? s.output)?.count ?? 2
        try Spatial.expect(input, dimensions: n, reader: "\(n)-D pooling", field: s.output == nil ? .kernel : .output)
        var out = [input.width]
        for j in 0..<n {
            if let o = s.output { out.append(o[j]); continue }
            let k = s.kernel![j]
            out.append(try Spatial.windows(input[j + 1], kernel: k, stride: s.stride?[j] ?? k, padding: s.padding[j], dilation: 1,
                                           field: .kernel, dimension: j, of: n))
        }
        return Shape(out, layout: .channelsFirst)
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        if overPositions(s) { return s.mode == .first ? "first position" : "\(s.mode.rawValue) over positions" }
        if let o = s.output { return "\(s.mode.rawValue) → " + Spatial.text(o, separator: "×") }
        let k = s.kernel.map { Spatial.text($0, separator: "×") } ?? ""
        let st = s.stride.map { " s" + Spatial.text($0, separator: "×") } ?? ""
        return "\(s.mode.rawValue) k\(k)" + st
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .mode: return s.mode.rawValue
        case .kernel: return s.kernel.map { Spatial.text($0) } ?? (s.output == nil ? "none" : "adaptive")
        case .stride: return (s.stride ?? s.kernel).map { Spatial.text($0) } ?? (s.output == nil ? "none" : "adaptive")
        case .padding: return Spatial.text(s.padding)
        case .output: return s.output.map { Spatial.text($0) } ?? "none"
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(.pool, [(.mode, .option("max")), (.kernel, .int(2))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .pool(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .pool(let s) = k { return s } else { return nil } }
}
