import ParamCountCore
import Testing

// Shapes that cannot flow through a model, each a located error, never a trap. Where PyTorch has
// an opinion the test says what it does: scripts/reference/shape_tests_reference.py (torch 2.15.0)
// builds the same modules and prints their output shapes, parameters and FlopCounterMode/2, and
// checks that torch refuses the settings reported here as errors. Output sizes follow the formulas
// torch.nn.Conv2d, ConvTranspose2d and MaxPool2d document.

func conv(_ i: Int?, _ o: Int, _ k: FieldValue, _ more: [(Field, FieldValue)] = [], name: String? = nil) -> Layer {
    var f: [(Field, FieldValue)] = [(.out, .int(o)), (.kernel, k)] + more
    if let i { f.insert((.in, .int(i)), at: 0) }
    return Layer(.conv, name: name, f)
}

func shapeError(_ model: Model) -> ModelError? {
    modelError { _ = try Counter.count(model) }
}

@Suite("shape errors")
struct ShapeErrorTests {
    /// Conv2d(3, 8, 7, padding=1) on 4×4: torch refuses ("Kernel size can't be greater than actual
    /// input size"), the padded input being 4 + 2·1 = 6.
    @Test func aKernelLargerThanThePaddedInput() {
        let e = shapeError(Model(input: [3, 4, 4], layers: [conv(nil, 8, .int(7), [(.padding, .int(1))], name: "c")]))
        #expect(e?.path == .top(0) && e?.field == "kernel" && e?.layerName == "c")
        #expect(e?.message.contains("spans 7") == true && e?.message.contains("is 6 wide in dimension 1 with padding") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("smaller kernel or more padding") == true)
        // Conv2d(3, 8, 3, dilation=3) on 6×6: the taps span 3·2 + 1 = 7.
        let d = shapeError(Model(input: [3, 6, 6], layers: [conv(nil, 8, .int(3), [(.dilation, .int(3))])]))
        #expect(d?.field == "kernel" && d?.message.contains("spans 7 (dilated)") == true, "\(d?.message ?? "")")
    }

