import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Model files with an input shape: every new field read, written and read back, and shape errors
/// pointing at the line to fix. PyTorch's figures come from scripts/reference/shape_tests_reference.py
/// (torch 2.15.0).
@Suite("files with shapes")
struct ShapeFileTests {
    static let yaml = """
        name: shapes
        convention: pytorch
        input: [3, 32, 32]
        layers:
          - {kind: conv, in: 3, out: 8, kernel: 3, stride: [2, 1], padding: [1, 2], dilation: 2}
          - {kind: conv, out: 8, kernel: 4, padding: same}
          - {kind: conv, out: 8, kernel: 3, padding: valid}
          - {kind: pool, mode: max, kernel: 3, stride: 2, padding: 1}
          - {kind: conv, out: 4, kernel: 3, transposed: true, stride: 2, padding: 1, output_padding: 1}
          - {kind: pool, mode: avg, output: [2, 3]}
          - {kind: flatten}
          - {kind: dense, out: 10}
        """

    /// The same layers as torch.nn modules (Conv2d, MaxPool2d, ConvTranspose2d, AdaptiveAvgPool2d,
    /// Flatten, Linear(24, 10)) on 1×3×32×32: 2,382 parameters, 850,320 MACs, these shapes.
    @Test func everyNewFieldReadsAndCountsAsPyTorch() throws {
        let loaded = try ModelFile.parse(Self.yaml, format: .yaml, file: "m.yaml")
        let m = loaded.model
        #expect(m.input == [3, 32, 32])
        #expect(m.layers[0].fields[.stride] == .ints([2, 1]) && m.layers[0].fields[.padding] == .ints([1, 2]))
        #expect(m.layers[0].fields[.dilation] == .int(2))
        #expect(m.layers[1].fields[.padding] == .option("same") && m.layers[2].fields[.padding] == .option("valid"))
        #expect(m.layers[3].kind == .pool && m.layers[3].fields[.mode] == .option("max"))
        #expect(m.layers[4].fields[.outputPadding] == .int(1) && m.layers[4].fields[.transposed] == .bool(true))
        #expect(m.layers[5].fields[.output] == .ints([2, 3]) && m.layers[6].kind == .flatten)
        let c = try Counter.count(m)
        #expect(c.total == 2_382 && c.macs == 850_320)
        #expect(c.layers.map { $0.shapes?.output.dims ?? [] }
                == [[8, 15, 32], [8, 15, 32], [8, 13, 30], [8, 7, 15], [4, 14, 30], [4, 2, 3], [24], [10]])
        #expect(c.layers[7].input == 24 && c.layers[7].inputInherited)
    }

    @Test(arguments: [FileFormat.yaml, .json])
    func inputAndEveryNewFieldRoundTrip(_ format: FileFormat) throws {
        let m = try ModelFile.parse(Self.yaml, format: .yaml, file: "m.yaml").model
        let text = ModelWriter.text(m, format: format)
        let pieces = format == .json
            ? ["\"input\": [3, 32, 32]", "\"stride\": [2, 1]", "\"dilation\": 2", "\"padding\": \"same\"", "\"padding\": \"valid\"",
               "\"output_padding\": 1", "\"mode\": \"avg\"", "\"output\": [2, 3]", "\"kind\": \"flatten\""]
            : ["input: [3, 32, 32]", "stride: [2, 1]", "dilation: 2", "padding: same", "padding: valid", "output_padding: 1",
               "mode: avg", "output: [2, 3]", "kind: flatten"]
        for piece in pieces { #expect(text.contains(piece), "\(piece) in\n\(text)") }
        let back = try ModelFile.parse(text, format: format, file: "m.\(format.rawValue)").model
        #expect(back == m)
        #expect(try Counter.count(back).macs == 850_320)
    }

    @Test func jsonReadsTheInput() throws {
        let m = try ModelFile.parse("""
            {"convention": "pytorch", "input": [2, 100],
             "layers": [{"kind": "conv", "out": 4, "kernel": 3, "dims": 1}, {"kind": "pool", "kernel": 2}, {"kind": "flatten"}]}
            """, format: .json, file: "m.json").model
        // Conv1d(2, 4, 3) on [2, 100] gives [4, 98] (torch 2.15), MaxPool1d(2) [4, 49], flattened 196.
        let c = try Counter.count(m)
        #expect(m.input == [2, 100] && c.outputShape?.dims == [196] && c.total == 28 && c.macs == 2_352)
    }

    /// Each error names the file, the line to fix and the field; the message says what is allowed.
    @Test(arguments: [
        // (file, line, field, pieces of the message)
        ("input: [3, 0, 224]\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", 1, "input", ["must be positive", "got 0"]),
        ("input: []\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", 1, "input", ["has 0 sizes", "give 1 to 4"]),
        ("input: 224\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", 1, "input", ["a list of 1 to 4 positive sizes", "[3, 224, 224]"]),
        ("input: [3, x, 224]\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", 1, "input", ["a list of 1 to 4 positive sizes"]),
        // Conv2d(3, 8, 7, padding=1) on 4×4: torch refuses, the kernel spans more than the padded 6.
        ("input: [3, 4, 4]\nlayers:\n  - kind: conv\n    out: 8\n    padding: 1\n    kernel: 7\n", 6, "kernel", ["spans 7", "is 6 wide in dimension 1 with padding"]),
        // ConvTranspose2d(4, 4, 3, padding=2) on 2×2: output size 0, torch refuses.
        ("input: [4, 2, 2]\nlayers:\n  - kind: conv\n    out: 4\n    kernel: 3\n    transposed: true\n    padding: 2\n", 7, "padding",
         ["output size of 0", "reduce the padding"]),
        ("layers:\n  - {kind: dense, in: 4, out: 8}\n  - {kind: flatten}\n", 3, nil, ["no shape to flatten", "input: [3, 224, 224]"]),
        ("input: [3, 8, 8]\nlayers:\n  - {kind: conv, out: 4, kernel: 3}\n  - {kind: dense, out: 10}\n", 4, nil, ["flatten first"]),
        ("input: [3, 32, 32]\nlayers:\n  - kind: conv\n    in: 4\n    out: 8\n    kernel: 3\n", 4, "in", ["is 4", "3 wide", "auto"]),
        ("input: [16, 8]\nlayers:\n  - {kind: embedding, vocab: 100, dim: 4}\n", 3, nil, ["reads token ids, a shape like [T]"]),
        ("input: [3, 32, 32]\nlayers:\n  - kind: conv\n    out: 8\n    kernel: [3, 3, 3]\n", 5, "kernel", ["a 3-D convolution needs [C, D, H, W], got [3, 32, 32]"]),
        ("input: [3, 8, 8]\nlayers:\n  - kind: conv\n    out: 8\n    kernel: 3\n    stride: 2\n    padding: same\n", 7, "padding",
         ["same needs stride 1"]),
        ("layers:\n  - kind: conv\n    in: 3\n    out: 8\n    kernel: 3\n    output_padding: 1\n", 6, "output_padding",
         ["only applies to a transposed convolution"]),
        ("input: [8, 8, 8]\nlayers:\n  - kind: pool\n    kernel: 3\n    padding: 2\n", 5, "padding", ["at most half the kernel (1)"]),
        ("input: [8, 8, 8]\nlayers:\n  - kind: pool\n    output: 1\n    kernel: 2\n", 5, "kernel", ["does not go with output"]),
        ("input: [1, 2147483648, 2147483648]\nlayers:\n  - {kind: conv, out: 64, kernel: 3, padding: 1}\n", 3, nil,
         ["multiply-accumulates do not fit in 64 bits"]),
        ("input: [4, 2147483648, 2147483648]\nlayers:\n  - {kind: flatten}\n", 3, nil, ["into more than 2⁶³ values"]),
        // A size is held in 32 bits: larger ones are refused where they are written, list or not.
        ("layers:\n  - kind: conv\n    in: 3\n    out: 8\n    kernel: [3, 5000000000]\n", 5, "kernel",
         ["sizes must be at most 4,294,967,295", "got 5,000,000,000"]),
        ("input: [3, 8, 8]\nlayers:\n  - kind: conv\n    out: 8\n    kernel: 3\n    stride: 9999999999\n", 6, "stride",
         ["must be at most 4,294,967,295"]),
    ] as [(String, Int, String?, [String])])
    func errorsPointAtTheLine(_ text: String, _ line: Int, _ field: String?, _ pieces: [String]) {
        let e = loadError(text)
        #expect(e?.file == "m.yaml" && e?.line == line && e?.field == field, "\(e?.description ?? "")")
        for piece in pieces { #expect(e?.message.contains(piece) == true, "\(piece) in \(e?.message ?? "")") }
        #expect(e?.description.hasPrefix("m.yaml:\(line): ") == true, "\(e?.description ?? "")")
    }

    @Test func anInputOfFiveSizesIsRefusedWhereItIsWritten() {
        for (text, format) in [("name: m\ninput: [1, 3, 8, 8, 8]\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", FileFormat.yaml),
                               ("{\"name\": \"m\",\n \"input\": [1, 3, 8, 8, 8],\n \"layers\": [{\"kind\": \"conv\", \"out\": 8, \"kernel\": 3}]}",
                                .json)] {
            let e = loadError(text, format)
            #expect(e?.line == 2 && e?.field == "input", "\(format): \(e?.description ?? "")")
            #expect(e?.message.hasPrefix("has 5 sizes; give 1 to 4: [T] token ids") == true, "\(format): \(e?.message ?? "")")
        }
    }

    @Test func errorsInsideGroupsAndParallelsPointAtTheLayerInside() {
        // Conv2d(4, 4, 3) five times on 9×9: torch refuses the fifth, which reads 1×1.
        let shrink = loadError("""
            input: [4, 9, 9]
            layers:
              - kind: group
                name: shrink
                repeat: 6
                layers:
                  - kind: conv
                    out: 4
                    kernel: 3
            """)
        #expect(shrink?.line == 9 && shrink?.field == "kernel" && shrink?.path == LayerPath([.layer(0), .layer(0)]),
                "\(shrink?.description ?? "")")
        #expect(shrink?.message.contains("in repetition 5 of 6") == true, "\(shrink?.message ?? "")")

        let merge = loadError("""
            input: [8, 16, 16]
            layers:
              - kind: parallel
                merge: add
                branches:
                  - - {kind: conv, out: 8, kernel: 3, stride: 2, padding: 1}
                  - []
            """)
        #expect(merge?.line == 4 && merge?.field == "merge", "\(merge?.description ?? "")")
        #expect(merge?.message.contains("[8, 8, 8]") == true && merge?.message.contains("[8, 16, 16]") == true)

        let settle = loadError("""
            input: [4, 8]
            layers:
              - kind: group
                repeat: 100000
                layers:
                  - {kind: conv, out: 4, kernel: 2, dims: 1, transposed: true}
            """)
        #expect(settle?.line == 4 && settle?.field == "repeat", "\(settle?.description ?? "")")
        #expect(settle?.message.contains("still changes after 1,000 repetitions") == true)
    }

    @Test func jsonErrorsPointAtTheLineToo() {
        let e = loadError("""
            {"input": [3, 4, 4],
             "layers": [
               {"kind": "conv", "out": 8,
                "kernel": 7}
             ]}
            """, .json)
        #expect(e?.line == 4 && e?.field == "kernel", "\(e?.description ?? "")")
    }
}

