import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// Golden screens at 80×24 and 120×40. Record with PARAMCOUNT_RECORD=1 after a deliberate change
/// and review the diff of Golden/.
@Suite("screens")
struct ScreenTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func mainView(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h)
        press(&s, .down)
        assertGolden(render(s), "main-\(w)x\(h)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func editingAWidthLive(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h)
        press(&s, .down, .tab, .down, .down, .enter, .ctrl("u"))
        type(&s, "512")
        assertGolden(render(s), "editing-\(w)x\(h)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func invalidValueInline(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h)
        press(&s, .down, .tab, .down, .down, .enter, .ctrl("u"))
        type(&s, "-3")
        assertGolden(render(s), "invalid-\(w)x\(h)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func helpOverlay(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h)
        press(&s, .char("?"))
        assertGolden(render(s), "help-\(w)x\(h)")
    }

    @Test func kindPicker() {
        var s = exampleState()
        press(&s, .char("a"))
        assertGolden(render(s), "picker-80x24")
    }

    @Test func confirmQuit() {
        var s = exampleState()
        press(&s, .char("c"), .char("q"))
        assertGolden(render(s), "confirm-80x24")
    }

    @Test func longModelScrolled() {
        var s = exampleState(width: 120, height: 40, preset: "resnet50")
        press(&s, .char("G"), .up, .up)
        assertGolden(render(s), "resnet50-120x40")
    }

    @Test func transformerDerivation() {
        var s = exampleState(width: 120, height: 40, preset: "bert-base")
        press(&s, .char("j"), .char("j"), .char("j"), .char("j"))
        assertGolden(render(s), "bert-encoder-120x40")
    }

    @Test func tooSmallAndRecovers() {
        var s = exampleState(width: 50, height: 12)
        assertGolden(render(s), "too-small-50x12")
        _ = reduce(&s, .resize(width: 80, height: 24))
        #expect(render(s) == render(exampleState()))
    }

    @Test func asciiFallback() {
        var s = exampleState()
        s.ascii = true
        press(&s, .down)
        let grid = render(s)
        #expect(!grid.text.unicodeScalars.contains { $0.value >= 0x2500 && $0.value < 0x2600 })
        assertGolden(grid, "ascii-80x24")
    }

    @Test func hostileNamesAreEscaped() {
        let model = Model(name: "\u{1B}]0;title\u{07}", layers: [
            Layer(.dense, name: "evil\u{1B}[2J\u{9B}x", [(.in, .int(3)), (.out, .int(4))]),
        ])
        let s = AppState(document: try! Document(model: model, path: nil, origin: "evil\u{1B}.yaml"))
        let text = render(s).text
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F..<0xA0).contains($0.value) })
        #expect(text.contains("evil\\e[2J"))
    }
}