    /// ConvTranspose2d(4, 4, 3, padding=2) on 2×2: (2 − 1)·1 − 2·2 + 1·(3 − 1) + 0 + 1 = 0; torch
    /// refuses ("Output size is too small").
    @Test func aTransposedConvWithAnOutputOfZero() {
        let e = shapeError(Model(input: [4, 2, 2], layers: [
            conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.padding, .int(2))]),
        ]))
        #expect(e?.path == .top(0) && e?.field == "padding")
        #expect(e?.message.contains("output size of 0") == true && e?.message.contains("reduce the padding") == true,
                "\(e?.message ?? "")")
        // Padding 3: −2.
        let neg = shapeError(Model(input: [4, 2, 2], layers: [
            conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.padding, .int(3))]),
        ]))
        #expect(neg?.field == "padding" && neg?.message.contains("output size of -2") == true, "\(neg?.message ?? "")")
    }

    @Test func aFlattenWithoutAnInputShape() {
        let e = shapeError(Model(layers: [dense(4, 8), Layer(.flatten, name: "flat"), dense(nil, 2)]))
        #expect(e?.path == .top(1) && e?.layerName == "flat" && e?.field == nil)
        #expect(e?.message.contains("no shape to flatten") == true && e?.message.contains("input: [3, 224, 224]") == true,
                "\(e?.message ?? "")")
    }

    @Test func aDenseLayerOnASpatialShapeSaysFlattenFirst() {
        let e = shapeError(Model(input: [3, 8, 8], layers: [conv(nil, 4, .int(3)), dense(nil, 10)]))
        #expect(e?.path == .top(1))
        #expect(e?.message.contains("flatten first") == true && e?.message.contains("[4, 6, 6]") == true, "\(e?.message ?? "")")
        // The same after a pool, and for other last-dimension kinds.
        let norm = shapeError(Model(input: [3, 8, 8], layers: [conv(nil, 4, .int(3)), Layer(.layernorm)]))
        #expect(norm?.path == .top(1) && norm?.message.contains("flatten first") == true)
    }

    @Test(arguments: [[3, 0, 224], [3, -1, 224], [0], [-5]])
    func anInputSizeThatIsNotPositive(_ dims: [Int]) {
        let e = shapeError(Model(input: dims, layers: [dense(nil, 4)]))
        #expect(e?.field == "input" && e?.path == nil && e?.layer == nil)
        #expect(e?.message.contains("must be positive") == true && e?.message.contains("got \(dims.first { $0 <= 0 }!)") == true,
                "\(e?.message ?? "")")
        #expect(Model(input: dims, layers: [dense(nil, 4)]).inputShape == nil)
    }

    @Test(arguments: [[], [1, 3, 8, 8, 8]])
    func anInputWithTooFewOrTooManySizes(_ dims: [Int]) {
        let e = shapeError(Model(input: dims, layers: [conv(3, 4, .int(1))]))
        #expect(e?.field == "input" && e?.path == nil)
        #expect(e?.message.contains("has \(dims.count) sizes") == true && e?.message.contains("give 1 to 4") == true,
                "\(e?.message ?? "")")
        #expect(e?.message.contains("[C, H, W]") == true)
    }

    /// Conv2d(4, 8, 3) on [3, 32, 32]: torch refuses (expected 4 channels, got 3).
    @Test func anExplicitWidthThatDisagreesWithTheShape() {
        let e = shapeError(Model(input: [3, 32, 32], layers: [conv(4, 8, .int(3))]))
        #expect(e?.path == .top(0) && e?.field == "in")
        #expect(e?.message.contains("is 4, but the layer above gives [3, 32, 32], 3 wide") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("leave in out (auto)") == true)
        // After a flatten of [2, 3, 3] the width is 18.
        let d = shapeError(Model(input: [2, 3, 3], layers: [Layer(.flatten), dense(20, 5)]))
        #expect(d?.path == .top(1) && d?.field == "in" && d?.message.contains("[18], 18 wide") == true, "\(d?.message ?? "")")
        // The width the shape gives is accepted when written out.
        #expect(throws: Never.self) { try Counter.count(Model(input: [2, 3, 3], layers: [Layer(.flatten), dense(18, 5)])) }
    }

    @Test func anEmbeddingReadsTokenIdsOnly() {
        let e = shapeError(Model(input: [16, 8], layers: [Layer(.embedding, [(.vocab, .int(100)), (.dim, .int(4))])]))
        #expect(e?.path == .top(0))
        #expect(e?.message.contains("reads token ids, a shape like [T]") == true && e?.message.contains("[16, 8]") == true,
                "\(e?.message ?? "")")
    }

    @Test func aConvOnAFeaturesLastShape() {
        let model = Model(input: [16], layers: [Layer(.embedding, [(.vocab, .int(100)), (.dim, .int(4))]), conv(nil, 8, .int(3))])
        let e = shapeError(model)
        #expect(e?.path == .top(1))
        #expect(e?.message.contains("needs a channels-first shape [C, H, W], got [16, 4] (features last)") == true,
                "\(e?.message ?? "")")
    }

    /// A 3-D kernel on [3, 32, 32]; torch's Conv3d refuses the 2-D image.
    @Test func aKernelListWhoseLengthIsNotTheShapesRank() {
        let e = shapeError(Model(input: [3, 32, 32], layers: [conv(nil, 8, .ints([3, 3, 3]))]))
        #expect(e?.path == .top(0) && e?.field == "kernel")
        #expect(e?.message.contains("a 3-D convolution needs [C, D, H, W], got [3, 32, 32]") == true, "\(e?.message ?? "")")
        // An explicit dims that disagrees is reported on dims.
        let d = shapeError(Model(input: [3, 32, 32], layers: [conv(nil, 8, .int(3), [(.dims, .int(1))])]))
        #expect(d?.field == "dims" && d?.message.contains("a 1-D convolution needs [C, L], got [3, 32, 32]") == true,
                "\(d?.message ?? "")")
    }

    /// torch: "The size of tensor a (8) must match the size of tensor b (16)" for the sum, and "Sizes
    /// of tensors must match except in dimension 1" for the concatenation.
    @Test func parallelBranchesThatDoNotMerge() {
        let add = Layer.parallel(name: "res", [[conv(nil, 8, .int(3), [(.stride, .int(2)), (.padding, .int(1))])], []])
        let e = shapeError(Model(input: [8, 16, 16], layers: [add]))
        #expect(e?.path == .top(0) && e?.field == "merge" && e?.layerName == "res")
        #expect(e?.message.contains("branch 0 ends at [8, 8, 8], branch 1 at [8, 16, 16]") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("every branch must end at the same shape") == true)

        let cat = Layer.parallel(concat: true, [[conv(nil, 4, .int(3), [(.padding, .int(1))])], [conv(nil, 4, .int(3))]])
        let c = shapeError(Model(input: [8, 16, 16], layers: [cat]))
        #expect(c?.path == .top(0) && c?.field == "merge")
        #expect(c?.message.contains("[4, 16, 16]") == true && c?.message.contains("[4, 14, 14]") == true, "\(c?.message ?? "")")
        #expect(c?.message.contains("every size but the channels must match") == true)

        // Token shapes join on the last size; the sequence lengths must agree.
        let tokens = Layer.parallel(concat: true, [[dense(nil, 4)], [Layer(.flatten)]])
        let t = shapeError(Model(input: [5, 6], layers: [tokens]))
        #expect(t?.field == "merge" && t?.message.contains("same number of sizes") == true, "\(t?.message ?? "")")
        // A parallel that merges is fine: [8, 16, 16] + [8, 16, 16], and [4, 16, 16] ++ [6, 16, 16] = [10, 16, 16].
        let fine = Layer.parallel(concat: true, [[conv(nil, 4, .int(3), [(.padding, .int(1))])], [conv(nil, 6, .int(1))]])
        #expect((try? Counter.count(Model(input: [8, 16, 16], layers: [fine])))?.outputShape?.dims == [10, 16, 16])
    }

    /// torch: "padding='same' is not supported for strided convolutions".
    @Test func samePaddingNeedsStrideOne() {
        let e = shapeError(Model(input: [3, 8, 8], layers: [conv(nil, 8, .int(3), [(.stride, .int(2)), (.padding, .option("same"))])]))
        #expect(e?.path == .top(0) && e?.field == "padding" && e?.message.contains("same needs stride 1") == true, "\(e?.message ?? "")")
        // Without a shape too: it is a rule of the layer.
        let noShape = shapeError(Model(layers: [conv(3, 8, .int(3), [(.stride, .ints([1, 2])), (.padding, .option("same"))])]))
        #expect(noShape?.field == "padding")
    }

    /// torch: "output padding must be smaller than either stride or dilation".
    @Test func outputPaddingRules() {
        let plain = shapeError(Model(layers: [conv(3, 8, .int(3), [(.stride, .int(2)), (.outputPadding, .int(1))])]))
        #expect(plain?.path == .top(0) && plain?.field == "output_padding")
        #expect(plain?.message.contains("only applies to a transposed convolution") == true, "\(plain?.message ?? "")")
        let big = shapeError(Model(layers: [conv(4, 4, .int(3), [(.transposed, .bool(true)), (.stride, .int(2)), (.outputPadding, .int(2))])]))
        #expect(big?.field == "output_padding" && big?.message.contains("smaller than the stride or the dilation (2), got 2") == true,
                "\(big?.message ?? "")")
    }

    /// torch: "pad should be at most half of effective kernel size".
    @Test func poolPaddingOverHalfTheKernel() {
        let e = shapeError(Model(input: [8, 8, 8], layers: [Layer(.pool, [(.kernel, .int(3)), (.padding, .int(2))])]))
        #expect(e?.path == .top(0) && e?.field == "padding")
        #expect(e?.message.contains("at most half the kernel (1), got 2") == true, "\(e?.message ?? "")")
    }

    @Test func adaptivePoolingTakesNoKernel() {
        let e = shapeError(Model(input: [8, 8, 8], layers: [Layer(.pool, [(.output, .int(1)), (.kernel, .int(2))])]))
        #expect(e?.path == .top(0) && e?.field == "kernel" && e?.message.contains("does not go with output") == true, "\(e?.message ?? "")")
        let missing = shapeError(Model(input: [8, 8, 8], layers: [Layer(.pool, [(.mode, .option("avg"))])]))
        #expect(missing?.field == "kernel" && missing?.message.contains("or output for adaptive pooling") == true)
    }

    /// ConvTranspose1d(4, 4, 2) lengthens its input by one (8 → 9 in torch): repeated, the shape never settles.
    @Test func aGroupWhoseShapeNeverSettles() {
        let grow = Layer.group(name: "grow", repeat: 5_000, [conv(nil, 4, .int(2), [(.dims, .int(1)), (.transposed, .bool(true))])])
        let e = shapeError(Model(input: [4, 8], layers: [conv(nil, 4, .int(1), [(.dims, .int(1))]), grow]))
        #expect(e?.path == .top(1) && e?.field == "repeat" && e?.layerName == "grow")
        #expect(e?.message.contains("shape still changes after 1,000 repetitions") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("[4, 1007] → [4, 1008]") == true, "\(e?.message ?? "")")
        // A few repetitions are fine: 8 + 3 = 11.
        let three = Layer.group(repeat: 3, [conv(nil, 4, .int(2), [(.dims, .int(1)), (.transposed, .bool(true))])])
        #expect((try? Counter.count(Model(input: [4, 8], layers: [three])))?.outputShape?.dims == [4, 11])
    }

    /// Conv2d(4, 4, 3) four times takes 9×9 to 1×1 (torch: [4, 1, 1], 12,096 MACs); a fifth is refused.
    @Test func aGroupThatShrinksToAnErrorNamesTheRepetition() throws {
        let four = Model(input: [4, 9, 9], layers: [.group(repeat: 4, [conv(nil, 4, .int(3))])])
        let c = try Counter.count(four)
        #expect(c.outputShape?.dims == [4, 1, 1] && c.macs == 12_096 && c.total == 592)
        let five = Model(input: [4, 9, 9], layers: [.group(name: "shrink", repeat: 6, [conv(nil, 4, .int(3), name: "c")])])
        let e = shapeError(five)
        #expect(e?.path == LayerPath([.layer(0), .layer(0)]) && e?.field == "kernel" && e?.layerName == "c")
        #expect(e?.message.contains("in repetition 5 of 6") == true && e?.message.contains("reads a shape of [4, 1, 1]") == true,
                "\(e?.message ?? "")")
    }

    /// 2³¹ × 2³¹ positions × 64 channels × 27 overflows 64 bits: an error, not a trap.
    @Test func multiplyAccumulatesThatOverflow() {
        let n = 1 << 31
        let model = Model(input: [1, n, n], layers: [conv(nil, 64, .int(3), [(.padding, .int(1))], name: "big")])
        let e = shapeError(model)
        #expect(e?.path == .top(0) && e?.layerName == "big")
        #expect(e?.message.contains("multiply-accumulates do not fit in 64 bits") == true, "\(e?.message ?? "")")
        let d = modelError { _ = try Counter.derivation(model, layer: 0) }
        #expect(d?.message.contains("64 bits") == true)
        // Each layer fits, their sum does not: 2 × 2⁶² (Conv2d(1, 1, 1) without bias on 2³¹ × 2³¹).
        let one = conv(nil, 1, .int(1), [(.bias, .bool(false))])
        let sum = shapeError(Model(input: [1, n, n], layers: [one, one]))
        #expect(sum?.message.contains("multiply-accumulates do not fit in 64 bits") == true, "\(sum?.message ?? "")")
        // Two branches that each fit, joined.
        let both = shapeError(Model(input: [1, n, n], layers: [.parallel(concat: true, [[one], [one]])]))
        #expect(both?.message.contains("multiply-accumulates do not fit in 64 bits") == true && both?.path == .top(0),
                "\(both?.message ?? "")")
        // And a group repeating one that fits.
        let rep = shapeError(Model(input: [1, n, n], layers: [.group(repeat: 4, [one])]))
        #expect(rep?.message.contains("multiply-accumulates do not fit in 64 bits") == true && rep?.path?.topIndex == 0,
                "\(rep?.message ?? "")")
    }

    @Test func flatteningAHugeShape() {
        let n = 1 << 31
        let e = shapeError(Model(input: [4, n, n], layers: [Layer(.flatten, name: "flat"), dense(nil, 2)]))
        #expect(e?.path == .top(0) && e?.layerName == "flat")
        #expect(e?.message.contains("flattens [4, 2147483648, 2147483648] into more than 2⁶³ values") == true, "\(e?.message ?? "")")
        // 2⁶² values flatten, but a dense layer reading them overflows its count.
        let wide = shapeError(Model(input: [1, n, n], layers: [Layer(.flatten), dense(nil, 4)]))
        #expect(wide?.path == .top(1) && wide?.message.contains("64 bits") == true, "\(wide?.message ?? "")")
    }

    /// Sizes near 2⁶³ are errors on the field that holds them: a size is at most 2³² − 1.
    @Test func hugePaddingAndStrides() {
        let big = Int.max / 2 + 1
        for (layer, field) in [
            (conv(nil, 4, .int(3), [(.padding, .int(big))]), "padding"),
            (conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.padding, .int(big))]), "padding"),
            (conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.stride, .int(big))]), "stride"),
            (conv(nil, 4, .int(3), [(.dilation, .int(big))]), "dilation"),
            (Layer(.pool, [(.kernel, .int(3)), (.padding, .int(big))]), "padding"),
            (Layer(.pool, [(.kernel, .int(Int.max)), (.stride, .int(big))]), "kernel"),
        ] {
            let e = shapeError(Model(input: [4, 8, 8], layers: [layer]))
            #expect(e?.path == .top(0) && e?.field == field, "\(layer.fields): \(e?.description ?? "")")
            #expect(e?.message.contains("at most 4,294,967,295") == true, "\(e?.description ?? "")")
        }
    }
}

