import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// `paramcount count` on models with groups and parallels: the tree in every format, and `--depth`.
/// The counts are those of Fixtures/reference (PyTorch's, see GroupFileTests); what is checked here
/// is how they are laid out.
@Suite("reports of layer trees")
struct TreeReportTests {
    static let fixtures = Bundle.module.url(forResource: "reference", withExtension: nil, subdirectory: "Fixtures")!

    func report(_ file: String, depth: Int? = nil) throws -> Report {
        let loaded = try ModelFile.load(Self.fixtures.appendingPathComponent(file).path)
        var r = Report(loaded, count: try Counter.count(loaded.model), dtype: .fp32, origin: "m")
        r.depth = depth
        return r
    }

    /// torch.nn.Sequential(Linear(5, 8), 5 × [Linear(·, 26), RMSNorm(26)]): 48 + 260 + 4 × 728.
    static let auto = "wave2/cases/0304-group-repeat-auto.yaml"
    /// A Mistral of 6 layers with a frozen embedding (transformers' MistralForCausalLM).
    static let mistral = "wave2/cases/0205-mistral-lm.yaml"

    @Test func tableIndentsEachLevel() throws {
        let text = try report(Self.mistral).render(.table)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("2    layers ") && $0.contains("group") && $0.contains("96→96 ×6") && $0.contains("266,112") })
        // Inside: one repetition's count marked ×6, and its share of all six.
        let attention = try #require(lines.first { $0.hasPrefix("2.2    self_attn ") })
        #expect(attention.contains("33,792 ×6") && attention.hasSuffix("44.9%"), "\(attention)")
        #expect(text.contains("×N: the first repetition's count, inside groups that repeat N times"))
    }

    /// A group whose first repetition reads another width: its rows show the first repetition's
    /// counts, and no share (×5 of the first would be wrong).
    @Test func repetitionsThatDifferHaveNoShare() throws {
        let rows = try report(Self.auto).rows
        #expect(rows.map(\.index) == ["1", "2", "2.1", "2.2"])
        #expect(rows[1].params == 3_172 && rows[1].repeat == 5)
        #expect(rows[2].params == 234 && rows[2].times == 5 && !rows[2].alike)
        let r = try report(Self.auto)
        #expect(r.share(rows[2]) == "" && r.share(rows[1]) == "98.5%")
    }

    @Test func branchesAreRowsOfTheirOwn() throws {
        let rows = try report("groups/cases/basic-block-downsample.yaml").rows
        #expect(rows.map(\.index) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2", "1.2.1", "1.2.2"])
        #expect(rows.map(\.depth) == [0, 1, 2, 2, 2, 2, 1, 2, 2])
        // torchvision's BasicBlock(64, 128, stride 2) and its downsample: 221,696 + 8,448.
        #expect(rows[1].kind == "branch" && rows[1].params == 221_696 && rows[6].params == 8_448)
        #expect(rows[7].name == "downsample.0")
        let identity = try report("groups/cases/bottleneck-identity-x3.yaml").rows
        #expect(identity.contains { $0.name == "branch 1 (identity)" && $0.params == 0 && $0.times == 3 })
    }

    @Test func depthFoldsTheTree() throws {
        #expect(try report(Self.mistral, depth: 1).rows.map(\.index) == ["1", "2", "3", "4"])
        #expect(try report("groups/cases/nested-parallel.yaml", depth: 2).rows.map(\.index) == ["1", "2", "2.1", "3"])
        #expect(try report("groups/cases/nested-parallel.yaml", depth: 3).rows.map(\.index) == ["1", "2", "2.1", "2.1.1", "2.1.2", "3"])
        // Folded rows keep the group's total, so the table still adds up.
        let folded = try report(Self.mistral, depth: 1)
        #expect(folded.rows.map(\.params).reduce(0, +) == folded.count.total)
    }

    @Test func jsonNestsRecords() throws {
        let text = try report("groups/cases/nested-parallel.yaml").render(.json)
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let layers = obj["layers"] as! [[String: Any]]
        #expect(layers.map { $0["path"] as? String } == ["layers[0]", "layers[1]", "layers[2]"])
        #expect(layers[1]["repeat"] as? Int == 2 && layers[1]["params"] as? Int == 1_736)
        #expect(layers[1]["formula"] as? String == "n × parallel = 2 × 868 = 1,736")
        let group = layers[1]["children"] as! [[[String: Any]]]
        #expect(group.count == 1 && group[0].count == 1)
        let parallel = group[0][0]
        let branches = parallel["children"] as! [[[String: Any]]]
        #expect(branches.count == 2 && branches[0].isEmpty && branches[1].count == 3)
        let inner = branches[1][1]["children"] as! [[[String: Any]]]
        #expect(inner.map { $0.map { $0["params"] as? Int } } == [[168], [240]])
        #expect(inner[1][0]["path"] as? String == "layers[1]/layers[0]/branches[1][1]/branches[1][0]")
        // Every record has the same keys; a layer that holds none has no children.
        #expect((layers[0]["children"] as? [Any])?.isEmpty == true && Set(layers[0].keys) == Set(parallel.keys))
    }

    @Test func jsonFoldedByDepthLeavesChildrenOut() throws {
        let text = try report(Self.mistral, depth: 1).render(.json)
        let layers = (try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any])["layers"] as! [[String: Any]]
        #expect(layers[1]["children"] == nil && layers[1]["repeat"] as? Int == 6)
        #expect((layers[0]["children"] as? [Any])?.isEmpty == true)
    }

    @Test func csvAndMarkdownCarryTheTree() throws {
        let r = try report(Self.mistral)
        let csv = r.render(.csv).split(separator: "\n").map(String.init)
        #expect(csv.contains("m,2,layers,group,96→96 ×6,266112,266112,0,59.0%,0,6,1"))
        #expect(csv.contains("m,2.2,self_attn,attention,96 h2,33792,33792,0,44.9%,1,1,6"))
        let md = r.render(.markdown)
        #expect(md.contains("| 2.2 | &nbsp;&nbsp;self_attn | attention | 96 h2 | 33,792 ×6 | 44.9% |"), "\(md)")
    }

    @Test func hostileNamesInsideGroupsAreEscaped() throws {
        let m = Model(name: "x", layers: [
            Layer(.dense, [(.in, .int(2)), (.out, .int(2))]),
            .group(name: "g\u{1B}[2J", [Layer(.dense, name: "a|b,\u{1B}]0;t\u{07}", [(.out, .int(2))])]),
        ])
        let r = Report(model: m, count: try Counter.count(m), dtype: .fp32, origin: "x")
        for format in ReportFormat.allCases { #expect(!r.render(format).contains("\u{1B}"), "\(format)") }
    }
}
