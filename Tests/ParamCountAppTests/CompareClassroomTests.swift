import Foundation
@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

@Suite("alignment")
struct AlignmentTests {
    func named(_ names: [String?]) -> Model {
        Model(layers: names.map { Layer(.custom, name: $0, [(.params, .int(1))]) })
    }

    @Test func matchingNamesLineUpAndTheRestPairByPosition() {
        let a = named(["emb", "x", "enc", "head"])
        let b = named(["emb", "enc", "y", "z", "head"])
        let rows = Alignment.align(a, b).map { [$0.a, $0.b] }
        #expect(rows == [[0, 0], [1, nil], [2, 1], [nil, 2], [nil, 3], [3, 4]])
    }

    @Test func unnamedLayersPairByPosition() {
        let rows = Alignment.align(named([nil, nil, nil]), named([nil, nil]))
        #expect(rows.map { [$0.a, $0.b] } == [[0, 0], [1, 1], [2, nil]])
    }

    @Test func everyLayerAppearsOnceInOrder() {
        let a = Presets.named("resnet18")!.model, b = Presets.named("resnet50")!.model
        let rows = Alignment.align(a, b)
        #expect(rows.compactMap(\.a) == Array(a.layers.indices))
        #expect(rows.compactMap(\.b) == Array(b.layers.indices))
    }

    @Test func deltas() {
        #expect(Delta(100, 117).ratio == "×1.17")
        #expect(Delta(109_482_240, 124_439_808).signedHuman == "+15.0M")
        #expect(Delta(10, 4).signedHuman == "−6")
        #expect(Delta(0, 5).ratio == "—")
    }
}

@Suite("comparison controller")
struct CompareControllerTests {
    @Test func editingOneSideMovesTheDelta() {
        var s = compareState("example", "example")
        press(&s, .char("w"))                 // side B
        #expect(s.active == 1)
        press(&s, .down, .tab, .down, .down, .enter, .ctrl("u"))
        type(&s, "512")
        // B's LSTM with h = 512: 4·[(512 + 128)·512 + 512], and the dense below takes 512 inputs.
        let b = 1_280_000 + 4 * ((512 + 128) * 512 + 512) + (512 * 64 + 64) + 130
        #expect(s.shownCount.total == b)
        press(&s, .enter)
        #expect(s.documents[1].count.total == b)
        #expect(s.documents[0].count.total == 1_690_818)
        #expect(s.documents[1].isModified && !s.documents[0].isModified)
        // Each side keeps its own history.
        press(&s, .escape, .char("w"), .char("u"))
        #expect(s.message?.text == "Nothing to undo")
        press(&s, .char("w"), .char("u"))
        #expect(s.documents[1].count.total == 1_690_818)
    }

    @Test func sameModelUnderAnotherConventionIsOneKey() {
        var s = AppState(document: try! Document(model: Presets.bilstmTagger.model, path: nil, origin: "x"))
        press(&s, .char("c"))   // keras → textbook
        press(&s, .char("u"))
        #expect(s.document.model.convention == .keras)
        press(&s, .char("="))
        #expect(s.comparing)
        #expect(s.documents[1].model.convention == .textbook)
        #expect(s.documents[1].model.layers == s.documents[0].model.layers)
    }

    @Test func openingSideBFromTheEditor() {
        var s = exampleState()
        press(&s, .char("b"))
        type(&s, "preset:lenet5")
        for e in press(&s, .enter) { _ = reduce(&s, perform(e)) }
        #expect(s.comparing)
        #expect(s.documents[1].count.total == 61_706)
        press(&s, .char("W"))
        #expect(s.documents[0].count.total == 61_706 && s.active == 1)
        press(&s, .char("B"))
        #expect(!s.comparing)
        #expect(s.document.count.total == 1_690_818)
    }

    @Test func closingAnUnsavedSideIsRefused() {
        var s = compareState("example", "lenet5")
        press(&s, .char("w"), .char("c"), .char("w"), .char("B"))
        #expect(s.comparing)
        #expect(s.message?.kind == .error)
    }

