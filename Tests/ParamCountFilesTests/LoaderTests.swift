import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

func loadError(_ text: String, _ format: FileFormat = .yaml) -> ModelError? {
    do { _ = try ModelFile.parse(text, format: format, file: "m.\(format.rawValue)") } catch { return error }
    Issue.record("expected an error for:\n\(text)")
    return nil
}

@Suite("loading and validation")
struct LoaderTests {
    @Test func typoInAFieldIsNamedWithASuggestion() {
        let e = loadError("""
            layers:
              - kind: lstm
                in: 128
                hiden: 256
            """)
        #expect(e?.line == 4 && e?.layer == 0 && e?.field == "hiden")
        #expect(e?.message.contains("did you mean 'hidden'") == true)
        #expect(e?.description.hasPrefix("m.yaml:4: layer 1, field 'hiden'") == true)
    }

    @Test func unknownKindListsTheKinds() {
        let e = loadError("layers:\n  - kind: lstn\n    hidden: 3\n")
        #expect(e?.field == "kind")
        #expect(e?.message.contains("did you mean 'lstm'") == true)
        #expect(e?.message.contains("dense, rnn, gru, lstm, conv") == true)
    }

    @Test func missingKind() { #expect(loadError("layers:\n  - in: 3\n")?.message.contains("is missing") == true) }

    @Test func semanticErrorsPointAtTheLine() {
        let e = loadError("""
            name: bad heads
            layers:
              - kind: embedding
                vocab: 100
                dim: 10
              - kind: attention
                name: attn
                heads: 3
            """)
        #expect(e?.line == 8 && e?.layer == 1 && e?.layerName == "attn" && e?.field == "heads")
    }

    @Test(arguments: [
        ("hidden: 0", "positive integer"), ("hidden: -4", "positive integer"), ("hidden: 2.5", "positive integer"),
        ("hidden: 256.0", "without a decimal point"), ("hidden: \"256\"", "got \"256\""), ("hidden: [1]", "got a list"),
        ("hidden: 99999999999999999999", "fits in 64 bits"), ("hidden: auto", "positive integer"),
        ("hidden:", "got nothing"), ("bias: 1", "true or false"), ("layers: 0", "positive integer"),
    ])
    func badValues(_ line: String, _ phrase: String) {
        let e = loadError("layers:\n  - kind: lstm\n    in: 4\n    \(line)\n")
        #expect(e?.message.contains(phrase) == true, "\(line): \(e?.message ?? "")")
        #expect(e?.line == 4)
    }

    @Test func malformedYAMLHasALine() {
        let e = loadError("layers:\n  - kind: dense\n    in: [3\n    out: 4\n")
        #expect(e?.message.hasPrefix("is not valid YAML") == true)
        #expect(e?.line != nil)
    }

    @Test func malformedJSONHasALine() {
        let e = loadError("{\n  \"layers\": [\n    {\"kind\": \"dense\", \"in\": 3,}\n  ]\n}\n", .json)
        #expect(e?.message.hasPrefix("is not valid JSON") == true)
        #expect(e?.line == 3)
    }

    @Test func emptyAndWrongShapes() {
        #expect(loadError("")?.message.contains("empty") == true)
        #expect(loadError("  \n\n")?.message.contains("empty") == true)
        #expect(loadError("- kind: dense\n")?.message.contains("top level must be a mapping") == true)
        #expect(loadError("[]", .json)?.message.contains("top level must be a mapping") == true)
        #expect(loadError("name: x\n")?.message.contains("'layers:'") == true)
        #expect(loadError("layers: []\n")?.message.contains("at least one layer") == true)
        #expect(loadError("layers: 3\n")?.message.contains("must be a list") == true)
        #expect(loadError("layers:\n  - 3\n")?.message.contains("must be a mapping") == true)
        #expect(loadError("convention: tf\nlayers: []\n")?.message.contains("textbook, pytorch, keras") == true)
        #expect(loadError("layer:\n  - kind: dense\n")?.message.contains("did you mean 'layers'") == true)
    }

    @Test func filesOverSixteenMiBAreRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID()).yaml").path
        let chunk = String(repeating: "#", count: 1023) + "\n"
        try String(repeating: chunk, count: 16 * 1024 + 1).write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ModelError.self) { try ModelFile.load(path) }
        do { _ = try ModelFile.load(path) } catch { #expect(error.message.contains("16 MiB")) }
    }

    @Test func modelsOverAMillionLayersAreRefused() {
        // Aliases keep the file small; the limit is on layers, not bytes.
        let text = "layers: [&a {kind: custom, params: 1}" + String(repeating: ", *a", count: 1_000_000) + "]\n"
        let e = loadError(text)
        #expect(e?.message.contains("at most 1,000,000") == true)
    }

    @Test func aliasBombEndsInAnError() {
        var text = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "layers:\n  - kind: custom\n    params: *a9\n"
        #expect(loadError(text) != nil)
    }

    @Test func deepNestingEndsInAnError() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(loadError("{\"layers\": \(deep)}", .json)?.message.contains("nesting") == true)
        #expect(loadError("layers: \(deep)\n") != nil)
    }

    @Test func controlCharactersInNamesNeverReachMessages() {
        let e = loadError("layers:\n  - kind: dense\n    name: \"x\\e[31mred\"\n    out: 3\n")
        #expect(e?.description.contains("\u{1B}") == false)
        #expect(e?.description.contains("\\e[31m") == true)
    }

    @Test func autoAndOmittedWidths() throws {
        let m = try ModelFile.parse("""
            layers:
              - {kind: embedding, vocab: 10, dim: 8}
              - {kind: lstm, in: auto, hidden: 4}
              - {kind: dense, out: 2}
            """, format: .yaml, file: "m.yaml")
        #expect(m.model.layers[1].fields[.in] == .auto)
        #expect(try Counter.count(m.model).layers[2].input == 4)
    }

    @Test func jsonWithEscapes() throws {
        let m = try ModelFile.parse(#"{"name": "caf\u00e9 \"q\"", "layers": [{"kind": "dense", "in": 2, "out": 3}]}"#,
                                    format: .json, file: "m.json")
        #expect(m.model.name == "café \"q\"")
    }
}

