import Foundation
@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// The example preset: embedding 10000×128, LSTM 256, dense 64, dense 2 (textbook). Expected
/// numbers are the by-hand formulas, written out.
@Suite("controller")
struct ControllerTests {
    static let lstm256 = 4 * ((256 + 128) * 256 + 256)   // 394,240
    static let exampleTotal = 10_000 * 128 + lstm256 + (256 * 64 + 64) + (64 * 2 + 2)

    func selectHidden(_ s: inout AppState) {
        press(&s, .down, .tab)            // layer 2 (the LSTM), into the form
        press(&s, .down, .down)           // name → in → hidden
        #expect(s.currentRow == .field(Schema.spec(.lstm, .hidden)!))
    }

    @Test func startsOnTheExample() {
        let s = exampleState()
        #expect(s.document.count.total == Self.exampleTotal)
        #expect(s.scope == .list)
    }

    @Test func everyKeystrokeRecounts() {
        var s = exampleState()
        selectHidden(&s)
        press(&s, .enter)
        #expect(s.editing?.text == "256")
        press(&s, .backspace, .backspace, .backspace)
        type(&s, "5")
        // h = 5: 4·[(5 + 128)·5 + 5], and the dense after it takes 5 inputs: 5·64 + 64.
        #expect(s.shownCount.total == 1_280_000 + 4 * ((5 + 128) * 5 + 5) + (5 * 64 + 64) + 130)
        type(&s, "12")
        let h = 512
        #expect(s.shownCount.total == 1_280_000 + 4 * ((h + 128) * h + h) + (h * 64 + 64) + 130)
        // The document changes only on Enter.
        #expect(s.document.count.total == Self.exampleTotal)
        press(&s, .enter)
        #expect(s.document.count.total == 1_280_000 + 4 * ((h + 128) * h + h) + (h * 64 + 64) + 130)
        #expect(s.document.isModified)
        #expect(s.document.model.layers[1].fields[.hidden] == .int(512))
    }

    @Test func invalidValueKeepsTheLastValidCountMarkedStale() {
        var s = exampleState()
        selectHidden(&s)
        press(&s, .enter, .ctrl("u"))
        type(&s, "0")
        #expect(s.isStale)
        #expect(s.editing?.error?.field == "hidden")
        #expect(s.shownCount.total == Self.exampleTotal)
        type(&s, "x")
        #expect(s.editing?.error?.message.contains("positive integer") == true)
        press(&s, .enter)   // refused: still editing, nothing lost
        #expect(s.editing != nil)
        #expect(s.message?.kind == .error)
        press(&s, .escape)
        #expect(s.editing == nil && !s.isStale)
        #expect(s.document.model == Presets.example.model)
    }

    @Test(arguments: ["9223372036854775807", "99999999999999999999", "2147483648", "0", "-1"])
    func hugeAndBadNumbersInAFieldAreErrorsNotTraps(_ text: String) {
        var s = exampleState()
        selectHidden(&s)
        press(&s, .enter, .ctrl("u"))
        type(&s, text)
        #expect(s.isStale)
        #expect(s.editing?.error != nil)
        #expect(s.shownCount.total == Self.exampleTotal)
        _ = render(s)
        press(&s, .enter)
        #expect(s.document.model == Presets.example.model)
    }

    @Test func undoAndRedoEveryChange() {
        var s = exampleState()
        selectHidden(&s)
        press(&s, .enter, .ctrl("u"))
        type(&s, "300")
        press(&s, .enter)
        press(&s, .char("c"))                       // convention → pytorch
        press(&s, .escape, .char("a"), .enter)      // add a dense layer below the LSTM
        press(&s, .escape, .char("y"))              // duplicate it
        press(&s, .char("K"))                       // move it up
        press(&s, .char("x"))                       // delete it
        #expect(s.document.undoStack.count == 6)
        let edited = s.document.model
        for _ in 0..<6 { press(&s, .char("u")) }
        #expect(s.document.model == Presets.example.model)
        #expect(!s.document.isModified)
        #expect(s.document.count == (try! Counter.count(Presets.example.model)))
        press(&s, .char("u"))
        #expect(s.message?.text == "Nothing to undo")
        for _ in 0..<6 { press(&s, .ctrl("r")) }
        #expect(s.document.model == edited)
    }