    @Test func quitAsksAboutEachUnsavedSide() throws {
        let disk = MemoryStore()
        var s = compareState("example", "lenet5")
        s.update(side: 1) { $0.path = "/work/b.yaml" }
        press(&s, .char("c"), .char("w"), .char("c"), .char("q"))
        #expect(s.mode == .confirmQuit)
        #expect(render(s).text.components(separatedBy: "has unsaved changes").count == 3)
        press(&s, .char("s"))              // A has no file: asks for one first
        guard case .prompt(.saveAndQuit, _) = s.mode else { Issue.record("no prompt"); return }
        press(&s, .ctrl("u"))
        type(&s, "/work/a.yaml")
        for e in press(&s, .enter) { _ = reduce(&s, perform(e, store: disk.store)) }
        #expect(s.quitRequested)
        #expect(try disk.store.load("/work/a.yaml").model.convention == .pytorch)
        #expect(try disk.store.load("/work/b.yaml").model.convention == .keras)   // lenet5 is pytorch; c moves on to keras
    }
}

@Suite("classroom controller")
struct ClassroomControllerTests {
    @Test func stepsRevealOneAtATimeAndResetOnMove() {
        var s = exampleState()
        press(&s, .char("T"), .down)
        #expect(s.classroom && s.revealed == 1)
        let d = try! Counter.derivation(s.document.model, layer: 1)
        press(&s, .char("n"), .char("n"))
        #expect(s.revealed == 3)
        var text = render(s).text
        #expect(text.contains(d.steps[2]))
        #expect(!text.contains(d.steps[3]))
        press(&s, .char("r"))
        #expect(s.revealed == d.steps.count)
        text = render(s).text
        #expect(text.contains("= 394,240"))
        press(&s, .char("N"))
        #expect(s.revealed == d.steps.count - 1)
        press(&s, .down)
        #expect(s.revealed == 1)
    }

    @Test func conventionDifferencesAreExplained() {
        var s = exampleState(width: 120, height: 40)
        press(&s, .char("T"), .down, .char("c"), .char("r"))
        #expect(render(s).text.contains("PyTorch keeps two bias vectors"))
    }

    @Test func bigDigitsFallBackWhenThereIsNoRoom() {
        var s = exampleState(width: 60, height: 16)
        press(&s, .char("T"))
        #expect(!s.classroomLayout.bigDigits)
        #expect(render(s).text.contains("Total 1,690,818"))
        s = exampleState()
        press(&s, .char("T"))
        #expect(s.classroomLayout.bigDigits)
        #expect(render(s).palette == .classroomDark)
        press(&s, .char("L"))
        #expect(render(s).palette == .classroomLight)
    }
}

@Suite("comparison and classroom screens")
struct CompareClassroomScreenTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func comparison(_ w: Int, _ h: Int) {
        var s = compareState("bert-base", "gpt2-small", width: w, height: h)
        press(&s, .down)
        assertGolden(render(s), "compare-\(w)x\(h)")
    }

    @Test func comparisonEditingSideB() {
        var s = compareState("example", "example")
        press(&s, .char("w"), .down, .tab, .down, .down, .enter, .ctrl("u"))
        type(&s, "512")
        assertGolden(render(s), "compare-editing-80x24")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func classroom(_ w: Int, _ h: Int) {
        var s = exampleState(width: w, height: h)
        press(&s, .char("T"), .down, .char("n"), .char("n"), .char("n"))
        assertGolden(render(s), "classroom-\(w)x\(h)")
    }
}

@Suite("one screen at a time")
struct ScreenValueTests {
    @Test func classroomAndComparisonCannotBothClaimTheScreen() {
        var s = exampleState()
        press(&s, .char("T"))
        #expect(s.screen == .classroom(ClassroomSettings()))
        press(&s, .char("="))                          // a second model while teaching
        #expect(s.comparing && s.classroom && s.screen != .compare)
        #expect(render(s).palette == .classroomDark)   // the classroom draws; compare does not silently win
        press(&s, .char("T"))
        #expect(s.screen == .compare)                  // leaving the classroom shows the comparison
        press(&s, .char("B"))
        #expect(s.screen == .editor && !s.comparing)
    }

    @Test func compareKeysSayWhereTheyWork() {
        var s = exampleState()
        press(&s, .char("w"))
        #expect(s.message?.text.contains("comparing") == true)
        #expect(s.documents.count == 1)
    }