@Suite("saving")
struct SaveTests {
    let sample = Model(name: "a \"quoted\"\tname\u{1B}", convention: .keras, layers: [
        Layer(.embedding, name: "emb", [(.vocab, .int(100)), (.dim, .int(16))]),
        Layer(.lstm, trainable: false, [(.in, .auto), (.hidden, .int(8)), (.bidirectional, .bool(true))]),
        Layer(.conv, [(.in, .int(16)), (.out, .int(4)), (.kernel, .ints([3, 1])), (.groups, .int(4))]),
        Layer(.custom, [(.params, .int(0))]),
    ])

    @Test(arguments: [FileFormat.yaml, .json])
    func roundTrip(_ format: FileFormat) throws {
        let text = ModelWriter.text(sample, format: format)
        #expect(!text.contains("\u{1B}"))
        let back = try ModelFile.parse(text, format: format, file: "m")
        #expect(back.model == sample)
    }

    @Test func atomicSaveKeepsPermissions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("save-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.yaml"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        try ModelFile.save(sample, to: path)
        #expect(try ModelFile.load(path).model == sample)
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.yaml"])
    }

    @Test func saveIntoAMissingFolderFails() {
        #expect(throws: SaveError.self) { try ModelFile.save(sample, to: "/nonexistent-\(UUID())/m.yaml") }
    }
}

@Suite("reports")
struct ReportTests {
    func report(_ id: String) throws -> Report {
        let m = Presets.named(id)!.model
        return Report(model: m, count: try Counter.count(m), dtype: .fp32, origin: "preset:\(id)")
    }

    @Test func jsonIsParseableWithTheDocumentedKeys() throws {
        let text = try report("bert-base").render(.json)
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(obj["total"] as? Int == 109_482_240)
        #expect(Set(obj.keys).isSuperset(of: ["name", "convention", "layers", "total", "trainable", "non_trainable"]))
        let layer = (obj["layers"] as! [[String: Any]])[0]
        #expect(Set(layer.keys).isSuperset(of: ["index", "kind", "name", "params", "trainable", "non_trainable", "formula"]))
        #expect(layer["formula"] as? String == "V × x = 30,522 × 768 = 23,440,896")
    }

    @Test func tableHasTotalsAndMemory() throws {
        let text = try report("bert-base").render(.table)
        #expect(text.contains("Total params:         109,482,240 (109.5M)"))
        #expect(text.contains("Weights (fp32):"))
        #expect(text.contains("417.6 MiB"))
    }

    @Test func csvAndMarkdown() throws {
        let r = try report("example")
        let csv = r.render(.csv).split(separator: "\n")
        #expect(csv.first == "model,index,name,kind,shape,params,trainable,non_trainable,share,depth,repeat,times")
        #expect(csv[2] == "preset:example,2,encoder,lstm,128→256,394240,394240,0,23.3%,0,1,1")
        let md = r.render(.markdown)
        #expect(md.contains("| 2 | encoder | lstm | 128→256 | 394,240 | 23.3% |"))
    }

    @Test func hostileNamesAreEscapedInEveryFormat() throws {
        let m = Model(name: "\u{1B}]0;pwned\u{07}", layers: [Layer(.dense, name: "a|b,\u{1B}[2J", [(.in, .int(2)), (.out, .int(2))])])
        let r = Report(model: m, count: try Counter.count(m), dtype: .fp32, origin: "x")
        for format in ReportFormat.allCases {
            #expect(!r.render(format).contains("\u{1B}"), "\(format)")
        }
    }
}
