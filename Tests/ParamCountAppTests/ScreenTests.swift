@testable import ParamCountApp
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
        var s = exampleState(width: 120, height: 40, model: flatResNet50, origin: "resnet50-flat.yaml")
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

    /// Issue 13, bug 3: below the minimum size, `q` with unsaved changes used to open a dialog that
    /// could not be seen, and `y` or `j` changed the model unseen.
    @Test func tooSmallOnlyTakesTheKeysItNames() {
        var s = exampleState()
        press(&s, .char("c"))                        // an unsaved change
        let model = s.document.model
        _ = reduce(&s, .resize(width: 50, height: 12))
        press(&s, .char("j"), .char("y"), .char("x"), .char("u"), .char("c"))
        #expect(s.document.model == model && s.document.selection == 0)
        press(&s, .char("q"))
        #expect(s.mode == .confirmQuit && !s.quitRequested)
        #expect(render(s).text.contains("y quits without saving"))
        press(&s, .char("j"))
        #expect(s.mode == .confirmQuit)
        _ = reduce(&s, .resize(width: 80, height: 24))  // the question is shown as soon as it fits
        #expect(render(s).text.contains("has unsaved changes"))
        _ = reduce(&s, .resize(width: 50, height: 12))
        press(&s, .char("n"))
        #expect(s.mode == .normal && !s.quitRequested)
        press(&s, .char("q"), .char("y"))
        #expect(s.quitRequested)
    }

    /// Issue 13, bug 4: at 80×24 the derivation and notes of an LSTM did not fit and could not be
    /// scrolled; in the classroom, "step 21 of 21" showed steps 1–13 and never the result.
    @Test func theDerivationScrollsAndSaysWhatIsHidden() {
        var s = exampleState(width: 80, height: 20)
        press(&s, .char("c"), .down, .enter)       // the LSTM's form, PyTorch's notes
        guard let panel = s.derivationPanel else { Issue.record("no form"); return }
        #expect(panel.lines.count > panel.rows, "the test needs a derivation that does not fit")
        let last = panel.lines.last!.text
        #expect(!render(s).text.contains(last))
        #expect(render(s).text.contains("↓ \(panel.lines.count - panel.rows) more"))
        for _ in 0..<20 { press(&s, .pageDown) }
        #expect(s.derivationScroll == panel.maxScroll)
        #expect(render(s).text.contains(last))
        #expect(render(s).text.contains("↑ \(panel.maxScroll) more"))
        press(&s, .pageUp)
        #expect(s.derivationScroll < panel.maxScroll, "one PgUp after scrolling to the end moves at once")
        press(&s, .escape, .down)                  // another layer starts at the top
        #expect(s.derivationScroll == 0)
    }

    @Test func theClassroomAlwaysShowsTheNewestStep() {
        var s = exampleState()
        press(&s, .char("c"), .down, .char("T"))
        guard let first = s.classroomSteps else { Issue.record("no steps"); return }
        for _ in 0..<first.total { press(&s, .char("n")) }
        #expect(s.classroomSteps!.lines.count > s.classroomSteps!.rows, "the test needs steps that overflow")
        let shown = render(s).text
        let d = try! Counter.derivation(s.document.model, layer: 1)
        #expect(shown.contains("step \(d.steps.count) of \(d.steps.count)"))
        #expect(shown.contains(Format.grouped(s.document.count.layers[1].total)))
        #expect(shown.contains("395,264"))           // torch.nn.LSTM(128, 256): 4·(128·256 + 256·256 + 2·256)
        press(&s, .char("["))
        #expect(s.derivationScroll > 0 && render(s).text != shown)
        press(&s, .char("n"))                      // a new step scrolls back to the newest
        #expect(s.derivationScroll == 0)
    }

    @Test func theResultIsNotInTheTitleBeforeItsStep() {
        var s = exampleState()
        press(&s, .down, .char("T"))
        #expect(!render(s).text.contains("= 394,240"))
        press(&s, .char("r"))
        #expect(render(s).text.contains("= 394,240"))
    }

    /// Issue 13, bug 9: while a width was typed, the list still showed the layer's old shape.
    @Test func everyFigureFollowsTheKeystroke() {
        var s = exampleState(width: 120, height: 30)
        press(&s, .down, .enter, .down, .down, .enter, .ctrl("u"))   // the LSTM's hidden
        type(&s, "512")
        let text = render(s).text
        #expect(text.contains("lstm 128→512"))
        #expect(text.contains("dense 512→64"))      // the layer below inherits the typed width
        #expect(!text.contains("128→256"))
    }

    /// Issue 13: at 60 columns and with billion-parameter models, the memory figure and the
    /// convention stay on the totals bar, and `t` and `c` always show their effect.
    @Test func theTotalsBarKeepsWhatKeysChange() {
        let big = Model(name: "big", layers: [Layer(.custom, [(.params, .int(70_553_706_496))])])
        var s = AppState(document: try! Document(model: big, path: nil, origin: "big"), width: 60, height: 20)
        func bar() -> String { String(render(s).text.split(separator: "\n")[s.layout.totalsRow]) }
        #expect(bar().contains("fp32") && bar().contains("textbook"))
        let before = bar()
        press(&s, .char("t"))
        #expect(bar() != before && bar().contains(s.document.dtype.rawValue))
        press(&s, .char("c"))
        #expect(bar().contains("pytorch"))
    }

    @Test func tooSmallWithoutChangesQuits() {
        var s = exampleState(width: 50, height: 12)
        press(&s, .char("q"))
        #expect(s.quitRequested)
    }

    @Test func asciiFallback() {
        var s = exampleState()
        s.ascii = true
        press(&s, .down)
        let grid = render(s)
        #expect(!grid.text.unicodeScalars.contains { $0.value >= 0x2500 && $0.value < 0x2600 })
        assertGolden(grid, "ascii-80x24")
    }

    /// Issue 13, bug 7: under LANG=C every `×` and `→` reached the terminal as a raw byte. Every
    /// screen, overlay and derivation of an ASCII terminal is plain ASCII, and fits its borders.
    @Test(arguments: ["example", "bert-base", "resnet50"])
    func asciiTerminalsGetOnlyASCII(preset: String) {
        var s = exampleState(width: 80, height: 24, preset: preset)
        s.ascii = true
        var frames: [Grid] = []
        for keys in [[Key.down], [.enter], [.char("c"), .char("c")], [.char("=")], [.char("T"), .char("r")], [.char("?")]] {
            for k in keys { press(&s, k) }
            frames.append(render(s))
        }
        for grid in frames {
            #expect(grid.text.unicodeScalars.allSatisfy { $0.isASCII }, "\(grid.text)")
            // The rightmost column of each pane row is a border or blank, never text pushed over.
            #expect(grid.text.split(separator: "\n").allSatisfy { $0.count == 80 })
        }
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

/// Issue 13, "done when": every screen at 60×20, 80×24 and 120×40 keeps its text inside its boxes.
/// Each pane's side borders must be intact on every row between its corners.
@Suite("boxes hold their text")
struct BoxTests {
    static let sizes = [(60, 20), (80, 24), (120, 40)]

    /// Columns where a vertical border must be, for the rows of the panes.
    func borders(_ s: AppState) -> (cols: [Int], rows: Range<Int>) {
        switch s.screen {
        case .editor:
            let l = s.layout
            return ([0, l.listWidth - 1, l.listWidth, s.width - 1], (l.paneTop + 1)..<(l.paneTop + l.paneHeight - 1))
        case .compare:
            let c = s.compareLayout
            return ([0, c.sideWidth - 1, c.sideWidth, s.width - 1], (c.paneTop + 1)..<(c.paneTop + c.paneHeight - 1))
        case .classroom:
            let c = s.classroomLayout
            return ([0, c.listWidth - 1, c.listWidth, s.width - 1], (c.paneTop + 1)..<(c.paneTop + c.paneHeight - 1))
        case .planner:
            // The figures on the right; the settings box on the left is checked over its own rows.
            let p = s.plannerLayout
            return ([p.figuresLeft, s.width - 1], (p.paneTop + 1)..<(p.paneTop + p.paneHeight - 1))
        }
    }

    func check(_ s: AppState, _ what: String) {
        let grid = render(s)
        var boxes = [borders(s)]
        if s.screen == .planner {
            let p = s.plannerLayout
            boxes.append(([0, p.leftWidth - 1], (p.paneTop + 1)..<(p.paneTop + p.settingsHeight - 1)))
            if p.fitsHeight > 0 { boxes.append(([0, p.leftWidth - 1], (p.fitsTop + 1)..<(p.fitsTop + p.fitsHeight - 1))) }
        }
        for (cols, rows) in boxes {
            for y in rows {
                for x in cols where x < grid.width {
                    #expect(grid[x, y].text == "│", "\(what) \(s.width)×\(s.height): row \(y) col \(x) is '\(grid[x, y].text)'\n\(grid.text)")
                }
            }
        }
    }

    @Test(arguments: ["example", "bert-base", "resnet50", "gpt2-small", "bilstm-tagger"])
    func everyScreenAtEverySize(preset: String) {
        for (w, h) in Self.sizes {
            var s = exampleState(width: w, height: h, preset: preset)
            check(s, "\(preset) list")
            for _ in 0..<3 { press(&s, .down) }
            press(&s, .enter)
            check(s, "\(preset) form")
            press(&s, .char("c"), .char("c"), .pageDown, .pageDown)
            check(s, "\(preset) form, keras, scrolled")
            press(&s, .escape, .char("="))
            check(s, "\(preset) compare")
            press(&s, .tab)
            check(s, "\(preset) compare form")
            press(&s, .tab, .char("T"), .char("r"))
            check(s, "\(preset) classroom pair")
            press(&s, .char("T"), .char("B"), .char("T"), .char("r"))
            check(s, "\(preset) classroom")
            press(&s, .char("T"), .char("P"))
            check(s, "\(preset) planner")
            press(&s, .char(" "), .pageDown, .pageDown)
            check(s, "\(preset) planner, training, scrolled")
            _ = reduce(&s, .opened(reference: "preset:lenet5", asSideB: true,
                                   result: .success(LoadedModel(model: Presets.lenet5.model, origin: "preset:lenet5",
                                                                format: "preset", saveTarget: nil))))
            check(s, "\(preset) planner comparing")
            press(&s, .char("P"), .char("B"))
        }
    }
}

@Suite("mixture of experts on screen")
struct MoEScreenTests {
    /// Issue 9: the totals bar shows active parameters for a MoE model. One Mixtral-style block:
    /// router 8·d, 8 experts of gate/up/down 3·d·f, top_k 2 (MixtralSparseMoeBlock, transformers 5).
    @Test func theTotalsBarShowsActiveParameters() {
        let d = 64, f = 224
        let model = Model(name: "moe", convention: .pytorch, layers: [
            Layer(.moe, [(.dim, .int(d)), (.experts, .int(8)), (.topK, .int(2)), (.ff, .int(f))]),
        ])
        let s = AppState(document: try! Document(model: model, path: nil, origin: "moe"), width: 120, height: 30)
        let total = 8 * d + 8 * 3 * d * f, active = 8 * d + 2 * 3 * d * f
        #expect(s.document.count.total == total && s.document.count.active == active)
        let bar = String(render(s).text.split(separator: "\n")[s.layout.totalsRow])
        #expect(bar.contains(Format.grouped(total)) && bar.contains("active " + Format.grouped(active)))
        var narrow = s
        narrow.width = 60
        let small = String(render(narrow).text.split(separator: "\n")[narrow.layout.totalsRow])
        #expect(small.contains("active"))
    }

    @Test func compareShowsTheActiveDifference() {
        let d = 64, f = 224
        func moe(_ k: Int) -> Document {
            try! Document(model: Model(convention: .pytorch, layers: [
                Layer(.moe, [(.dim, .int(d)), (.experts, .int(8)), (.topK, .int(k)), (.ff, .int(f))])]), path: nil, origin: "k\(k)")
        }
        let s = AppState(documents: [moe(2), moe(4)], width: 100, height: 30)
        // Two more experts per token: 2 · 3 · d · f more active parameters, the same total.
        #expect(render(s).text.contains("Active " + Format.signed(2 * 3 * d * f, human: true)))
    }
}