@Suite("shapes")
struct ShapeTests {
    /// A pool without kernel or output reads a sequence: x[:, 0] (first), x.mean(1) (avg) and
    /// x.amax(1) (max) of a [1, T, d] tensor are [1, d] in PyTorch; none has parameters or MACs.
    @Test func aPoolWithoutWindowsPoolsASequence() throws {
        for mode in ["first", "avg", "max"] {
            let model = Model(convention: .pytorch, input: [10], layers: [
                Layer(.embedding, [(.vocab, .int(100)), (.dim, .int(16))]),
                Layer(.pool, [(.mode, .option(Word(mode)!))]),
                Layer(.dense, [(.out, .int(4))]),
            ])
            let c = try Counter.count(model)
            #expect(c.layers[1].shapes?.output.dims == [16], "\(mode)")
            #expect(c.layers[1].shapes?.macs == 0)
            // Linear(16, 4) on one vector: 64 MACs, where at every position it would be 640.
            #expect(c.layers[2].shapes?.macs == 64)
            #expect(c.total == 100 * 16 + 16 * 4 + 4)
        }
        // A model that starts by pooling reads its input as a sequence: [10, 16] → [16] → Linear(16, 4).
        let first = try Counter.count(Model(convention: .pytorch, input: [10, 16], layers: [
            Layer(.pool, [(.mode, .option("avg"))]), Layer(.dense, [(.out, .int(4))]),
        ]))
        #expect(first.layers[0].shapes?.output.dims == [16] && first.macs == 64)
        // Windows belong to channels-first shapes; first belongs to sequences.
        let image = shapeError(Model(input: [3, 8, 8], layers: [Layer(.pool, [(.mode, .option("avg"))])]))
        #expect(image?.field == "kernel" && image?.message.contains("reads a sequence [T, d]") == true, "\(image?.description ?? "")")
        let windowed = shapeError(Model(input: [3, 8, 8], layers: [Layer(.pool, [(.mode, .option("first")), (.kernel, .int(2))])]))
        #expect(windowed?.field == "kernel" && windowed?.message.contains("does not go with mode first") == true)
        let strided = shapeError(Model(input: [10, 4], layers: [Layer(.pool, [(.stride, .int(2))])]))
        #expect(strided?.field == "stride" && strided?.message.contains("needs a kernel") == true)
    }

