import Foundation
@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// A checkpoint open in the editor: its rows' tensors under the form, and saving a copy.
@Suite("checkpoint in the editor")
struct CheckpointScreenTests {
    /// Modules named as GPT-2's attention block names them, at the top of the state dict so that
    /// they are rows of the list: the causal-mask buffer on `attn`, weight and bias on `c_attn`
    /// (Conv1D: in × out).
    static func opened(width: Int = 100, height: Int = 36) throws -> AppState {
        let bytes = SafetensorsFile.bytes([("attn.bias", "F32", [1, 1, 8, 8]), ("c_attn.weight", "F32", [768, 2_304]),
                                           ("c_attn.bias", "F32", [2_304])], metadata: [("format", "pt")])
        let loaded = try ModelFile.read(bytes, named: "gpt2.safetensors")
        var s = exampleState(width: width, height: height)
        _ = reduce(&s, .opened(reference: "gpt2.safetensors", asSideB: false, result: .success(loaded)))
        return s
    }

    /// Its rows have no formulas to shape: I says so instead of showing MACs of 0.
    @Test func anInputShapeIsForModelsNotCheckpoints() throws {
        var s = try Self.opened()
        press(&s, .char("I"))
        #expect(s.editing == nil)
        #expect(s.message?.text.contains("shapes and MACs need a model file or its config.json") == true)
        #expect(s.document.model.input == nil)
    }

    @Test func theFormListsTheRowsTensors() throws {
        var s = try Self.opened()
        #expect(s.document.model.layers.map(\.name) == ["attn", "c_attn"])
        press(&s, .down)
        let text = render(s).text
        #expect(text.contains("Tensors (2)"))
        // The list shows a row's first tensor as its shape, and how many more it holds.
        #expect(text.contains("768×2304 +1"))
        #expect(text.contains("1×1×8×8"))
        #expect(text.contains("weight  768×2304  F32  1,769,472"))
        #expect(text.contains("bias    2304  F32  2,304"))
        #expect(text.contains("safetensors"))
        #expect(text.contains("stored: F32 6.8 MiB"))
        // The mask is a buffer: its row does not train.
        #expect(s.document.model.layers[0].trainable == false)
        #expect(s.document.count.nonTrainable == 64)
    }

    @Test func rowsInsideTheTreeListTheirTensors() throws {
        // As GPT-2's checkpoint nests them: h → 0 → attn → c_attn.
        let bytes = SafetensorsFile.bytes([("wte.weight", "F32", [50, 8]), ("h.0.attn.c_attn.weight", "F32", [8, 24]),
                                           ("h.0.attn.c_attn.bias", "F32", [24])])
        let loaded = try ModelFile.read(bytes, named: "gpt2.safetensors")
        var s = exampleState(width: 100, height: 30)
        _ = reduce(&s, .opened(reference: "gpt2.safetensors", asSideB: false, result: .success(loaded)))
        press(&s, .char("z"))
        #expect(s.document.rows.count == 5)
        // wte, h, 0, attn, c_attn: the last row is the module holding the tensors.
        press(&s, .char("G"))
        #expect(s.document.model.namePath(at: s.document.selectedPath) == "h/0/attn/c_attn")
        let text = render(s).text
        #expect(text.contains("Tensors (2)"))
        #expect(text.contains("weight  8×24  F32  192"))
        #expect(text.contains("bias    24  F32  24"))
        // The list shows each row's first tensor as its shape.
        #expect(text.contains("8×24 +1"))
        #expect(text.contains("50×8"))
    }

    @Test func theTitleSaysWhetherTheConfigBesideAgrees() throws {
        let dir = tensorTempDir("app-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A checkpoint holding only the embedding of the Llama its config describes.
        SafetensorsFile.write(dir + "/model.safetensors", [("model.embed_tokens.weight", "F32", [10, 8])])
        let config = #"{"model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": 10, "hidden_size": 8, "#
            + #""intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2}"#
        try config.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        let loaded = try ModelFile.load(dir)
        let check = try #require(loaded.checkpoint?.configCheck)
        #expect(!check.agrees && check.weights == 80)
        var s = exampleState(width: 120, height: 30)
        _ = reduce(&s, .opened(reference: dir, asSideB: false, result: .success(loaded)))
        let title = render(s).text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(title.contains("config ✗ " + Format.signed(check.weights - check.config, human: true)), "\(title)")
    }

    @Test func savingAsksForANewNameAndWritesCustomRows() throws {
        let disk = MemoryStore()
        var s = try Self.opened()
        #expect(s.document.path == nil)
        #expect(press(&s, .char("s")).isEmpty)
        guard case .prompt(.saveAs, _) = s.mode else { Issue.record("no save-as prompt: \(s.mode)"); return }
        pressAndRun(&s, store: disk.store, [.ctrl("u")] + "/work/gpt2-copy.yaml".map { .char($0) } + [.enter])
        #expect(s.document.path == "/work/gpt2-copy.yaml")
        let copy = try disk.store.load("/work/gpt2-copy.yaml")
        #expect(copy.model == s.document.model)
        #expect(try Counter.count(copy.model).total == 64 + 768 * 2_304 + 2_304)
    }
}