    @Test func autoWidthsFollowTheLayerAbove() {
        var s = exampleState()
        selectHidden(&s)
        press(&s, .enter, .ctrl("u"))
        type(&s, "100")
        press(&s, .enter)
        // The dense layer below inherits 100 inputs.
        #expect(s.document.count.layers[2].input == 100 && s.document.count.layers[2].inputInherited)
        // Give the LSTM an explicit input, then set it back to auto with one key.
        press(&s, .up)   // in
        press(&s, .enter, .ctrl("u"))
        type(&s, "64")
        press(&s, .enter)
        #expect(s.document.model.layers[1].fields[.in] == .int(64))
        press(&s, .char("A"))
        #expect(s.document.model.layers[1].fields[.in] == nil)
        #expect(s.document.count.layers[1].input == 128)
        // Typing auto does the same.
        press(&s, .enter, .ctrl("u"))
        type(&s, "auto")
        press(&s, .enter)
        #expect(s.document.model.layers[1].fields[.in] == nil)
    }

    @Test func togglesAndDefaults() {
        var s = exampleState()
        press(&s, .down, .tab)
        for _ in 0..<4 { press(&s, .down) }      // name, in, hidden, layers, bidirectional
        press(&s, .char(" "))
        // Bidirectional: the LSTM doubles and the dense below takes 512 inputs.
        #expect(s.document.count.layers[1].total == 2 * Self.lstm256)
        #expect(s.document.count.layers[2].input == 512)
        press(&s, .char("x"))                     // back to the default
        #expect(s.document.model.layers[1].fields[.bidirectional] == nil)
        press(&s, .end, .char(" "))               // trainable off
        #expect(s.document.count.nonTrainable == Self.lstm256)
        press(&s, .up, .up, .up, .up, .char("x")) // hidden has no default
        #expect(s.message?.kind == .error)
    }

    @Test func changesThatBreakTheModelAreRefused() {
        var s = exampleState()
        press(&s, .char("K"))  // first layer cannot move up: nothing happens
        #expect(s.document.undoStack.isEmpty)
        press(&s, .char("j"), .char("K"))  // LSTM to the top: it has no input width there
        #expect(s.message?.text.contains("Not changed") == true)
        #expect(s.document.model == Presets.example.model)
        var one = AppState(document: try! Document(model: Model(layers: [Layer(.dense, [(.in, .int(2)), (.out, .int(2))])]),
                                                   path: nil, origin: "x"))
        press(&one, .char("x"))
        #expect(one.message?.text == "A model needs at least one layer")
    }

    @Test func addingALayerPicksItsKind() {
        var s = exampleState()
        press(&s, .char("G"), .char("a"))
        guard case .picker = s.mode else { Issue.record("no picker"); return }
        press(&s, .char("l"), .enter)   // first kind starting with l: lstm
        #expect(s.document.model.layers.count == 5)
        #expect(s.document.model.layers[4].kind == .lstm)
        #expect(s.document.selection == 4)
        #expect(s.focus == .form)
    }

    @Test func nameEditsAreText() {
        var s = exampleState()
        press(&s, .tab, .enter, .ctrl("u"))
        type(&s, "words q s")
        press(&s, .enter)
        #expect(s.document.model.layers[0].name == "words q s")
        #expect(!s.quitRequested)
    }

    @Test func savingAPresetAsksForAName() throws {
        let disk = MemoryStore()
        var s = exampleState()
        press(&s, .char("c"))
        var effects = press(&s, .char("s"))
        #expect(effects.isEmpty)
        guard case .prompt(.saveAs, let suggested) = s.mode else { Issue.record("no prompt"); return }
        #expect(suggested == "sentiment-classifier-example.yaml")
        press(&s, .ctrl("u"))
        type(&s, "/work/m.yaml")
        effects = press(&s, .enter)
        #expect(effects == [.saveNew(s.document.model, path: "/work/m.yaml", side: 0, quitAfter: false)])
        for e in effects { _ = reduce(&s, perform(e, store: disk.store)) }
        #expect(!s.document.isModified)
        #expect(s.document.path == "/work/m.yaml")
        #expect(try disk.store.load("/work/m.yaml").model == s.document.model)
    }

    /// A model read from a format paramcount does not write (a Hugging Face config, a checkpoint)
    /// has no save target: `s` asks for a new name instead of writing over the original.
    @Test func savingAnImportAsksForANewName() {
        var s = exampleState()
        let imported = LoadedModel(model: Presets.named("lenet5")!.model, origin: "/models/config.json",
                                   format: "Hugging Face config", saveTarget: nil)
        _ = reduce(&s, .opened(reference: "/models/config.json", asSideB: false, result: .success(imported)))
        #expect(s.document.origin == "/models/config.json" && s.document.path == nil)
        press(&s, .char("c"))
        #expect(press(&s, .char("s")).isEmpty)
        guard case .prompt(.saveAs, let suggested) = s.mode else { Issue.record("no save-as prompt: \(s.mode)"); return }
        #expect(suggested != "/models/config.json")
    }

