import Foundation
@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// The figures below are Llama-3.1-8B's (32 layers, 8 key/value heads of 128, 8,030,261,248
/// parameters): its KV cache is 2 × 32 × 8 × 128 = 65,536 values per token.
@Suite("planner controller")
struct PlannerControllerTests {
    func planned(_ s: AppState) throws -> Plan { try s.plan(side: s.active).get() }

    @Test func oneKeyOpensItAndEscapeGoesBack() {
        var s = exampleState(preset: "llama-3.1-8b")
        assertReduce(&s, .key(.char("P"))) { $0.togglePlanner() }
        #expect(s.screen == .planner && s.scope == .planner)
        press(&s, .escape)
        #expect(s.screen == .editor && s.scope == .list)
        press(&s, .char("P"), .char("P"))
        #expect(s.screen == .editor)
    }

    /// The user story of issue 12: context 32k, batch 4, weights and KV cache and the cards they fit
    /// on; then LoRA r=16 training with its trainable parameters and memory.
    @Test func contextBatchThenLoRATraining() throws {
        var s = exampleState(preset: "llama-3.1-8b")
        press(&s, .char("P"), .down, .char(" "), .char(" "))       // weights: fp32 → fp16 → bf16
        #expect(s.document.dtype == .bf16)
        press(&s, .down, .down)                                    // context
        #expect(s.planner.row == .context)
        for _ in 0..<3 { press(&s, .right) }                       // 4,096 → 8,192 → 16,384 → 32,768
        #expect(s.planner.settings.context == 32_768)
        press(&s, .down, .enter, .ctrl("u"))                       // batch: type 4
        type(&s, "4")
        #expect(s.planner.shown.batch == 4 && s.planner.settings.batch == 1)   // live, not yet kept
        press(&s, .enter)
        #expect(s.planner.settings.batch == 4 && s.planner.typing == nil)
        var p = try planned(s)
        #expect(p.memory.map(\.value) == [8_030_261_248 * 2, 65_536 * 32_768 * 4 * 2])
        #expect(p.fits.first { $0.accelerator.name == "H100 80 GB" }?.fits == true)
        #expect(p.fits.first { $0.accelerator.name == "RTX 4090 24 GB" }?.fits == false)

        press(&s, .char("g"), .char(" "))                          // mode: training
        press(&s, .char("G"), .up)                                 // LoRA rank
        #expect(s.planner.row == .loraRank)
        type(&s, "16")
        press(&s, .enter)
        p = try planned(s)
        // peft 0.21.2: r=16 on q_proj and v_proj of LlamaForCausalLM trains 6,815,744 parameters.
        #expect(p.adapters?.value == 6_815_744)
        #expect(p.memory.map(\.id) == [.weights, .gradients, .masterWeights, .optimizerStates])
        #expect(p.activations?.certainty == .estimate)
        let screen = render(s).text
        #expect(screen.contains("LoRA adapters") && screen.contains("r × Σ(d_in + d_out)"))
        #expect(screen.contains("Training with LoRA r=16"))
    }

    @Test func typingShowsTheValueLiveAndAnInvalidOneIsRefused() throws {
        var s = exampleState(preset: "llama-3.1-8b")
        press(&s, .char("P"), .down, .down, .down)                 // context
        type(&s, "8")                                             // a digit starts typing over it
        #expect(s.planner.typing == "8" && s.scope == .editing)
        #expect(try planned(s).memory[1].value == 65_536 * 8 * 2)  // fp16 cache of 8 tokens, live
        type(&s, "x")
        #expect(s.message?.kind == .error && s.message?.text.contains("context must be") == true)
        press(&s, .enter)                                          // refused, still typing
        #expect(s.planner.typing == "8x" && s.planner.settings.context == 4096)
        press(&s, .escape)
        #expect(s.planner.typing == nil && s.planner.settings.context == 4096 && s.scope == .planner)
        press(&s, .enter, .ctrl("u"))
        type(&s, "1e3")
        #expect(s.message?.text.contains("write 1000") == true)
        press(&s, .escape, .down, .down, .down, .down, .down, .enter, .ctrl("u"), .char("0"), .enter)   // LoRA rank 0 is allowed
        #expect(s.planner.row == .loraRank && s.planner.settings.loraRank == 0 && s.planner.typing == nil)
    }

    @Test func stepsStopAtTheEndsAndCycleChoices() {
        var s = exampleState(preset: "llama-3.1-8b")
        press(&s, .char("P"), .down, .down, .down)
        for _ in 0..<30 { press(&s, .left) }
        #expect(s.planner.settings.context == 128)
        for _ in 0..<30 { press(&s, .right) }
        #expect(s.planner.settings.context == 1 << 20)
        press(&s, .down, .down)                                    // optimizer
        press(&s, .char(" "))
        #expect(s.planner.settings.optimizer == .sgd)
        press(&s, .left, .left)
        #expect(s.planner.settings.optimizer == .adafactor)
        press(&s, .enter)                                          // Enter on a choice is the next one
        #expect(s.planner.settings.optimizer == .adamw)
    }

    @Test func layerKeysDoNothingToTheModelHere() {
        var s = exampleState(preset: "llama-3.1-8b")
        let model = s.document.model
        press(&s, .char("P"))
        for key in [Key.char("x"), .char("a"), .char("y"), .char("J"), .char("K"), .delete, .char("A"), .tab, .char("x")] {
            press(&s, key)
        }
        #expect(s.document.model == model && !s.document.isModified && s.screen == .planner)
    }

