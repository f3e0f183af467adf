import ParamCountCore
import Testing

@Suite("kind table")
struct KindTableTests {
    @Test func ordinalsFollowDeclarationOrder() {
        for (i, kind) in LayerKind.allCases.enumerated() { #expect(kind.ordinal == i, "\(kind)") }
        for (i, field) in Field.allCases.enumerated() { #expect(field.ordinal == i, "\(field)") }
        // One bit per field in a 64-bit mask.
        #expect(Field.allCases.count <= 64)
    }

    @Test func everyKindDescribesItself() {
        for kind in LayerKind.allCases {
            #expect(!kind.shortName.isEmpty && kind.shortName.count <= 6, "\(kind)")
            #expect(!kind.summary.isEmpty && kind.summary.count <= 25, "\(kind): the picker has 25 columns for it")
            let names = Schema.fields(of: kind).map(\.name)
            #expect(Set(names).count == names.count, "\(kind) lists a field twice")
            #expect(Schema.fields(of: kind).filter(\.isInputWidth).count <= 1, "\(kind) has two input widths")
        }
    }

    /// A layer added from the picker counts as it is, below a layer of any width and at the top.
    @Test(arguments: [0, 1, 12, 64, 100])
    func newLayersCountBelowAnyWidth(_ width: Int) throws {
        for kind in LayerKind.allCases {
            let layer = kind.newLayer(below: width)
            #expect(layer.kind == kind)
            var layers = [layer]
            if width > 0 { layers.insert(Layer(.dense, [(.in, .int(4)), (.out, .int(width))]), at: 0) }
            // A flatten has nothing to flatten without the model's input shape.
            let input: [Int]? = kind == .flatten ? [4] : nil
            for convention in Convention.allCases {
                #expect(throws: Never.self, "\(kind) below \(width)") {
                    _ = try Counter.count(Model(convention: convention, input: input, layers: layers))
                }
            }
        }
    }

    /// Every field a kind lists has a value in the form once the layer resolves.
    @Test func everyFieldHasAFormValue() throws {
        for kind in LayerKind.allCases {
            let r = try kind.newLayer(below: 64).resolve(previousOutput: 64, shape: kind == .flatten ? Shape([64, 2], layout: .channelsFirst) : nil)
            for spec in Schema.fields(of: kind) {
                for convention in Convention.allCases {
                    #expect(!r.effectiveValue(spec.field, convention: convention).isEmpty, "\(kind).\(spec.name)")
                }
            }
            #expect(!r.shape.isEmpty)
        }
    }
}

@Suite("notes follow the layer")
struct NotesTests {
    /// Every combination of a kind's yes/no fields.
    static func variants(of kind: LayerKind) -> [Layer] {
        let flags = Schema.fields(of: kind).filter { $0.type == .flag }.map(\.field)
        return (0..<(1 << flags.count)).map { bits in
            var layer = kind.newLayer(below: 64)
            for (j, f) in flags.enumerated() { layer.fields[f] = .bool(bits & (1 << j) != 0) }
            return layer
        }
    }

    @Test(arguments: LayerKind.allCases)
    func notesReadWellWithEveryOption(_ kind: LayerKind) throws {
        var derived = 0
        for layer in Self.variants(of: kind) {
            for convention in Convention.allCases {
                // Some combinations are invalid (a gate on shared experts there are none of).
                let shape = kind == .flatten ? Shape([64], layout: .featuresLast) : nil
                guard let d = try? Counter.derivation(of: layer, previousOutput: 64, shape: shape, convention: convention) else { continue }
                derived += 1
                let settings = "\(layer.fields) under \(convention)"
                for note in d.notes {
                    #expect(note.first?.isUppercase == true && note.hasSuffix("."), "\(note) (\(settings))")
                    for wrong in ["An GRU", "A LSTM", "A RNN", "a/an"] { #expect(!note.contains(wrong), "\(note)") }
                }
                if layer.fields[.bias] == .bool(false) {
                    #expect(!d.notes.contains { $0.contains("bias h") || $0.contains("bias vector") }, "\(d.notes) (\(settings))")
                }
            }
        }
        #expect(derived >= Convention.allCases.count)
    }

    @Test func recurrentCellNoteFollowsBias() throws {
        let expected: [(LayerKind, String, String)] = [
            (.rnn, "An RNN cell has input weights i × h, recurrent weights h × h and a bias h.",
             "An RNN cell has input weights i × h, recurrent weights h × h."),
            (.gru, "A GRU has 3 gates (reset, update, new); each gate has input weights i × h, recurrent weights h × h and a bias h.",
             "A GRU has 3 gates (reset, update, new); each gate has input weights i × h and recurrent weights h × h."),
            (.lstm, "An LSTM has 4 gates (input, forget, cell, output); each gate has input weights i × h, recurrent weights h × h and a bias h.",
             "An LSTM has 4 gates (input, forget, cell, output); each gate has input weights i × h and recurrent weights h × h."),
        ]
        for (kind, withBias, withoutBias) in expected {
            for convention in Convention.allCases {
                let on = try Counter.derivation(of: recurrent(kind, 8, 16), previousOutput: nil, convention: convention)
                let off = try Counter.derivation(of: recurrent(kind, 8, 16, bias: false), previousOutput: nil, convention: convention)
                #expect(on.notes.first == withBias)
                #expect(off.notes.first == withoutBias)
                #expect(!off.notes.contains { $0.contains("bias") }, "\(off.notes)")
            }
        }
    }

    @Test func recurrentNotesFollowDirectionsAndStacking() throws {
        let plain = try Counter.derivation(of: recurrent(.gru, 8, 16), previousOutput: nil, convention: .textbook)
        #expect(plain.notes.count == 1)
        let both = try Counter.derivation(of: recurrent(.gru, 8, 16, layers: 3, bi: true), previousOutput: nil, convention: .textbook)
        #expect(both.notes.contains { $0.contains("d = 2") } && both.notes.contains { $0.contains("h × d") })
    }
}
