import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Model files with groups and parallels, and the counts PyTorch gives for the same modules:
/// Fixtures/reference/groups (scripts/reference/groups_reference.py: torch 2.15.0, torchvision 0.29.2,
/// each entry's `source` names the module). The group cases of the second reference set are in
/// Fixtures/reference/wave2 (Wave2ReferenceTests); here they are also written back and read again.
@Suite("group and parallel reference cases")
struct GroupReferenceTests {
    struct Expected: Decodable {
        let total: Int
        let trainable: Int
        let non_trainable: Int
        let source: String
    }

    static let root = Bundle.module.url(forResource: "reference", withExtension: nil, subdirectory: "Fixtures")!

    static func expected(_ set: String) -> [(String, Expected)] {
        let data = try! Data(contentsOf: root.appendingPathComponent(set + "/expected.json"))
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return object.keys.filter { !$0.hasPrefix("_") }.sorted().map { key in
            let entry = try! JSONSerialization.data(withJSONObject: object[key]!)
            return (key, try! JSONDecoder().decode(Expected.self, from: entry))
        }
    }

    static let cases: [String] = ["groups", "wave2"].flatMap { set in expected(set).map { set + "/" + $0.0 } }
        .filter { !$0.hasPrefix("wave2/") || ["0302", "0304", "0310", "0205", "0210", "0254"].contains($0.dropFirst(6).prefix(4)) }

    @Test func theCasesAreThere() {
        #expect(Self.expected("groups").count == 6)
        #expect(Set(Self.expected("wave2").map(\.0)).isSuperset(of: ["0302-group-repeat.yaml", "0304-group-repeat-auto.yaml",
                                                                     "0310-nested-groups.yaml", "0205-mistral-lm.yaml",
                                                                     "0210-gemma-lm.yaml", "0254-deepseek-v3.yaml"]))
    }

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let want = Self.expected(parts[0]).first { $0.0 == parts[1] }!.1
        let loaded = try ModelFile.load(Self.root.appendingPathComponent(parts[0] + "/cases/" + parts[1]).path)
        let c = try Counter.count(loaded.model)
        let got: [Int] = [c.total, c.trainable, c.nonTrainable]
        #expect(got == [want.total, want.trainable, want.non_trainable], "\(name): \(want.source)")
        // Written back and read again, the model is the same.
        for format in [FileFormat.yaml, .json] {
            let again = try ModelFile.parse(ModelWriter.text(loaded.model, format: format), format: format, file: "again")
            #expect(again.model == loaded.model, "\(name) as \(format)")
        }
    }
}

@Suite("group and parallel files")
struct GroupFileTests {
    static let sample = Model(name: "nested", convention: .pytorch, layers: [
        Layer(.dense, [(.in, .int(8)), (.out, .int(16))]),
        .group(name: "blocks", repeat: 3, trainable: false, [
            Layer(.layernorm, name: "ln"),
            .parallel(name: "res", [[Layer(.dense, [(.out, .int(16))]), .group([Layer(.rmsnorm)])], []]),
            .parallel(concat: true, [[Layer(.dense, [(.out, .int(4))])], [Layer(.dense, [(.out, .int(12)), (.bias, .bool(false))])]]),
        ]),
        Layer(.dense, [(.out, .int(2))]),
    ])

    @Test(arguments: [FileFormat.yaml, .json])
    func roundTrip(_ format: FileFormat) throws {
        let text = ModelWriter.text(Self.sample, format: format)
        let loaded = try ModelFile.parse(text, format: format, file: "m")
        #expect(loaded.model == Self.sample, "\(text)")
        #expect(ModelWriter.text(loaded.model, format: format) == text)
    }

