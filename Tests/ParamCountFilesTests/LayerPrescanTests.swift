import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// The count before parsing: exact on ordinary files, never more than the real number of entries.
@Suite("layer count before parsing")
struct LayerPrescanTests {
    func prescan(_ text: String) -> Int? {
        var t = text
        return t.withUTF8 { LayerPrescan.count($0, limit: ModelFile.maxLayers) }?.entries
    }

    /// The entries of the `layers` list as the full parser reads them.
    func parsed(_ text: String) -> Int? {
        guard let root = try? YAMLReader.parse(text, file: "m.yaml"), case .map(let entries) = root.value,
              let layers = entries.first(where: { $0.key == "layers" })?.value, case .list(let items) = layers.value
        else { return nil }
        return items.count
    }

    @Test(arguments: [
        ("layers:\n  - kind: dense\n    out: 3\n  - kind: dense\n    out: 4\n", 2),
        ("name: x\nlayers:\n- kind: dense\n- kind: lstm\nconvention: keras\n", 2),
        ("layers:  # the list\n\n  # a comment\n  - {kind: dense, out: 3}\n\n  -   kind: dense\n", 2),
        ("layers: [{kind: dense, out: [3, 4]}, {kind: \"a, ]b\"}, 'c''s, d', x]\n", 4),
        ("layers: [a, b, ]\n", 2),
        ("layers: [\n  a,  # one\n  b\n]\n", 2),
        ("layers:\n  - name: \"a\n  - b\"\n  - kind: dense\n", 1),
        ("layers:\n  - name: |\n      - not an entry\n      - nor this\n  - kind: dense\n", 2),
        ("layers:\n  - name: it's\n  - name: a\"b\n  - kind: dense\n", 3),
    ])
    func countsWithoutParsing(_ text: String, _ expected: Int) {
        #expect(prescan(text) == expected, "\(text)")
        #expect(parsed(text).map { prescan(text)! <= $0 } ?? true)
    }

    @Test func writtenModelsAreCountedExactly() {
        for p in Presets.all {
            let text = ModelWriter.yaml(p.model)
            #expect(prescan(text) == p.model.layers.count, "\(p.id)")
        }
    }

    /// Mutated files: whatever the count, it is never above what the parser finds.
    @Test func neverMoreThanTheParserFinds() {
        var rng = SplitMix(state: 99)
        var compared = 0
        for (text, format) in MutationFuzzTests.seeds where format == .yaml {
            for _ in 0..<40 {
                let input = String(decoding: MutationFuzzTests().mutate(Array(text.utf8), &rng), as: UTF8.self)
                guard let real = parsed(input), let counted = prescan(input) else { continue }
                #expect(counted <= real, "\(input)")
                compared += 1
            }
        }
        #expect(compared > 100)
    }

    /// 1,000,001 entries are refused by the count, before the parser builds them.
    @Test(arguments: [
        "layers:\n" + String(repeating: "- kind: custom\n", count: 1_000_001),
        "layers: [&a {kind: custom, params: 1}" + String(repeating: ", *a", count: 1_000_000) + "]\n",
    ])
    func overTheLimitIsRefusedFirst(_ text: String) {
        let e = loadError(text)
        #expect(e?.message == "has more than 1,000,000 layers (counted before reading them); at most 1,000,000 are allowed")
        #expect(e?.line == 1 && e?.field == "layers")
    }
}