@Suite("presets without an input shape")
struct PresetsWithoutShapesTests {
    static let unshaped = Presets.all.filter { $0.model.input == nil }.map(\.id)

    /// The totals each preset names as its reference (transformers, torch.nn, Keras), unchanged by shapes.
    @Test(arguments: unshaped)
    func countAsPublishedWithoutMACs(_ id: String) throws {
        let preset = Presets.named(id)!
        let c = try Counter.count(preset.model)
        #expect(c.macs == nil && c.inputShape == nil && c.outputShape == nil)
        func unshaped(_ counts: [LayerCount]) -> Bool {
            counts.allSatisfy { $0.shapes == nil && $0.children.allSatisfy(unshaped) }
        }
        #expect(unshaped(c.layers))
        let digits = preset.reference.prefix { $0.isNumber || $0 == "," }.filter(\.isNumber)
        if let published = Int(digits) { #expect(c.total == published, "\(id): \(preset.reference)") }
        for i in preset.model.layers.indices {
            #expect(try Counter.derivation(preset.model, layer: i).macLines.isEmpty)
        }
    }

    @Test func theLanguageModelsAreAmongThem() {
        for id in ["example", "bert-base", "gpt2-small", "llama-2-7b", "mixtral-8x7b", "bilstm-tagger"] where Presets.named(id) != nil {
            #expect(Self.unshaped.contains(id))
        }
        #expect(Self.unshaped.count >= 8)
    }
}