    @Test func classroomKeysStayInTheClassroom() {
        var s = exampleState()
        press(&s, .char("n"))
        #expect(s.revealed == 1 && !s.classroom)
        press(&s, .char("T"), .char("n"))
        #expect(s.revealed == 2)
    }

    @Test func theClassroomOpensOnTwoModels() {
        let docs = ["example", "lenet5"].map { try! Document(model: Presets.named($0)!.model, path: nil, origin: $0) }
        var s = AppState(documents: docs, classroom: true)
        #expect(s.classroom && s.comparing)
        press(&s, .char("w"))                           // the comparison's side keys still work
        #expect(s.active == 1 && s.revealed == 1)
    }

    /// Issue 13, bug 5: `T` did nothing while comparing and `--classroom A B` ignored --classroom.
    @Test func theClassroomShowsBothTotals() {
        var s = compareState("example", "lenet5", width: 120, height: 40)
        press(&s, .char("T"))
        let text = render(s).text
        #expect(render(s).palette == .classroomDark)
        #expect(text.contains("B − A"))
        // Each side's total drawn big: the big-digit rows of both numbers are on screen.
        for total in [s.documents[0].count.total, s.documents[1].count.total] {
            #expect(text.contains(BigDigits.rows(Format.grouped(total))[0]))
        }
        assertGolden(render(s), "classroom-pair-120x40")
    }

    /// Issue 13, bug 10: at 60 columns the B − A box overwrote its own border and dropped rows
    /// without a mark. Every row of every screen stays inside its box at the smallest sizes.
    @Test(arguments: [(60, 16), (60, 20), (80, 24), (120, 40)])
    func compareTextStaysInsideItsBoxes(size: (Int, Int)) {
        var s = compareState("bert-base", "gpt2-small", width: size.0, height: size.1)
        press(&s, .char("t"))
        let grid = render(s)
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = s.compareLayout.breakdownTop
        for y in (top + 1)..<(top + s.compareLayout.breakdownHeight - 1) {
            #expect(rows[y].hasSuffix("│"), "row \(y) at \(size): \(rows[y])")
        }
        let shown = s.comparedCategories.filter { cat in rows.contains { $0.contains(" " + cat.title + " ") } }
        if shown.count < s.comparedCategories.count {
            #expect(rows.contains { $0.contains("more") }, "kinds cut without a mark at \(size)")
        }
        #expect(rows.joined().contains(s.document.dtype.rawValue) || rows.contains { $0.contains("more") })
    }

    @Test func aStepIsOneWholeStateChange() {
        var s = exampleState()
        assertReduce(&s, .key(.char("T"))) { $0.toggleClassroom() }
        assertReduce(&s, .key(.char("t"))) { $0.document.dtype = $0.document.dtype.next }
        assertReduce(&s, .key(.char("?"))) { $0.mode = .help(scroll: 0) }
        assertReduce(&s, .key(.escape)) { $0.mode = .normal }
        assertReduce(&s, .key(.char("s"))) { $0.mode = .prompt(.saveAs, text: "sentiment-classifier-example.yaml") }
    }
}


@Suite("alignment by kind")
struct AlignmentByKindTests {
    /// Issue 13 rough edge: when names differ, compare pairs layers of the same kind.
    @Test func renamedLayersPairWithTheirKind() {
        let a = Model(layers: [Layer(.embedding, name: "emb", [(.vocab, .int(10)), (.dim, .int(4))]),
                               Layer(.lstm, name: "enc", [(.hidden, .int(4))]),
                               Layer(.dense, name: "head", [(.out, .int(2))])])
        let b = Model(layers: [Layer(.embedding, name: "emb", [(.vocab, .int(10)), (.dim, .int(4))]),
                               Layer(.layernorm, name: "norm"),
                               Layer(.gru, name: "encoder", [(.hidden, .int(4))]),
                               Layer(.lstm, name: "encoder2", [(.hidden, .int(4))]),
                               Layer(.dense, name: "head", [(.out, .int(2))])])
        let rows = Alignment.align(a, b).map { [$0.a, $0.b] }
        // A's lstm meets B's lstm (by kind), not the layernorm that sits in its position.
        #expect(rows.contains([1, 3]))
        #expect(rows.contains([nil, 1]) && rows.contains([nil, 2]))
        #expect(rows.first == [0, 0] && rows.last == [2, 4])
    }
}