    @Test func theInputIsChannelsFirstForConvNets() {
        func layout(_ dims: [Int], _ first: Layer) -> Shape.Layout? { Model(input: dims, layers: [first]).inputShape?.layout }
        #expect(layout([3, 224, 224], conv(nil, 8, .int(3))) == .channelsFirst)
        #expect(layout([3, 32], Layer(.pool, [(.kernel, .int(2))])) == .channelsFirst)
        #expect(layout([3, 8, 8], Layer(.batchnorm)) == .channelsFirst)
        #expect(layout([3, 8, 8], Layer(.flatten)) == .channelsFirst)
        // One size is a vector; attention and dense layers read [T, d] with the features last.
        #expect(layout([100], conv(nil, 8, .int(3))) == .featuresLast)
        #expect(layout([16], Layer(.embedding, [(.vocab, .int(10)), (.dim, .int(4))])) == .featuresLast)
        #expect(layout([16, 64], Layer(.attention, [(.heads, .int(4))])) == .featuresLast)
        #expect(layout([3, 8, 8], dense(nil, 4)) == .featuresLast)
        // The first layer that holds no others decides, through groups and into the first branch with layers.
        #expect(layout([3, 8, 8], .group([.parallel([[], [conv(nil, 3, .int(1))]])])) == .channelsFirst)
        #expect(layout([3, 8, 8], .group([dense(nil, 8)])) == .featuresLast)
        let s = Shape.input([3, 224, 224], firstKind: .conv)
        #expect(s.width == 3 && s.spatial == [224, 224] && s.description == "[3, 224, 224]" && s.compact == "3×224×224")
        let t = Shape.input([16, 64], firstKind: .attention)
        #expect(t.width == 64 && t.spatial == [] && (try? t.positions()) == 16)
    }