    @Test func weightTypeIsTheDocumentsOwn() {
        var s = compareState("gpt2-small", "bert-base")
        press(&s, .char("P"), .down, .char(" "))
        #expect(s.documents.map(\.dtype) == [.fp16, .fp16])
        press(&s, .char("t"))                                      // the editor's key changes it too
        #expect(s.planner.row.text(s.plannerSettings(side: 0)) == "bf16")
    }

    @Test func conventionAndUndoReachThePlan() throws {
        var s = exampleState()
        press(&s, .char("P"))
        let before = try planned(s).parameters
        press(&s, .char("c"))                                      // pytorch: the LSTM's second bias
        #expect(try planned(s).parameters == before + 4 * 256)
        press(&s, .char("u"))
        #expect(try planned(s).parameters == before)
    }

    @Test func comparingPlansBothSidesWithTheSameSettings() throws {
        var s = compareState("gpt2-small", "bert-base")
        press(&s, .char("P"))
        #expect(s.screen == .planner && s.screenScopes == [.compare])
        let text = render(s).text
        #expect(text.contains("A: GPT-2 small") && text.contains("B − A"))
        press(&s, .char("w"))
        #expect(s.active == 1)
        press(&s, .escape)
        #expect(s.screen == .compare)
        // Opening a second model from the planner keeps the planner.
        var one = exampleState()
        press(&one, .char("P"))
        _ = reduce(&one, .opened(reference: "preset:lenet5", asSideB: true,
                                 result: .success(LoadedModel(model: Presets.lenet5.model, origin: "preset:lenet5", format: "preset",
                                                              saveTarget: nil))))
        #expect(one.screen == .planner && one.comparing)
        press(&one, .char("B"))
        #expect(one.screen == .planner && !one.comparing)
    }

    @Test func figuresScrollAndStayInRange() {
        var s = exampleState(preset: "llama-3.1-8b")
        press(&s, .char("P"), .char(" "))                          // training: more figures
        let most = s.plannerPanel(side: 0).maxScroll
        #expect(most > 0)
        for _ in 0..<50 { press(&s, .pageDown) }
        #expect(s.planner.scroll == most)
        press(&s, .wheelUp)
        #expect(s.planner.scroll < most)
        _ = reduce(&s, .resize(width: 200, height: 120))
        #expect(s.planner.scroll == s.plannerPanel(side: 0).maxScroll)
        #expect(s.document.selection == 0)                        // the wheel scrolled figures, not layers
    }

    /// A checkpoint's weights are planned as stored; the weights setting offers that first, then the
    /// types `t` cycles.
    @Test func aCheckpointIsPlannedAsStored() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ParamCountFilesTests/Fixtures/tensors/llama-tiny.safetensors").path
        let loaded = try ModelFile.load(file)
        var s = AppState(document: try Document(loaded, origin: file))
        press(&s, .char("P"), .down)
        #expect(s.planner.row.text(s.plannerSettings(side: 0)) == "as stored")
        // safetensors 0.8.0 reports BF16 11,776 + F16 1,024 + F32 336 bytes for this file.
        #expect(try planned(s).memory.first?.value == 13_136)
        press(&s, .char(" "))
        #expect(s.planner.row.text(s.plannerSettings(side: 0)) == "fp32" && s.document.dtype == .fp32)
        #expect(try planned(s).memory.first?.value == 6_484 * 4)
        press(&s, .left)
        #expect(s.planner.row.text(s.plannerSettings(side: 0)) == "as stored")
        press(&s, .left)
        #expect(s.document.dtype == .int4 && !s.plannerSettings(side: 0).asStored)
    }

    @Test func helpListsThePlannerKeys() {
        #expect(KeyMap.command(for: .char("P"), in: .list) == .togglePlanner)
        #expect(KeyMap.command(for: .char(" "), in: .planner) == .nextValue)
        #expect(KeyMap.command(for: .char("q"), in: .planner) == .quit)
        #expect(HelpOverlay.lines.contains { $0.isHeading && $0.keys == "Memory and compute planner" })
    }
}

@Suite("planner screens")
struct PlannerScreenTests {
    /// The user story's screen: Llama-3.1-8B in bf16 at 32,768 tokens × 4 sequences.
    func storyState(width: Int, height: Int) -> AppState {
        var s = exampleState(width: width, height: height, preset: "llama-3.1-8b")
        press(&s, .char("P"), .down, .char(" "), .char(" "), .down, .down, .right, .right, .right, .down, .right, .right)
        return s
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func inference(_ w: Int, _ h: Int) {
        assertGolden(render(storyState(width: w, height: h)), "planner-\(w)x\(h)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func loraTraining(_ w: Int, _ h: Int) {
        var s = storyState(width: w, height: h)
        press(&s, .char("g"), .char(" "), .char("G"), .up)
        type(&s, "16")
        press(&s, .enter)
        assertGolden(render(s), "planner-lora-\(w)x\(h)")
    }

    @Test func comparing() {
        var s = compareState("gpt2-small", "bert-base", width: 120, height: 40)
        press(&s, .char("P"))
        assertGolden(render(s), "planner-compare-120x40")
    }

    @Test func asciiTerminalsGetOnlyASCII() {
        var s = storyState(width: 80, height: 24)
        s.ascii = true
        let text = render(s).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
    }
}