    @Test func savingAFileInParamcountsFormatWritesItBack() {
        var s = exampleState()
        let own = LoadedModel(model: Presets.named("lenet5")!.model, origin: "m.yaml", format: "paramcount YAML",
                              saveTarget: SaveTarget(path: "/models/m.yaml", format: .yaml))
        _ = reduce(&s, .opened(reference: "m.yaml", asSideB: false, result: .success(own)))
        press(&s, .char("c"))
        let effects = press(&s, .char("s"))
        #expect(effects == [.save(s.document.model, path: "/models/m.yaml", side: 0, quitAfter: false)])
        #expect(s.mode == .normal)
    }

    @Test func aFailedSaveKeepsTheEdits() {
        let disk = MemoryStore()
        disk.failing["/nonexistent-folder/m.yaml"] = "no such folder"
        var s = exampleState()
        s.document.path = "/nonexistent-folder/m.yaml"
        pressAndRun(&s, store: disk.store, [.char("c"), .char("s")])
        #expect(s.message?.kind == .error)
        #expect(s.message?.text.contains("no such folder") == true)
        #expect(s.document.isModified)
        #expect(s.document.model.convention == .pytorch)
        #expect(disk.files.isEmpty)
    }

    @Test func quitAsksWhenThereAreUnsavedChanges() {
        var s = exampleState()
        press(&s, .char("q"))
        #expect(s.quitRequested)
        s = exampleState()
        press(&s, .char("c"), .char("q"))
        #expect(s.mode == .confirmQuit && !s.quitRequested)
        press(&s, .char("n"))
        #expect(s.mode == .normal)
        press(&s, .ctrl("c"), .char("y"))
        #expect(s.quitRequested)
    }

    @Test func openReplacesAnUnmodifiedDocument() {
        let disk = MemoryStore()
        var s = exampleState()
        pressAndRun(&s, store: disk.store, [.char("o")] + "preset:resnet18".map { .char($0) } + [.enter])
        #expect(s.document.count.total == 11_689_512)     // torchvision resnet18
        pressAndRun(&s, store: disk.store, [.char("o")] + "/no/such.yaml".map { .char($0) } + [.enter])
        #expect(s.message?.text.contains("no such file") == true)
        #expect(s.document.count.total == 11_689_512)
    }

    @Test func scrollingKeepsTheSelectionVisible() {
        var s = exampleState(width: 80, height: 24, model: flatResNet50, origin: "resnet50-flat.yaml")
        press(&s, .char("G"))
        let rows = s.layout.listRows
        #expect(s.document.selection == s.document.model.layers.count - 1)
        #expect(s.document.scroll == s.document.model.layers.count - rows)
        press(&s, .pageUp)
        #expect(s.document.selection >= s.document.scroll && s.document.selection < s.document.scroll + rows)
        press(&s, .char("g"))
        #expect(s.document.scroll == 0)
        _ = reduce(&s, .resize(width: 80, height: 16))
        press(&s, .char("G"))
        #expect(s.document.selection - s.document.scroll == s.layout.listRows - 1)
    }

    @Test func mouseSelectsAndScrolls() {
        var s = exampleState()
        press(&s, .mouseClick(x: 5, y: s.layout.listTop + 2))
        #expect(s.document.selection == 2)
        press(&s, .wheelDown)
        #expect(s.document.selection == 3)
    }
}

@Suite("key map")
struct KeyMapTests {
    @Test func noKeyIsBoundTwiceInAScope() {
        for scope in Scope.allCases {
            var seen: Set<Key> = []
            for b in KeyMap.bindings where b.scope == scope {
                for k in b.keys {
                    #expect(!seen.contains(k), "\(k) bound twice in \(scope)")
                    seen.insert(k)
                }
            }
        }
    }

