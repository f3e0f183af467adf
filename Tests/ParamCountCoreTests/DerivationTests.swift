import ParamCountCore
import Testing

@Suite("derivations")
struct DerivationTests {
    func derivation(_ layer: Layer, _ convention: Convention) throws -> Derivation {
        try Counter.derivation(Model(convention: convention, layers: [layer]), layer: 0)
    }

    @Test func lstmAsOnTheBoard() throws {
        let d = try derivation(recurrent(.lstm, 128, 256), .textbook)
        #expect(d.lines == ["4 × [(h + i) × h + h] = 4 × [(256 + 128) × 256 + 256] = 394,240"])
        #expect(d.variables.map(\.symbol) == ["h", "i"])
    }

    // Brackets follow depth, as on a board: once the inner pair is gone the outer becomes ( ).
    @Test func stepsReduceOneLevelAtATime() throws {
        let d = try derivation(recurrent(.lstm, 128, 256), .textbook)
        let steps = d.steps.filter { $0.hasPrefix("=") || $0.hasPrefix("4") }
        #expect(steps == ["4 × [(h + i) × h + h]", "= 4 × [(256 + 128) × 256 + 256]", "= 4 × (384 × 256 + 256)",
                          "= 4 × (98,304 + 256)", "= 4 × 98,560", "= 394,240"])
    }

    @Test func pytorchLSTMExplainsTheSecondBias() throws {
        let d = try derivation(recurrent(.lstm, 128, 256), .pytorch)
        #expect(d.lines == ["4 × (i × h + h × h + 2h) = 4 × (128 × 256 + 256 × 256 + 2 × 256) = 395,264"])
        #expect(d.notes.contains { $0.contains("two bias vectors") })
    }

    @Test func convAsOnTheBoard() throws {
        let layer = Layer(.conv, [(.in, .int(3)), (.out, .int(64)), (.kernel, .int(3))])
        #expect(try derivation(layer, .textbook).lines == ["(f × f × i + 1) × o = (3 × 3 × 3 + 1) × 64 = 1,792"])
    }

    @Test func attentionAsOnTheBoard() throws {
        let layer = Layer(.attention, [(.dim, .int(512))])
        #expect(try derivation(layer, .textbook).lines == ["4 × (x² + x) = 4 × (512² + 512) = 1,050,624"])
    }

    @Test func multiPartLayersEndWithTheSum() throws {
        let layer = Layer(.encoder, [(.dim, .int(512)), (.layers, .int(6))])
        let d = try derivation(layer, .textbook)
        #expect(d.parts.map(\.label) == ["self-attention", "2 layer norms", "feed-forward"])
        #expect(d.lines.last == "total = 6,303,744 + 12,288 + 1,575,936 = 7,891,968")
        #expect(d.lines[1] == "2 layer norms: m × 2 × 2x = 6 × 2 × 2 × 512 = 12,288")
    }

    @Test func kerasBatchNormSplitsTrainable() throws {
        let d = try derivation(Layer(.batchnorm, [(.features, .int(64))]), .keras)
        #expect(d.trainable == 128 && d.nonTrainable == 128)
        #expect(d.lines[1].hasSuffix("(non-trainable)"))
    }

    @Test func derivationTotalsAgreeWithCounts() throws {
        // The same formulas feed both; check it holds across kinds and conventions.
        let layers: [Layer] = [
            Layer(.embedding, [(.vocab, .int(1000)), (.dim, .int(64))]),
            recurrent(.gru, 64, 32, layers: 3, bi: true),
            Layer(.attention, [(.heads, .int(4)), (.kvHeads, .int(2))]),
            Layer(.conv, [(.out, .int(16)), (.kernel, .ints([3, 5])), (.groups, .int(4))]),
            Layer(.decoder, [(.heads, .int(4)), (.finalNorm, .bool(true))]),
            Layer(.batchnorm), Layer(.layernorm, [(.bias, .bool(false))]), Layer(.rmsnorm),
            Layer(.custom, [(.params, .int(7))]), dense(nil, 3),
        ]
        for convention in Convention.allCases {
            let model = Model(convention: convention, layers: layers)
            let counts = try Counter.count(model)
            for i in layers.indices {
                let d = try Counter.derivation(model, layer: i)
                #expect(d.total == counts.layers[i].total, "layer \(i + 1) under \(convention)")
            }
        }
    }
}