    @Test func yamlReadsAsWritten() {
        let text = ModelWriter.yaml(Self.sample)
        #expect(text.contains("""
              - kind: group
                name: "blocks"
                repeat: 3
                trainable: false
                layers:
                  - kind: layernorm
                    name: "ln"
                  - kind: parallel
                    name: "res"
                    branches:
                      - - kind: dense
                          out: 16
                        - kind: group
                          layers:
                            - kind: rmsnorm
                      - []
                  - kind: parallel
                    merge: concat
            """), "\(text)")
    }

    @Test func jsonQuotesTheMerge() throws {
        let text = ModelWriter.json(Self.sample)
        #expect(text.contains("{\"kind\": \"parallel\", \"merge\": \"concat\", \"branches\": ["))
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func errorsInsideGroupsPointAtTheirLine() {
        let e = loadError("""
            layers:
              - kind: embedding
                vocab: 100
                dim: 12
              - kind: group
                name: layers
                repeat: 2
                layers:
                  - kind: rmsnorm
                  - kind: parallel
                    branches:
                      - []
                      - - kind: attention
                          name: attn
                          heads: 5
            """)
        #expect(e?.line == 15 && e?.layer == 1 && e?.layerName == "attn" && e?.field == "heads")
        #expect(e?.path?.description == "layers[1]/layers[1]/branches[1][0]")
        #expect(e?.description.hasPrefix("m.yaml:15: layers[1]/layers[1]/branches[1][0] (\"attn\"), field 'heads': ") == true,
                "\(e?.description ?? "")")
    }

    @Test(arguments: [
        ("repeat: 0", "repeat", 4, "must be a positive integer"),
        ("repeat: many", "repeat", 4, "must be a positive integer"),
        ("layers: []", "layers", 4, "is empty: a group needs at least one layer"),
        ("layers: 3", "layers", 4, "a group's layers must be a list"),
        ("name: g", "layers", 3, "is missing: a group lists its layers under 'layers:'"),
        ("branches: []", "branches", 4, "is not a field of group (allowed: kind, name, trainable, repeat, layers)"),
    ])
    func badGroups(_ line: String, _ field: String, _ lineNumber: Int, _ phrase: String) {
        let layers = line.hasPrefix("layers") || line.hasPrefix("name") ? "" : "    layers:\n      - kind: rmsnorm\n"
        let e = loadError("layers:\n  - {kind: dense, in: 4, out: 4}\n  - kind: group\n    \(line)\n" + layers)
        #expect(e?.field == field && e?.line == lineNumber && e?.layer == 1, "\(line): \(e?.description ?? "")")
        #expect(e?.message.contains(phrase) == true, "\(line): \(e?.message ?? "")")
    }

    @Test(arguments: [
        ("merge: sum", "merge", 4, "must be one of add, concat, got \"sum\""),
        ("merge: ad", "merge", 4, "did you mean 'add'?"),
        ("branches: []", "branches", 4, "is empty: a parallel needs at least one branch"),
        ("branches: [{kind: dense, out: 4}]", "branches", 4, "each branch (a list of layers; [] passes the input on) must be a list"),
        ("name: p", "branches", 3, "is missing: a parallel lists its branches"),
    ])
    func badParallels(_ line: String, _ field: String, _ lineNumber: Int, _ phrase: String) {
        let branches = line.hasPrefix("branches") || line.hasPrefix("name") ? "" : "    branches: [[]]\n"
        let e = loadError("layers:\n  - {kind: dense, in: 4, out: 4}\n  - kind: parallel\n    \(line)\n" + branches)
        #expect(e?.field == field && e?.line == lineNumber && e?.layer == 1, "\(line): \(e?.description ?? "")")
        #expect(e?.message.contains(phrase) == true, "\(line): \(e?.message ?? "")")
    }

    @Test func unequalWidthsUnderAddNameTheBranches() {
        let e = loadError("""
            layers:
              - {kind: dense, in: 4, out: 16}
              - kind: parallel
                name: block
                merge: add
                branches:
                  - [{kind: dense, out: 16}]
                  - [{kind: dense, out: 8}]
            """)
        #expect(e?.line == 5 && e?.field == "merge" && e?.layerName == "block")
        #expect(e?.message.contains("branch 0 ends at 16, branch 1 at 8") == true)
    }

    /// 64 groups and parallels inside each other read; 65 are an error at the 65th, with its line.
    @Test(arguments: [FileFormat.yaml, .json])
    func nestingLimit(_ format: FileFormat) throws {
        func model(_ levels: Int) -> Model {
            var layer = Layer(.dense, [(.out, .int(4))])
            for i in 0..<levels { layer = i % 2 == 0 ? .group([layer]) : .parallel([[layer], []]) }
            return Model(layers: [Layer(.dense, [(.in, .int(4)), (.out, .int(4))]), layer])
        }
        let ok = try ModelFile.parse(ModelWriter.text(model(64), format: format), format: format, file: "m")
        #expect(ok.model == model(64))
        let text = ModelWriter.text(model(65), format: format)
        let e = loadError(text, format)
        #expect(e?.message.contains("is nested 65 levels deep; groups and parallels nest at most 64 levels") == true,
                "\(e?.message ?? "")")
        #expect(e?.path?.steps.count == 65 && e?.line != nil)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[e!.line! - 1].contains("group"), "\(lines[e!.line! - 1])")
    }

    /// A hostile file nests 10,000 groups: an error, not a stack overflow.
    @Test func tenThousandLevelsAreAnError() {
        let yaml = "layers:\n  - " + String(repeating: "{kind: group, layers: [", count: 10_000) + "{kind: dense, in: 1, out: 1}"
            + String(repeating: "]}", count: 10_000) + "\n"
        #expect(loadError(yaml)?.message.isEmpty == false)
        let json = "{\"layers\": [" + String(repeating: "{\"kind\": \"group\", \"layers\": [", count: 10_000)
            + "{\"kind\": \"dense\", \"in\": 1, \"out\": 1}" + String(repeating: "]}", count: 10_000) + "]}"
        #expect(loadError(json, .json)?.message.contains("nesting") == true)
        // Block style, 200 levels: within what the parsers take, refused by the model's own limit.
        var block = "layers:\n"
        var indent = "  "
        for _ in 0..<200 {
            block += indent + "- kind: group\n" + indent + "  layers:\n"
            indent += "    "
        }
        block += indent + "- {kind: dense, in: 1, out: 1}\n"
        let e = loadError(block)
        #expect(e?.message.contains("nest at most 64 levels") == true, "\(e?.message ?? "")")
    }

    @Test func sourceMapReachesInside() throws {
        let loaded = try ModelFile.parse(ModelWriter.yaml(Self.sample), format: .yaml, file: "m")
        let path = LayerPath([.layer(1), .layer(1), .branch(0, 1), .layer(0)])
        #expect(loaded.model.layer(at: path)?.kind == .rmsnorm)
        let line = loaded.source.line(path: path, field: nil)
        let lines = ModelWriter.yaml(Self.sample).split(separator: "\n")
        #expect(line.map { lines[$0 - 1].contains("kind: rmsnorm") } == true)
        #expect(loaded.source.line(path: LayerPath([.layer(1)]), field: "repeat").map { lines[$0 - 1].contains("repeat: 3") } == true)
    }
}