    @Test func everyMovementHasAnArrowAndAViKey() {
        let arrows: Set<Key> = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end]
        for b in KeyMap.bindings where [.up, .down, .top, .bottom].contains(b.command) {
            #expect(b.keys.contains { arrows.contains($0) }, "\(b.command) in \(b.scope) has no arrow")
            #expect(b.keys.contains { if case .char = $0 { return true } else { return false } },
                    "\(b.command) in \(b.scope) has no letter key")
        }
    }

    @Test func everyCommandIsReachable() {
        let bound = Set(KeyMap.bindings.map(\.command))
        for c in Command.allCases { #expect(bound.contains(c), "\(c) has no key") }
    }

    @Test func helpScrollStopsAtItsLastLine() {
        var s = exampleState()
        press(&s, .char("?"))
        for _ in 0..<100 { press(&s, .down) }
        guard case .help(let bottom) = s.mode else { Issue.record("help closed"); return }
        let frame = render(s).text
        press(&s, .up)
        guard case .help(let after) = s.mode else { Issue.record("help closed"); return }
        #expect(after == bottom - 1)
        #expect(render(s).text != frame, "one ↑ after scrolling past the end must move the text")
    }

    @Test func textScopesDoNotFallBackToGlobalKeys() {
        #expect(KeyMap.command(for: .char("q"), in: .editing) == nil)
        #expect(KeyMap.command(for: .char("s"), in: .prompt) == nil)
        #expect(KeyMap.command(for: .char("q"), in: .list) == .quit)
    }

    @Test func readmeListsEveryBinding() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(KeyMap.markdown), "README's key list is out of date: paste KeyMap.markdown")
    }
}

/// Issue 13 rough edges: the value editor and the prompts move a cursor; file prompts complete.
@Suite("typing")
struct TypingTests {
    @Test func theCursorMovesAndEditsInTheMiddle() {
        var s = exampleState()
        press(&s, .down, .enter, .down, .down, .enter, .ctrl("u"))     // the LSTM's hidden
        type(&s, "2566")
        press(&s, .left, .backspace)                                    // 2566 → 256 with the 6 kept last
        #expect(s.editing?.text == "256")
        press(&s, .home)
        type(&s, "1")
        #expect(s.editing?.text == "1256")
        press(&s, .ctrl("e"), .ctrl("w"))
        #expect(s.editing?.text == "")
        type(&s, "512")
        press(&s, .ctrl("a"), .delete)
        #expect(s.editing?.text == "12")
        press(&s, .enter)
        #expect(s.document.model.layers[1].fields[.hidden] == .int(12))
    }

    @Test func promptsCompleteFileNames() {
        let disk = MemoryStore(files: ["/m/models/llama.yaml": "x", "/m/models/lenet.yaml": "x", "/m/other.yaml": "x"])
        var s = exampleState()
        pressAndRun(&s, store: disk.store, [.char("o")] + "/m/mo".map { .char($0) } + [.tab])
        #expect(s.mode == .prompt(.open, text: "/m/models/"))
        pressAndRun(&s, store: disk.store, [.char("l"), .tab])
        #expect(s.mode == .prompt(.open, text: "/m/models/l"))
        #expect(s.message?.text.contains("llama.yaml") == true && s.message?.text.contains("lenet.yaml") == true)
        #expect(render(s).text.contains("lenet.yaml  llama.yaml"))
        pressAndRun(&s, store: disk.store, [.char("l"), .tab])
        #expect(s.mode == .prompt(.open, text: "/m/models/llama.yaml"))
    }

    @Test func presetsCompleteWithoutTheDisk() {
        var s = exampleState()
        press(&s, .char("o"))
        type(&s, "preset:res")
        let effects = press(&s, .tab)
        #expect(effects.isEmpty)
        #expect(s.mode == .prompt(.open, text: "preset:resnet"))
    }
}

@Suite("first layer")
struct FirstLayerTests {
    /// Issue 13 rough edge: deleting the first layer used to be refused when the next one inherits.
    @Test func deletingTheFirstLayerAsksForTheNextOnesWidth() {
        var s = exampleState()
        let total = s.document.count.total
        press(&s, .char("x"))
        #expect(s.document.model.layers.count == 3)
        #expect(s.document.model.layers[0].kind == .lstm)
        #expect(s.document.model.layers[0].fields[.in] == .int(128))
        #expect(s.editing?.text == "128")
        type(&s, "0")
        press(&s, .enter)
        #expect(s.document.model.layers[0].fields[.in] == .int(1280))
        press(&s, .char("u"), .char("u"), .char("u"))
        #expect(s.document.count.total == total)
        #expect(s.document.model == exampleState().document.model)
    }

