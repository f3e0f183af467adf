import Foundation
@testable import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing
import TestSupport

/// Random valid models: layers are drawn at random and kept when the model still counts.
func randomModel(_ rng: inout SplitMix) -> Model {
    var model = Model(convention: Convention.allCases.randomElement(using: &rng)!,
                      layers: [Layer(.embedding, [(.vocab, .int(Int.random(in: 1...5000, using: &rng))),
                                                  (.dim, .int([8, 16, 24, 64].randomElement(using: &rng)!))])])
    let target = Int.random(in: 1...25, using: &rng)
    var attempts = 0
    while model.layers.count < target && attempts < 200 {
        attempts += 1
        let kind = LayerKind.allCases.randomElement(using: &rng)!
        var layer = Layer(kind, name: Bool.random(using: &rng) ? "l\(attempts)\u{1B}[31m" : nil,
                          trainable: Int.random(in: 0..<5, using: &rng) > 0)
        for spec in Schema.fields(of: kind) where Bool.random(using: &rng) || spec.defaultValue == .required {
            switch spec.type {
            case .width(let inherits):
                layer.fields[spec.field] = inherits && Bool.random(using: &rng) ? .auto : .int(Int.random(in: 1...64, using: &rng))
            case .count: layer.fields[spec.field] = .int(Int.random(in: 0...10_000, using: &rng))
            case .flag: layer.fields[spec.field] = .bool(Bool.random(using: &rng))
            case .kernel: layer.fields[spec.field] = Bool.random(using: &rng) ? .int(Int.random(in: 1...7, using: &rng))
                : .ints(Sizes((0..<Int.random(in: 1...3, using: &rng)).map { _ in Int.random(in: 1...5, using: &rng) }))
            case .spatialDims: break
            case .sizes(let zero, _):
                layer.fields[spec.field] = .int(Int.random(in: (zero ? 0 : 1)...3, using: &rng))
            case .choice(let options): layer.fields[spec.field] = .option(Word(options.randomElement(using: &rng)!)!)
            }
        }
        var candidate = model
        candidate.layers.append(layer)
        if (try? Counter.count(candidate)) != nil { model = candidate }
    }
    return model
}

@Suite("controller fuzzing")
struct ControllerFuzzTests {
    static let keys: [Key] = {
        var keys = Set(KeyMap.bindings.flatMap(\.keys))
        for c in "0123456789auto,x[]-_ é字\u{7F}" { keys.insert(.char(c)) }
        keys.insert(.mouseClick(x: 5, y: 3))
        keys.insert(.mouseClick(x: 60, y: 4))
        // Keys that leave the app or the model alone get drawn less often below.
        return Array(keys)
    }()

    func checkInvariants(_ s: AppState, seed: UInt64, step: Int) {
        for (side, doc) in s.documents.enumerated() {
            #expect(doc.rows.indices.contains(doc.selection), "seed \(seed) step \(step) side \(side): selection")
            #expect(doc.scroll >= 0 && doc.scroll < max(1, doc.rows.count), "seed \(seed) step \(step): scroll")
            // The rows are the tree walked through the unfolded groups, and every one is a layer.
            #expect(doc.rows.allSatisfy { doc.model.layer(at: $0.path) != nil }, "seed \(seed) step \(step): a row without a layer")
            // The totals shown are those of a fresh count of the document.
            #expect((try? Counter.count(doc.model)) == doc.count, "seed \(seed) step \(step) side \(side): stale count")
        }
        let rows = FormRow.rows(for: s.shownLayer!.kind)
        #expect(rows.indices.contains(s.document.field), "seed \(seed) step \(step): field")
        if case .success(let preview)? = s.editing?.preview, let e = s.editing {
            var model = s.document.model
            if e.target == .input, case .success(let dims) = Shape.parse(e.text) {
                model.input = dims
                #expect((try? Counter.count(model)) == preview, "seed \(seed) step \(step): input preview")
            } else if let old = model.layer(at: e.path), case .success(let layer) = s.candidate(for: e, layer: old) {
                model.replace(at: e.path, with: layer)
                #expect((try? Counter.count(model)) == preview, "seed \(seed) step \(step): preview")
            }
        }
        // One screen at a time: comparing needs two documents, and two documents are never shown
        // by the single-model editor.
        if s.screen == .compare { #expect(s.documents.count == 2, "seed \(seed) step \(step): compare with one model") }
        if s.documents.count == 2 { #expect(s.screen != .editor, "seed \(seed) step \(step): second model hidden") }
        #expect(s.documents.indices.contains(s.active), "seed \(seed) step \(step): active side")
        // Rendering is the slow part: every 16th step still draws each screen and overlay many
        // times over a run, and the model invariants above hold on every step.
        guard step % 16 == 0 else { return }
        let grid = render(s)
        #expect(!grid.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } },
                "seed \(seed) step \(step): control character on screen")
    }

    /// Keys that open or close a side: the undo property below holds per document, and these make
    /// and drop documents, so they run in their own test.
    static let sideKeys: Set<Key> = [.char("="), .char("b"), .char("B")]

    @Test(arguments: Array(UInt64(101)...UInt64(108)))
    func openingAndClosingSidesKeepTheInvariants(seed: UInt64) {
        var rng = SplitMix(state: seed)
        var s = AppState(document: try! Document(model: randomModel(&rng), path: nil, origin: "fuzz"))
        for step in 0..<1_500 {
            let key = Int.random(in: 0..<10, using: &rng) == 0 ? Self.sideKeys.randomElement(using: &rng)! : Self.keys.randomElement(using: &rng)!
            _ = reduce(&s, .key(key))
            if s.quitRequested { s.quitRequested = false; s.mode = .normal }
            checkInvariants(s, seed: seed, step: step)
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(24)))
    func randomKeysKeepTheInvariants(seed: UInt64) {
        let keys = Self.keys.filter { !Self.sideKeys.contains($0) }
        var rng = SplitMix(state: seed)
        var docs = [try! Document(model: randomModel(&rng), path: nil, origin: "fuzz")]
        if seed % 3 == 0 { docs.append(try! Document(model: randomModel(&rng), path: nil, origin: "fuzz b")) }
        let originals = docs.map(\.model)
        var s = AppState(documents: docs, width: [60, 80, 120].randomElement(using: &rng)!, height: [16, 24, 40].randomElement(using: &rng)!)
        for step in 0..<2_000 {
            if Int.random(in: 0..<200, using: &rng) == 0 {
                _ = reduce(&s, .resize(width: Int.random(in: 20...160, using: &rng), height: Int.random(in: 5...50, using: &rng)))
            } else {
                // File effects are not carried out: prompts and saves only change the state.
                _ = reduce(&s, .key(keys.randomElement(using: &rng)!))
            }
            if s.quitRequested { s.quitRequested = false; s.mode = .normal }
            checkInvariants(s, seed: seed, step: step)
        }
        // Undoing everything on every side restores each original model exactly.
        _ = reduce(&s, .key(.escape))
        s.mode = .normal
        for side in s.documents.indices {
            s.active = side
            while s.document.undo() {}
        }
        let restored = s.documents.map(\.model)
        // Sides may have been swapped (W): compare as a multiset.
        #expect(restored.count == originals.count, "seed \(seed)")
        for model in restored { #expect(originals.contains(model), "seed \(seed): undo did not restore a side") }
        #expect(s.documents.allSatisfy { !$0.isModified }, "seed \(seed): undone but still marked modified")
    }
}
