import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

@Suite("files with attention options, mlp, moe and tied heads")
struct NewKindFileTests {
    static let model = Model(name: "tiny moe", convention: .pytorch, layers: [
        Layer(.embedding, name: "embed_tokens", [(.vocab, .int(100)), (.dim, .int(16))]),
        Layer(.attention, name: "self_attn", [(.heads, .int(4)), (.kvHeads, .int(2)), (.bias, .bool(false)),
                                              (.qkvBias, .bool(true)), (.qkNorm, .option("head"))]),
        Layer(.attention, name: "mla", [(.heads, .int(4)), (.kvRank, .int(8)), (.qRank, .int(12)), (.ropeDim, .int(2)),
                                        (.vHeadDim, .int(6))]),
        Layer(.mlp, name: "mlp", [(.ff, .int(40)), (.gated, .bool(true)), (.bias, .bool(false)), (.out, .int(16))]),
        Layer(.moe, name: "moe", [(.experts, .int(4)), (.topK, .int(2)), (.ff, .int(8)), (.sharedExperts, .int(2)),
                                  (.sharedFF, .int(6)), (.sharedGate, .bool(true)), (.routerBias, .bool(true))]),
        Layer(.dense, name: "lm_head", [(.out, .int(100)), (.bias, .bool(false)), (.tied, .bool(true))]),
    ])

    @Test(arguments: [FileFormat.yaml, .json])
    func roundTrip(_ format: FileFormat) throws {
        let text = ModelWriter.text(Self.model, format: format)
        #expect(text.contains(format == .json ? "\"qk_norm\": \"head\"" : "qk_norm: head"))
        let back = try ModelFile.parse(text, format: format, file: "m.\(format.rawValue)").model
        #expect(back == Self.model)
    }

    @Test func everyNewFieldReadsFromYAML() throws {
        let m = try ModelFile.parse("""
            convention: pytorch
            layers:
              - {kind: embedding, vocab: 10, dim: 8}
              - {kind: attention, heads: 2, qkv_bias: true, out_bias: false, qk_norm: full}
              - {kind: attention, heads: 2, q_rank: 4, kv_rank: 4, rope_dim: 2, v_head_dim: 4}
              - {kind: mlp, ff: 16, out: 8, gated: true, bias: false}
              - {kind: moe, experts: 4, top_k: 1, ff: 4, gated: false, bias: true, shared_experts: 1, shared_ff: 8, shared_gate: true, router_bias: true}
              - {kind: dense, out: 10, tied: true}
            """, format: .yaml, file: "m.yaml").model
        #expect(m.layers[1].fields[.qkNorm] == .option("full"))
        #expect(m.layers[4].fields[.routerBias] == .bool(true))
        #expect(try Counter.count(m).layers[5].tiedTo == 0)
    }

    @Test(arguments: [
        ("qk_norm: both", "qk_norm", "must be one of none, head, full"),
        ("qk_norm: 1", "qk_norm", "must be one of none, head, full"),
        ("q_rank: -1", "q_rank", "non-negative"),
        ("q_rank: 8", "q_rank", "kv_rank"),
    ])
    func attentionErrors(_ line: String, _ field: String, _ phrase: String) {
        let e = loadError("layers:\n  - kind: attention\n    dim: 16\n    \(line)\n")
        #expect(e?.field == field && e?.line == 4, "\(e?.description ?? "")")
        #expect(e?.message.contains(phrase) == true, "\(e?.message ?? "")")
    }

    @Test func moeAndTiedErrorsAreLocated() {
        let moe = loadError("layers:\n  - kind: moe\n    dim: 16\n    experts: 4\n    top_k: 5\n    ff: 8\n")
        #expect(moe?.field == "top_k" && moe?.line == 5 && moe?.message.contains("only 4 experts") == true)
        let tied = loadError("layers:\n  - kind: embedding\n    vocab: 10\n    dim: 8\n  - kind: dense\n    name: head\n    out: 11\n    tied: true\n")
        #expect(tied?.layer == 1 && tied?.field == "tied" && tied?.line == 8)
        #expect(tied?.description.contains("no embedding above this layer has vocab 11 and dim 8") == true, "\(tied?.description ?? "")")
    }
}

@Suite("reports of routed models")
struct RoutedReportTests {
    // modeling_mixtral.MixtralSparseMoeBlock(MixtralConfig(hidden_size=8, intermediate_size=92,
    // num_local_experts=2, num_experts_per_tok=1)), transformers 5.24: 4,432 parameters, 2,224 active.
    static let mixtral = Model(name: "moe", convention: .pytorch, layers: [
        Layer(.moe, [(.dim, .int(8)), (.experts, .int(2)), (.topK, .int(1)), (.ff, .int(92))]),
    ])

    func report(_ m: Model) throws -> Report { Report(model: m, count: try Counter.count(m), dtype: .fp32, origin: "m.yaml") }

    @Test func everyFormatShowsActive() throws {
        let r = try report(Self.mixtral)
        let obj = try JSONSerialization.jsonObject(with: Data(r.render(.json).utf8)) as! [String: Any]
        #expect(obj["total"] as? Int == 4_432 && obj["active"] as? Int == 2_224)
        #expect((obj["layers"] as! [[String: Any]])[0]["active"] as? Int == 2_224)
        #expect(r.render(.table).contains("Active params:        2,224 (2.2K) per token"))
        #expect(r.render(.csv).contains("m.yaml,,Active per token,,,2224,,,"))
        #expect(r.render(.markdown).contains("**Active per token:** 2,224"))
    }

    @Test func withoutExpertsActiveIsOnlyInJSON() throws {
        let m = Presets.named("example")!.model
        let r = try report(m)
        let obj = try JSONSerialization.jsonObject(with: Data(r.render(.json).utf8)) as! [String: Any]
        #expect(obj["active"] as? Int == obj["total"] as? Int)
        for format in [ReportFormat.table, .csv, .markdown] { #expect(!r.render(format).contains("Active")) }
    }

    @Test func compareAddsAnActiveLine() throws {
        let dense = Model(name: "dense", convention: .pytorch, layers: [Layer(.mlp, [(.dim, .int(8)), (.ff, .int(92)), (.gated, .bool(true)), (.bias, .bool(false))])])
        let c = CompareReport(a: try report(dense), b: try report(Self.mixtral))
        let obj = try JSONSerialization.jsonObject(with: Data(c.render(.json).utf8)) as! [String: Any]
        #expect((obj["b"] as! [String: Any])["active"] as? Int == 2_224)
        #expect((obj["difference"] as! [String: Any])["active"] as? Int == 2_224 - 2_208)
        #expect(c.render(.csv).contains("active,2208,2224,16,"))
        #expect(c.render(.table).contains("active"))
        let plain = CompareReport(a: try report(dense), b: try report(dense))
        #expect(!plain.render(.csv).contains("active"))
    }

    @Test func aTiedHeadNamesItsEmbedding() throws {
        let m = Model(convention: .pytorch, layers: [
            Layer(.embedding, name: "wte", [(.vocab, .int(10)), (.dim, .int(4))]),
            Layer(.dense, name: "lm_head", [(.out, .int(10)), (.bias, .bool(false)), (.tied, .bool(true))]),
        ])
        let r = try report(m)
        #expect(r.render(.table).contains("4→10 tied to wte"))
        let obj = try JSONSerialization.jsonObject(with: Data(r.render(.json).utf8)) as! [String: Any]
        let head = (obj["layers"] as! [[String: Any]])[1]
        #expect(head["params"] as? Int == 0)
        #expect(head["formula"] as? String == "0")
    }
}