    @Test func theFirstLayerOffersNoAuto() {
        let model = Model(layers: [Layer(.dense, [(.in, .int(4)), (.out, .int(8))]), Layer(.dense, [(.in, .int(8)), (.out, .int(2))])])
        var s = AppState(document: try! Document(model: model, path: nil, origin: "m"), width: 100, height: 30)
        press(&s, .enter)
        #expect(!render(s).text.contains("A: auto"))
        press(&s, .escape, .down, .enter)             // the second layer can inherit: offered
        #expect(render(s).text.contains("A: auto"))
    }

    @Test func longMessagesKeepTheirStartAndEnd() {
        var s = exampleState(width: 60, height: 20)
        s.message = StatusMessage(kind: .error, text: "Unsaved changes: save (s) or undo (u) before opening another model, or press the key that ends it")
        let text = render(s).text
        #expect(text.contains("Unsaved changes") && text.contains("ends it"))
        #expect(text.contains("1,690,818 (1.7M)"))          // the totals bar stays
    }
}

/// Issue 13 rough edges: nothing is lost or overwritten without a question.
@Suite("questions before losing work")
struct QuestionTests {
    @Test func saveAsAsksBeforeOverwriting() throws {
        let disk = MemoryStore(files: ["/w/m.yaml": "layers: [{kind: dense, in: 1, out: 1}]"])
        var s = exampleState()
        pressAndRun(&s, store: disk.store, [.char("c"), .char("S"), .ctrl("u")] + "/w/m.yaml".map { .char($0) } + [.enter])
        #expect(s.mode == .ask(.overwrite(path: "/w/m.yaml", side: 0, quitAfter: false)))
        #expect(disk.files["/w/m.yaml"]!.contains("in: 1"))
        #expect(render(s).text.contains("Overwrite it?"))
        pressAndRun(&s, store: disk.store, [.char("n")])
        #expect(s.mode == .prompt(.saveAs, text: "/w/m.yaml"))
        pressAndRun(&s, store: disk.store, [.enter, .char("y")])
        #expect(!s.document.isModified)
        #expect(try disk.store.load("/w/m.yaml").model == s.document.model)
    }

    @Test func openWithUnsavedChangesAsks() {
        let disk = MemoryStore()
        var s = exampleState()
        pressAndRun(&s, store: disk.store, [.char("c"), .char("o")])
        #expect(s.mode == .ask(.discardBeforeOpen))
        pressAndRun(&s, store: disk.store, [.char("n")])
        #expect(s.mode == .normal && s.document.isModified)
        pressAndRun(&s, store: disk.store, [.char("o"), .char("y")] + "preset:lenet5".map { .char($0) } + [.enter])
        #expect(s.document.origin == "preset:lenet5")
    }

    @Test func openCanSaveFirst() {
        let disk = MemoryStore()
        var s = exampleState()
        s.document.path = "/w/example.yaml"
        pressAndRun(&s, store: disk.store, [.char("c"), .char("o"), .char("s")])
        #expect(disk.files["/w/example.yaml"] != nil)
        #expect(s.mode == .prompt(.open, text: ""))
    }
}


@Suite("recovery")
struct RecoveryTests {
    /// Issue 13 rough edge: after a recovery, the start offers the unsaved edits back, and saving
    /// goes to the original file.
    @Test func restoringPutsTheEditsBackAndSavesToTheOriginal() throws {
        var edited = Presets.named("example")!.model
        edited.convention = .keras
        let disk = MemoryStore(files: ["/w/m.recovered.yaml": ModelWriter.text(edited, format: .yaml)])
        var s = exampleState()
        s.document.path = "/w/m.yaml"
        s.mode = .ask(.restore(recovery: "/w/m.recovered.yaml", side: 0))
        #expect(render(s).text.contains("Restore them?"))
        pressAndRun(&s, store: disk.store, [.char("y")])
        #expect(s.document.model.convention == .keras && s.document.isModified)
        #expect(s.message?.text.contains("saves them to /w/m.yaml") == true)
        pressAndRun(&s, store: disk.store, [.char("s")])
        #expect(try disk.store.load("/w/m.yaml").model.convention == .keras)
        pressAndRun(&s, store: disk.store, [.char("u")])            // the restore is one undo step
        #expect(s.document.model.convention == .textbook)
    }

    @Test func decliningKeepsTheFileAndSaysWhere() {
        var s = exampleState()
        s.mode = .ask(.restore(recovery: "/w/m.recovered.yaml", side: 0))
        press(&s, .char("n"))
        #expect(s.mode == .normal && !s.document.isModified)
        #expect(s.message?.text.contains("/w/m.recovered.yaml") == true)
    }
}
