import Foundation
import ParamCountCore
import ParamCountFiles
import Testing

/// A model read from a checkpoint is planned with its weights as the file stores them. The bytes per
/// type are what the safetensors and gguf libraries report for the fixtures (expected.json, written
/// by scripts/reference/make_tensor_fixtures.py with safetensors 0.8.0 and gguf 0.19.0).
@Suite("planner: weights as stored")
struct PlanStoredTests {
    static let folder = Bundle.module.url(forResource: "tensors", withExtension: nil, subdirectory: "Fixtures")!

    static func bytesByDtype(_ file: String) throws -> [String: Int] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try #require((json["files"] as? [String: Any])?[file] as? [String: Any])
        return try #require(entry["bytes_by_dtype"] as? [String: Int])
    }

    func plan(_ file: String, _ settings: PlanSettings) throws -> Plan {
        let loaded = try ModelFile.load(Self.folder.appendingPathComponent(file).path)
        let count = try Counter.count(loaded.model)
        return try Planner.plan(loaded.model, count: count, settings: settings, stored: loaded.checkpoint?.storedWeights)
    }

    @Test(arguments: ["llama-tiny.safetensors", "tiny.gguf"])
    func inferenceUsesTheStoredBytes(_ file: String) throws {
        let expected = try Self.bytesByDtype(file)
        let p = try plan(file, PlanSettings())
        let weights = try #require(p.memory.first)
        #expect(weights.value == expected.values.reduce(0, +))
        #expect(p.weightsAsStored == (file.hasSuffix(".gguf") ? "GGUF" : "safetensors"))
        #expect(weights.notes.first?.contains("as the \(p.weightsAsStored!) file stores them") == true)
        // Each stored type is a term of the formula.
        for type in expected.keys { #expect(weights.variables.contains { $0.symbol == type && $0.value == expected[type] }) }
    }

    @Test func aChosenTypeReplacesTheStoredOnes() throws {
        var settings = PlanSettings(weights: .int8)
        settings.asStored = false
        let p = try plan("llama-tiny.safetensors", settings)
        #expect(p.memory.first?.value == 6_484)      // 6,484 parameters, one byte each
        #expect(p.weightsAsStored == nil)
    }

    @Test func loraKeepsTheBaseAsStored() throws {
        let p = try plan("llama-tiny.safetensors", PlanSettings(mode: .training, loraRank: 4))
        #expect(p.memory.first?.symbolic == "(BF16 + F16 + F32) + P × 2")
        #expect(p.memory.first?.value == 13_136 + 2 * (p.adapters?.value ?? -1))
    }

    @Test func reportsSayItWasPlannedAsStored() throws {
        let p = try plan("tiny.gguf", PlanSettings())
        let report = PlanReport(plan: p, title: "tiny", origin: "tiny.gguf")
        #expect(report.text().contains("weights as stored (GGUF)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(json["weights_as_stored"] as? String == "GGUF")
    }
}
