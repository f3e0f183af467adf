/// The recurrent kinds. A simple RNN, a GRU and an LSTM share one formula, gates × one cell
/// (torch.nn.RNN/GRU/LSTM, keras.layers.SimpleRNN/GRU/LSTM); each kind below says what differs.
enum RNN: RecurrentKind {
    static let kind = LayerKind.rnn
    static let summary = "simple recurrent"
    static let gates = 1
    static func cellNote(bias: Bool) -> String {
        "An RNN cell has input weights i × h, recurrent weights h × h" + (bias ? " and a bias h." : ".")
    }
}

enum GRU: RecurrentKind {
    static let kind = LayerKind.gru
    static let summary = "gated recurrent unit"
    static let gates = 3
    static func cellNote(bias: Bool) -> String { "A GRU has 3 gates (reset, update, new); " + eachGate(bias: bias) }
}

enum LSTM: RecurrentKind {
    static let kind = LayerKind.lstm
    static let summary = "long short-term memory"
    static let gates = 4
    static func cellNote(bias: Bool) -> String { "An LSTM has 4 gates (input, forget, cell, output); " + eachGate(bias: bias) }
}

struct RecurrentSettings: Sendable, Equatable {
    var hidden: Int
    var stack: Int
    var bidirectional: Bool
    var bias: Bool
    var directions: Int { bidirectional ? 2 : 1 }
}

protocol RecurrentKind: KindDefinition where Settings == RecurrentSettings {
    /// How many copies of the cell's weights: 1 (RNN), 3 (GRU), 4 (LSTM).
    static var gates: Int { get }
    /// The first note: what one cell holds, with or without its bias.
    static func cellNote(bias: Bool) -> String
}

extension RecurrentKind {
    static var shortName: String { kind.rawValue }

    static func eachGate(bias: Bool) -> String {
        "each gate has input weights i × h" + (bias ? ", recurrent weights h × h and a bias h." : " and recurrent weights h × h.")
    }

    static var fields: [FieldSpec] { recurrentFields }

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        let s = Settings(hidden: try f.positive(.hidden), stack: try f.positive(.layers, default: 1),
                         bidirectional: try f.flag(.bidirectional, false), bias: try f.flag(.bias, true))
        do { r.output = try Checked.mul(s.hidden, s.directions) } catch {
            throw LayerError(.hidden, "is too large: twice it does not fit in 64 bits")
        }
        return s
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {
        let h: Term<S.A> = v("h", s.hidden, "hidden size")
        // One direction of one stacked layer whose input width is `x`.
        func cell(_ x: Term<S.A>) throws(CountOverflow) -> Term<S.A> {
            let body: Term<S.A>
            switch (convention, s.bias) {
            case (.textbook, true): body = try (h + x) * h + h
            case (.textbook, false): body = try (h + x) * h
            case (_, false): body = try x * h + h * h
            case (.pytorch, true): body = try x * h + h * h + c(2) * h
            case (.keras, true):
                // Keras' GRU keeps a second bias (reset_after=True); its LSTM and SimpleRNN one.
                body = gates == 3 ? try x * h + h * h + c(2) * h : try x * h + h * h + h
            }
            return gates == 1 ? body : try c(gates) * body
        }
        let d: Term<S.A> = v("d", 2, "directions")
        func directions(_ t: Term<S.A>) throws(CountOverflow) -> Term<S.A> { s.bidirectional ? try d * t : t }

        let first = try directions(cell(v("i", r.input, "input size")))
        guard s.stack > 1 else { return try sink.take(Part("weights and biases", .recurrent, first)) }
        try sink.take(Part("layer 1", .recurrent, first))
        let upperInput: Term<S.A> = s.bidirectional ? try d * h : h
        let rest: Term<S.A> = v("(L − 1)", s.stack - 1, "stacked layers after the first")
        try sink.take(Part(s.stack == 2 ? "layer 2" : "layers 2–\(s.stack)", .recurrent, try rest * directions(cell(upperInput))))
    }

