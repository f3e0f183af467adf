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

    /// Sizes near 2⁶³ in the window arithmetic are errors too (twice the padding does not fit).
    @Test func hugePaddingAndStrides() {
        let big = Int.max / 2 + 1
        for (layer, field) in [
            (conv(nil, 4, .int(3), [(.padding, .int(big))]), "kernel"),
            (conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.padding, .int(big))]), "padding"),
            (conv(nil, 4, .int(3), [(.transposed, .bool(true)), (.stride, .int(big))]), "stride"),
            (conv(nil, 4, .int(3), [(.dilation, .int(big))]), "kernel"),
            (Layer(.pool, [(.kernel, .int(3)), (.padding, .int(big))]), "padding"),
            (Layer(.pool, [(.kernel, .int(Int.max)), (.stride, .int(big))]), "kernel"),
        ] {
            let e = shapeError(Model(input: [4, 8, 8], layers: [layer]))
            #expect(e?.path == .top(0) && e?.field == field, "\(layer.fields): \(e?.description ?? "")")
        }
    }
}