@Suite("widths and validation")
struct ValidationTests {
    @Test func autoWidthsFollowTheLayerAbove() throws {
        let layers = [dense(784, 256), Layer(.custom, [(.params, .int(1000))]), Layer(.dense, [(.in, .auto), (.out, .int(10))])]
        // By hand: 784·256 + 256, then 1000 given, then 256·10 + 10 (custom keeps the width).
        #expect(try total(layers, .textbook) == 200_960 + 1_000 + 2_570)
    }

    @Test func firstLayerNeedsItsWidth() {
        let e = modelError { _ = try Counter.count(Model(layers: [Layer(.dense, [(.out, .int(3))])])) }
        #expect(e?.layer == 0 && e?.field == "in")
        #expect(e?.message.contains("first layer") == true)
        let auto = modelError { _ = try Counter.count(Model(layers: [Layer(.dense, [(.in, .auto), (.out, .int(3))])])) }
        #expect(auto?.message.contains("cannot be auto") == true)
    }

    @Test(arguments: [
        (Layer(.dense, [(.in, .int(4))]), "out", "missing"),
        (Layer(.dense, [(.in, .int(0)), (.out, .int(3))]), "in", "positive integer"),
        (Layer(.lstm, [(.in, .int(4)), (.hidden, .int(-5))]), "hidden", "positive integer"),
        (Layer(.attention, [(.dim, .int(10)), (.heads, .int(3))]), "heads", "do not divide"),
        (Layer(.attention, [(.dim, .int(12)), (.heads, .int(4)), (.kvHeads, .int(3))]), "kv_heads", "do not divide"),
        (Layer(.conv, [(.in, .int(6)), (.out, .int(8)), (.kernel, .int(3)), (.groups, .int(4))]), "groups", "do not divide 6"),
        (Layer(.conv, [(.in, .int(8)), (.out, .int(6)), (.kernel, .int(3)), (.groups, .int(4))]), "groups", "do not divide 6 output"),
        (Layer(.conv, [(.in, .int(8)), (.out, .int(6)), (.kernel, .ints([3, 3])), (.dims, .int(3))]), "kernel", "dims is 3"),
        (Layer(.encoder, [(.dim, .int(100)), (.heads, .int(8))]), "heads", "do not divide"),
        (Layer(.dense, [(.in, .int(4)), (.out, .bool(true))]), "out", "positive integer"),
        (Layer(.dense, [(.in, .int(4)), (.out, .int(2)), (.hidden, .int(3))]), "hidden", "not a field of dense"),
        (Layer(.custom, [(.params, .int(-1))]), "params", "non-negative"),
    ])
    func invalidLayers(_ layer: Layer, _ field: String, _ phrase: String) {
        let e = modelError { _ = try Counter.count(Model(layers: [layer])) }
        #expect(e?.field == field)
        #expect(e?.message.contains(phrase) == true, "\(e?.message ?? "no error")")
    }

    @Test func overflowIsAnErrorNamingTheLayer() {
        let huge = Layer(.dense, name: "huge", [(.in, .int(1 << 62)), (.out, .int(4))])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(3, 4), huge])) }
        #expect(e?.layer == 1 && e?.layerName == "huge")
        #expect(e?.message.contains("64 bits") == true)
        #expect(e?.description.hasPrefix("layer 2 (\"huge\")") == true)
    }

    @Test func overflowInEveryKind() {
        let big = Int.max
        let layers: [Layer] = [
            Layer(.embedding, [(.vocab, .int(big)), (.dim, .int(2))]),
            recurrent(.lstm, big, 2),
            Layer(.attention, [(.dim, .int(1 << 32)), (.heads, .int(1))]),
            Layer(.conv, [(.in, .int(1 << 40)), (.out, .int(1 << 30)), (.kernel, .int(3))]),
            Layer(.encoder, [(.dim, .int(1 << 40)), (.heads, .int(1))]),
            Layer(.layernorm, [(.dim, .int(big))]),
            Layer(.batchnorm, [(.features, .int(big))]),
            Layer(.lstm, [(.in, .int(2)), (.hidden, .int(big)), (.bidirectional, .bool(true))]),
        ]
        for layer in layers {
            for convention in Convention.allCases {
                let e = modelError { _ = try Counter.count(Model(convention: convention, layers: [layer])) }
                #expect(e != nil, "\(layer.kind) under \(convention) should overflow")
            }
        }
    }

    @Test func totalOverflowAcrossLayers() {
        let half = Layer(.custom, [(.params, .int(Int.max / 2 + 1))])
        let e = modelError { _ = try Counter.count(Model(layers: [half, half])) }
        #expect(e?.layer == 1)
    }

    @Test func maximumThatFits() throws {
        #expect(try count(Layer(.custom, [(.params, .int(Int.max))]), .textbook).0 == Int.max)
    }

    @Test func namesAreEscapedInMessages() {
        let e = ModelError(layer: 0, layerName: "evil\u{1B}[2Jname", field: "in", "bad")
        #expect(!e.description.contains("\u{1B}"))
        #expect(e.description.contains("evil\\e[2Jname"))
    }
}