    /// Conv1d(2, 4, 3) on [2, 100]: [4, 98], 28 parameters, 2,352 MACs; Conv3d(1, 2, 3) on
    /// [1, 8, 8, 8]: [2, 6, 6, 6], 56 parameters, 11,664 MACs (torch 2.15, FlopCounterMode/2).
    @Test func oneKernelSizeSpansTheConvsDims() throws {
        let one = Model(convention: .pytorch, input: [2, 100], layers: [conv(nil, 4, .int(3), [(.dims, .int(1))])])
        let c1 = try Counter.count(one)
        #expect(c1.outputShape?.dims == [4, 98] && c1.total == 28 && c1.macs == 2_352)
        let three = Model(convention: .pytorch, input: [1, 8, 8, 8], layers: [conv(nil, 2, .int(3), [(.dims, .int(3))])])
        let c3 = try Counter.count(three)
        #expect(c3.outputShape?.dims == [2, 6, 6, 6] && c3.total == 56 && c3.macs == 11_664)
        // dims is not taken from the shape: a shape typed wrong must not change the count. Without
        // it one size is a square 2-D kernel, 3·3·2·4 + 4 = 76 parameters, which [2, 100] cannot feed.
        let e = shapeError(Model(convention: .pytorch, input: [2, 100], layers: [conv(nil, 4, .int(3))]))
        #expect(e?.path == .top(0) && e?.field == "dims" && e?.message.contains("a 2-D convolution needs [C, H, W], got [2, 100]") == true,
                "\(e?.message ?? "")")
        #expect(try Counter.count(Model(convention: .pytorch, layers: [conv(2, 4, .int(3))])).total == 76)
    }

    /// ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1) on [4, 5, 5]: [2, 10, 10], 74
    /// parameters, 1,800 MACs (torch counts a transposed convolution over its input positions).
    @Test func aTransposedConvolution() throws {
        let m = Model(convention: .pytorch, input: [4, 5, 5], layers: [
            conv(nil, 2, .int(3), [(.transposed, .bool(true)), (.stride, .int(2)), (.padding, .int(1)), (.outputPadding, .int(1))]),
        ])
        let c = try Counter.count(m)
        #expect(c.outputShape?.dims == [2, 10, 10] && c.total == 74 && c.macs == 1_800)
    }

    /// VGG-16's conv1_1 at 3×224×224: FlopCounterMode/2 gives 86,704,128 for torchvision's
    /// features.0 (Fixtures/shapes/expected.json, vgg16.yaml layer 0).
    @Test func theDerivationShowsTheMultiplyAccumulates() throws {
        let model = Model(name: "vgg", convention: .pytorch, input: [3, 224, 224], layers: [
            conv(3, 64, .int(3), [(.padding, .int(1))], name: "conv1_1"), conv(nil, 64, .int(3), [(.padding, .int(1))]),
        ])
        let d = try Counter.derivation(model, layer: 0)
        #expect(d.shapes?.macs == 86_704_128 && d.shapes?.output.dims == [64, 224, 224])
        #expect(d.macLines.first == "shape: [3, 224, 224] → [64, 224, 224]")
        let line = d.lines.last ?? ""
        #expect(line.hasPrefix("MACs = H′ × W′ × o × (f × f × i) = 224 × 224 × 64 × (3 × 3 × 3)"), "\(d.lines)")
        #expect(line.hasSuffix("= 86,704,128"))
        #expect(d.steps.contains("H′ = 224  (output height)") && d.steps.contains("W′ = 224  (output width)"), "\(d.steps)")
        #expect(d.steps.contains("MACs = H′ × W′ × o × (f × f × i)"))
        #expect(d.steps.contains { $0.hasSuffix("= 86,704,128") })
        // The parameters are derived as before.
        #expect(d.lines.first == "(f × f × i + 1) × o = (3 × 3 × 3 + 1) × 64 = 1,792")
        // The second layer reads the first's output: 224·224·64·(3·3·64) = 1,849,688,064 (features.2 in expected.json).
        #expect(try Counter.derivation(model, layer: 1).shapes?.macs == 1_849_688_064)
    }

    @Test func aModelWithoutInputHasNoShapes() throws {
        let m = Model(convention: .pytorch, layers: [conv(3, 8, .int(3)), Layer(.batchnorm), .group(repeat: 2, [conv(nil, 8, .int(3))])])
        let c = try Counter.count(m)
        #expect(c.macs == nil && c.inputShape == nil && c.outputShape == nil)
        #expect(c.layers.allSatisfy { $0.shapes == nil } && c.layers[2].children[0].allSatisfy { $0.shapes == nil })
        let d = try Counter.derivation(m, layer: 0)
        #expect(d.shapes == nil && d.macLines.isEmpty && !d.steps.contains { $0.hasPrefix("MACs") })
        // Conv2d(3, 8, 3) + BatchNorm2d(8) + 2 × Conv2d(8, 8, 3): 224 + 16 + 2 × 584.
        #expect(c.total == 224 + 16 + 2 * 584)
    }
}
