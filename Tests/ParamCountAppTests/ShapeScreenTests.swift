@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// The input shape in the editor: `I` types it, every figure follows while it is valid, Enter keeps
/// it (undoably), Esc leaves the model as it was.
@Suite("input shape in the editor")
struct InputShapeEditingTests {
    /// VGG-16's first dense layer reads 512·7·7 at 224×224 and 512·14·14 at 448×448 (PyTorch's
    /// output-size formulas through five 2×2 max pools); fc6 holds in × 4096 + 4096 parameters.
    @Test func typingAShapeReshapesEveryLayerLive() throws {
        var s = exampleState(width: 100, height: 30, preset: "vgg16")
        let fc6 = s.document.model.layers.firstIndex { $0.name == "fc6" }!
        #expect(s.document.count.layers[fc6].input == 25_088)
        press(&s, .char("I"))
        #expect(s.editing?.target == .input)
        #expect(s.editing?.text == "3, 224, 224")
        press(&s, .ctrl("u"))
        type(&s, "3x448x448")
        #expect(s.editing?.error == nil)
        #expect(s.shownCount.layers[fc6].input == 100_352)
        #expect(s.shownCount.layers[fc6].total == 100_352 * 4096 + 4096)
        // Not in the document until Enter.
        #expect(s.document.model.input == [3, 224, 224])
        press(&s, .enter)
        #expect(s.mode == .normal)
        #expect(s.document.model.input == [3, 448, 448])
        #expect(s.document.count.layers[fc6].input == 100_352)
        #expect(s.document.isModified)
        press(&s, .char("u"))
        #expect(s.document.model.input == [3, 224, 224])
        #expect(s.document.count.layers[fc6].input == 25_088)
    }

    @Test func aShapeTheLayersCannotTakeIsRefusedWhereItIsTyped() {
        var s = exampleState(width: 100, height: 30, preset: "lenet5")
        press(&s, .char("I"), .ctrl("u"))
        type(&s, "1, 8, 8")
        // 8 → 4 after C1 (5×5) and S2 (2×2): C3's 5×5 kernel does not fit.
        #expect(s.editing?.error?.message.contains("spans 5 but the input is") == true)
        #expect(s.editing?.error?.field == "kernel")
        #expect(s.isStale)
        press(&s, .enter)
        #expect(s.editing != nil, "an invalid shape is not applied")
        #expect(s.message?.kind == .error)
        press(&s, .escape)
        #expect(s.mode == .normal)
        #expect(s.document.model.input == [1, 32, 32])
        #expect(!s.document.isModified)
        press(&s, .char("I"), .ctrl("u"))
        type(&s, "1, 0")
        #expect(s.editing?.error?.message == "sizes must be positive integers, got 0")
    }

    /// A stride of 64 in VGG-16's first conv leaves 224 / 64 → 4 → 2 → 1 by pool3, whose 2×2 window
    /// no longer fits (PyTorch's MaxPool2d refuses a 1×1 input): the form says which layer.
    @Test func aValueThatBreaksALayerBelowNamesIt() {
        var s = exampleState(width: 100, height: 30, preset: "vgg16")
        press(&s, .char("l"))
        for _ in 0..<8 { press(&s, .down) }
        press(&s, .enter, .ctrl("u"))
        type(&s, "64")
        #expect(s.editing?.target == .field(.stride))
        #expect(s.editing?.error?.path == LayerPath(9))
        #expect(s.editing?.errorText?.hasPrefix("layer 10 (\"pool3\"), field 'kernel': spans 2") == true, "\(s.editing?.errorText ?? "")")
        press(&s, .ctrl("u"))
        type(&s, "2")
        #expect(s.editing?.error == nil)
    }

    /// The example (an embedding, an LSTM, two dense layers) gets shapes from 16 token ids: the
    /// LSTM reads [16, 128] and gives [16, 256]; emptying the shape takes them away again.
    @Test func aTokenModelGetsShapesAndLosesThem() {
        var s = exampleState(width: 100, height: 30)
        press(&s, .char("I"))
        #expect(s.editing?.text == "")
        type(&s, "16")
        press(&s, .enter)
        #expect(s.document.model.input == [16])
        #expect(s.document.count.layers[1].shapes?.output.dims == [16, 256])
        // torch.nn.LSTM(128, 256) over 16 steps: 16 · 4 · (128·256 + 256·256) MACs.
        #expect(s.document.count.layers[1].shapes?.macs == 16 * 4 * (128 * 256 + 256 * 256))
        press(&s, .char("I"), .ctrl("u"), .enter)
        #expect(s.document.model.input == nil)
        #expect(s.document.count.macs == nil)
    }
}

@Suite("shape screens")
struct ShapeScreenTests {
    @Test(arguments: [(100, 30), (80, 24)])
    func vggWithShapes(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h, preset: "vgg16")
        press(&s, .char("G"), .up, .up)
        assertGolden(render(s), "vgg16-shapes-\(w)x\(h)")
    }

    @Test func typingTheInputShape() {
        var s = exampleState(width: 100, height: 30, preset: "vgg16")
        press(&s, .char("G"), .up, .up, .char("I"), .ctrl("u"))
        type(&s, "3, 448, 448")
        assertGolden(render(s), "vgg16-input-100x30")
    }

    @Test func aBadInputShapeSaysWhereAndWhy() {
        var s = exampleState(width: 100, height: 30, preset: "resnet18")
        press(&s, .char("I"), .ctrl("u"))
        type(&s, "3, 16")
        assertGolden(render(s), "resnet18-bad-input-100x30")
    }
}