@Suite("formatting")
struct FormatTests {
    @Test func grouping() {
        #expect(Format.grouped(0) == "0")
        #expect(Format.grouped(394_240) == "394,240")
        #expect(Format.grouped(Int.max) == "9,223,372,036,854,775,807")
        #expect(Format.grouped(-1_000) == "-1,000")
    }
    @Test func human() {
        #expect(Format.human(950) == "950")
        #expect(Format.human(1_234) == "1.2K")
        #expect(Format.human(109_482_240) == "109.5M")
        #expect(Format.human(7_000_000_000) == "7.0B")
        #expect(Format.human(999_999) == "1.0M")
    }
    @Test func memory() {
        #expect(Format.bytes(DType.fp32.bytes(forParams: 109_482_240)) == "417.6 MiB")
        #expect(DType.int4.bytes(forParams: 3) == 2)
        #expect(Format.bytes(DType.fp32.bytes(forParams: Int.max)).hasSuffix("EiB"))
    }
}

@Suite("incremental recount")
struct RecountTests {
    /// Every kind, widths inherited down the chain, so an edit ripples until widths settle.
    static let model = Model(convention: .keras, layers: [
        Layer(.embedding, [(.vocab, .int(500)), (.dim, .int(64))]),
        Layer(.lstm, [(.hidden, .int(32)), (.bidirectional, .bool(true))]),
        Layer(.dense, [(.out, .int(64))]),
        Layer(.layernorm), Layer(.attention, [(.heads, .int(4))]), Layer(.batchnorm),
        Layer(.conv, [(.out, .int(64)), (.kernel, .int(3)), (.groups, .int(2))]),
        Layer(.encoder, [(.heads, .int(4))]), Layer(.custom, [(.params, .int(9))]), Layer(.rmsnorm),
        Layer(.dense, [(.out, .int(10))]),
    ])

    @Test func agreesWithAFullCountAfterAnyEdit() throws {
        let previous = try Counter.count(Self.model)
        var rng = SystemRandomNumberGenerator()
        let edits: [(Int, Field, FieldValue)] = [
            (1, .hidden, .int(16)), (1, .bidirectional, .bool(false)), (2, .out, .int(128)), (2, .in, .int(7)),
            (6, .kernel, .int(5)), (7, .ff, .int(100)), (8, .params, .int(0)), (10, .out, .int(1)), (0, .dim, .int(32)),
        ]
        for (i, field, value) in edits {
            var edited = Self.model
            let old = edited.layers[i]
            edited.layers[i].fields[field] = value
            if Bool.random(using: &rng) { edited.layers[i].trainable = false }
            let full = try Counter.count(edited)
            let incremental = try Counter.recount(edited, replacing: i, old: old, previous: previous)
            #expect(incremental == full, "layer \(i + 1) \(field)")
        }
    }

    @Test func reportsTheSameErrorsAsAFullCount() {
        var edited = Self.model
        let old = edited.layers[2]
        edited.layers[2].fields[.out] = .int(66)   // attention below: 4 heads do not divide 66
        let e = modelError { _ = try Counter.recount(edited, replacing: 2, old: old, previous: try Counter.count(Self.model)) }
        #expect(e?.layer == 4 && e?.field == "heads")
    }
}