    /// T · n · (i·h + h·h) per layer and direction: the input and recurrent matmuls of every gate at
    /// every step (what FlopCounterMode sees with oneDNN off), biases aside.
    static func macs<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ input: Shape, _ output: Shape,
                                  into sink: inout S) throws(CountOverflow) {
        let h: Term<S.A> = v("h", s.hidden, "hidden size")
        let d: Term<S.A> = v("d", 2, "directions")
        func layer(_ x: Term<S.A>) throws(CountOverflow) -> Term<S.A> {
            var t = try x * h + h * h
            if gates > 1 { t = try c(gates) * group(t) }
            if s.bidirectional { t = try d * group(t) }
            return try ShapeTerms.perPosition(input, t)
        }
        let first = try layer(v("i", r.input, "input size"))
        guard s.stack > 1 else { return try sink.take(Part("matmuls", .recurrent, first)) }
        try sink.take(Part("layer 1", .recurrent, first))
        let rest: Term<S.A> = v("(L − 1)", s.stack - 1, "stacked layers after the first")
        try sink.take(Part(s.stack == 2 ? "layer 2" : "layers 2–\(s.stack)", .recurrent,
                           try rest * group(try layer(s.bidirectional ? try d * h : h))))
    }

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        var notes = [cellNote(bias: s.bias)]
        if convention == .pytorch && s.bias {
            notes.append(gates == 1
                ? "PyTorch keeps two bias vectors (b_ih and b_hh), so it has h more than the board formula per direction and layer."
                : "PyTorch keeps two bias vectors per gate (b_ih and b_hh), so each gate has h more than the board formula: \(gates) × h extra per direction and layer.")
        }
        if convention == .keras && gates == 3 && s.bias {
            notes.append("Keras' GRU defaults to reset_after=True, which keeps a second bias vector per gate: 3 × h extra.")
        }
        if s.bidirectional { notes.append("Bidirectional runs a second, separate copy backwards: d = 2.") }
        if s.stack > 1 { notes.append("Stacked layers after the first take the previous layer's output (h × d) as input.") }
        return notes
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String {
        "\(r.input)→\(s.hidden)" + (s.stack > 1 ? " ×\(s.stack)" : "") + (s.bidirectional ? " bi" : "")
    }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? {
        switch field {
        case .in: return String(r.input)
        case .hidden: return String(s.hidden)
        case .layers: return String(s.stack)
        case .bidirectional: return String(s.bidirectional)
        case .bias: return String(s.bias)
        default: return nil
        }
    }

    static func newLayer(below width: Int) -> Layer { Layer(kind, [(.hidden, .int(128))]) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {
        // PyTorch's layout: weight_ih (gates·h × input) and weight_hh (gates·h × h) per layer and
        // direction; the upper layers take both directions' output.
        let rows = try Checked.mul(gates, s.hidden)
        let perLayer = try Checked.mul(times, s.directions)
        let upperInput = try Checked.mul(s.hidden, s.directions)
        for (input, layers) in [(r.input, 1), (upperInput, s.stack - 1)] where layers > 0 {
            let n = try Checked.mul(perLayer, layers)
            for width in [input, s.hidden] {
                try inventory.matrices.add(Matrix(role: .recurrent, dIn: width, dOut: rows, elements: try Checked.mul(rows, width),
                                                  factored: try Checked.add(rows, width), trainable: r.trainable), n)
            }
        }
    }

    static func wrap(_ s: Settings) -> KindSettings { .recurrent(s) }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .recurrent(let s) = k { return s } else { return nil } }
}

private let recurrentFields: [FieldSpec] = [
    .input(.in, "input size"), .required(.hidden, "hidden size"), .int(.layers, 1, "stacked layers"),
    .flag(.bidirectional, false, "run both directions"), .flag(.bias, true, "bias vectors"),
]
