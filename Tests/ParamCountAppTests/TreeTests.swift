@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// The layer list as a tree (issue 9): groups fold and unfold, rows inside a repeated group show
/// one repetition, and editing inside a group — its repeat, a width, adding, moving, deleting —
/// recounts exactly and undoes.
@Suite("layer tree")
struct TreeTests {
    static let d = 64, f = 172, vocab = 1000, blocks = 4

    /// A small decoder-only model shaped like a Llama: embedding, a group of blocks, norm, head.
    /// Counts below are torch.nn's: Embedding(V, d) = V·d; RMSNorm(d) = d; Linear(i, o, bias=False) = i·o.
    static func model(repeat r: Int = blocks) -> Model {
        let block = [
            Layer(.rmsnorm, name: "input_layernorm"),
            Layer(.dense, name: "up_proj", [(.out, .int(f)), (.bias, .bool(false))]),
            Layer(.dense, name: "down_proj", [(.out, .int(d)), (.bias, .bool(false))]),
        ]
        var group = Layer(.group, name: "layers", [(.repeat, .int(r))])
        group.body = block
        return Model(name: "tiny", convention: .pytorch, layers: [
            Layer(.embedding, name: "embed_tokens", [(.vocab, .int(vocab)), (.dim, .int(d))]),
            group,
            Layer(.rmsnorm, name: "norm"),
            Layer(.dense, name: "lm_head", [(.out, .int(vocab)), (.bias, .bool(false))]),
        ])
    }

    static func expectedTotal(repeat r: Int, f ff: Int = f) -> Int {
        vocab * d + r * (d + d * ff + ff * d) + d + d * vocab
    }

    func state(width: Int = 100, height: Int = 30) -> AppState {
        AppState(document: try! Document(model: Self.model(), path: nil, origin: "tiny"), width: width, height: height)
    }

    @Test func opensFoldedAndUnfoldsLikeAFileTree() {
        var s = state()
        #expect(s.document.count.total == Self.expectedTotal(repeat: Self.blocks))
        #expect(s.document.rows.count == 4)
        #expect(render(s).text.contains("▸ layers ×4"))
        press(&s, .down, .enter)                    // Enter on a folded group unfolds it
        #expect(s.document.rows.count == 7 && s.focus == .list)
        #expect(render(s).text.contains("▾ layers ×4"))
        press(&s, .down)
        #expect(s.document.selectedPath == LayerPath([.layer(1), .layer(0)]))
        press(&s, .left)                             // ← on a layer inside folds its group
        #expect(s.document.rows.count == 4 && s.document.selectedPath == LayerPath(1))
        press(&s, .char("z"))
        #expect(s.document.rows.count == 7)
        press(&s, .char("z"))
        #expect(s.document.rows.count == 4)
    }

    @Test func rowsInsideARepeatedGroupShowOneRepetition() {
        var s = state()
        press(&s, .down, .enter, .down, .down)      // up_proj inside the group
        let list = render(s).text.split(separator: "\n").map { String($0.prefix(s.layout.listWidth)) }
        let row = list.first { $0.contains("up_proj") }!
        #expect(row.contains(Format.human(Self.d * Self.f)))
        #expect(row.contains("×4"))
    }

    @Test func editingRepeatRecountsEverything() {
        var s = state()
        press(&s, .down, .char("l"), .char("l"))    // unfold, then the group's form
        guard let row = s.formRows.firstIndex(where: { if case .field(let spec) = $0 { return spec.field == .repeat } else { return false } }) else {
            Issue.record("no repeat field"); return
        }
        s.document.field = row
        press(&s, .enter, .ctrl("u"))
        type(&s, "40")
        #expect(s.shownCount.total == Self.expectedTotal(repeat: 40))   // live, before Enter
        press(&s, .enter)
        #expect(s.document.count.total == Self.expectedTotal(repeat: 40))
        press(&s, .escape, .char("u"))
        #expect(s.document.count.total == Self.expectedTotal(repeat: Self.blocks))
    }

    @Test func editingAWidthInsideAGroup() {
        var s = state()
        press(&s, .down, .enter, .down, .down, .enter)   // up_proj's form
        press(&s, .down, .down, .enter, .ctrl("u"))       // out
        type(&s, "256")
        press(&s, .enter)
        #expect(s.document.count.total == Self.expectedTotal(repeat: Self.blocks, f: 256))
        #expect(render(s).text.contains("layers/up_proj"))
    }

    @Test func addingMovingAndDeletingInsideAGroupUndo() {
        var s = state()
        let original = s.document.model
        press(&s, .down, .enter, .down)                   // input_layernorm, inside
        press(&s, .char("a"))
        guard case .picker = s.mode else { Issue.record("no picker"); return }
        s.mode = .picker(selection: LayerKind.allCases.firstIndex(of: .rmsnorm)!)
        press(&s, .enter, .escape)
        #expect(s.document.model.layers[1].body.count == 4)
        #expect(s.document.count.total == Self.expectedTotal(repeat: Self.blocks) + Self.blocks * Self.d)
        press(&s, .char("u"))
        #expect(s.document.model == original)
        s.document.select(LayerPath([.layer(1), .layer(0)]))

        press(&s, .char("K"))                             // first in the group: steps out above it
        #expect(s.document.model.layers.count == 5 && s.document.model.layers[1].kind == .rmsnorm)
        #expect(s.document.model.layers[2].body.count == 2)
        press(&s, .char("u"))
        #expect(s.document.model == original)

        press(&s, .up, .char("x"))                        // the whole group
        #expect(s.document.model.layers.count == 3)
        press(&s, .char("u"))
        #expect(s.document.model == original)
        press(&s, .char("y"))                             // a duplicated group counts twice
        #expect(s.document.count.total == Self.expectedTotal(repeat: 2 * Self.blocks))
    }

    @Test func compareAlignsBlockByBlock() {
        var a = try! Document(model: Self.model(), path: nil, origin: "a")
        var bModel = Self.model(repeat: 8)
        bModel.layers.insert(Layer(.rmsnorm, name: "extra"), at: 1)
        let b = try! Document(model: bModel, path: nil, origin: "b")
        a.setAllOpen(true)
        var s = AppState(documents: [a, b], width: 120, height: 40)
        s.update(side: 1) { $0.setAllOpen(true) }
        let rows = s.alignment
        // Every named row of A meets the row of B with the same path; B's extra norm stands alone.
        let paired = rows.filter { $0.a != nil && $0.b != nil }.count
        #expect(paired == s.documents[0].rows.count)
        #expect(rows.contains { $0.a == nil && $0.b != nil })
    }
}

@Suite("tied heads in the editor")
struct TiedHeadEditorTests {
    /// GPT-2's lm_head uses wte's table (transformers ties them): its derivation says which one.
    @Test func theDerivationNamesTheEmbedding() {
        var s = exampleState(width: 120, height: 40, preset: "gpt2-small")
        press(&s, .char("G"))
        #expect(s.shownLayer?.name == "lm_head")
        let text = render(s).text
        #expect(text.contains("The embedding it shares: wte"), "\(text)")
    }
}
