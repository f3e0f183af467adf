import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// Deterministic mutation fuzzing of the loader (scripts/fuzz.sh runs the coverage-guided libFuzzer
/// version): every mutated input ends in a model or a located error, never a trap or a hang.
@Suite("loader mutation fuzzing")
struct MutationFuzzTests {
    static var seeds: [(String, FileFormat)] {
        let folder = ReferenceTests.folder.appendingPathComponent("cases")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var out = files.sorted().compactMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map { ($0, FileFormat.yaml) }
        }
        for p in Presets.all { out.append((ModelWriter.yaml(p.model), .yaml)); out.append((ModelWriter.json(p.model), .json)) }
        return out
    }

    static let tokens: [[UInt8]] = ["&a ", "*a", "[", "]", "{", "}", ":", "- ", "\"", "'", "\n", "  ", "\u{1B}[2J", "\\u0000",
                                    "99999999999999999999", "-1", "0", "auto", "null", "true", "!!binary ", "%YAML 1.1\n",
                                    "\t", "\u{0}", "\u{FEFF}", "é", "kind: ", "layers:", ",", "1e308", "0x10", "~"].map { Array($0.utf8) }

    func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let pos = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !b.isEmpty: b[pos] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.insert(contentsOf: Self.tokens.randomElement(using: &rng)!, at: pos)
            case 2 where !b.isEmpty: b.removeSubrange(pos..<min(b.count, pos + Int.random(in: 1...16, using: &rng)))
            case 3 where !b.isEmpty:
                let end = min(b.count, pos + Int.random(in: 1...64, using: &rng))
                b.insert(contentsOf: Array(b[pos..<end]), at: Int.random(in: 0...b.count, using: &rng))
            case 4: b = Array(b.prefix(pos))
            default: b.insert(UInt8.random(in: 0...127, using: &rng), at: pos)
            }
        }
        return b
    }

    @Test func mutatedFilesEndInAModelOrAnError() {
        var rng = SplitMix(state: 2026)
        var models = 0, errors = 0
        var slowest = 0.0
        for (text, format) in Self.seeds {
            let original = Array(text.utf8)
            for _ in 0..<30 {
                let input = mutate(original, &rng)
                let start = Date()
                do {
                    // Through the format registry, as a file of that name would be read.
                    let loaded = try ModelFile.read(input, named: "fuzz.\(format.rawValue)")
                    _ = try Counter.count(loaded.model)
                    _ = ModelWriter.text(loaded.model, format: format)
                    models += 1
                } catch {
                    #expect(!error.description.isEmpty)
                    #expect(!error.description.contains("\u{1B}"), "an error message carries an escape byte")
                    errors += 1
                }
                slowest = max(slowest, Date().timeIntervalSince(start))
            }
        }
        #expect(models + errors == Self.seeds.count * 30)
        #expect(models > 0 && errors > 0)
        // Not a performance budget: a hang guard. Every input is a few KiB at most.
        #expect(slowest < 5, "an input took \(slowest) s")
    }
}

@Suite("integer limits")
struct IntegerLimitTests {
    static let values = ["0", "1", "-1", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775808"]

    @Test(arguments: values)
    func everyNumericFieldThroughTheLoader(_ value: String) {
        let layers: [(LayerKind, [String])] = [
            (.dense, ["in", "out"]), (.lstm, ["in", "hidden", "layers"]), (.conv, ["in", "out", "kernel", "dims", "groups"]),
            (.attention, ["dim", "heads", "kv_heads", "head_dim"]), (.layernorm, ["dim"]), (.rmsnorm, ["dim"]),
            (.batchnorm, ["features"]), (.embedding, ["vocab", "dim"]), (.encoder, ["dim", "layers", "heads", "ff"]),
            (.decoder, ["dim", "layers", "heads", "ff"]), (.custom, ["params"]),
        ]
        let base: [LayerKind: String] = [
            .dense: "in: 4\n    out: 4", .lstm: "in: 4\n    hidden: 4", .conv: "in: 4\n    out: 4\n    kernel: 3",
            .attention: "dim: 8\n    heads: 2", .layernorm: "dim: 4", .rmsnorm: "dim: 4", .batchnorm: "features: 4",
            .embedding: "vocab: 4\n    dim: 4", .encoder: "dim: 8\n    heads: 2", .decoder: "dim: 8\n    heads: 2", .custom: "params: 4",
        ]
        for (kind, fields) in layers {
            for field in fields {
                var lines = base[kind]!.components(separatedBy: "\n    ").filter { !$0.hasPrefix(field + ":") }
                lines.append("\(field): \(value)")
                let text = "layers:\n  - kind: \(kind.rawValue)\n    " + lines.joined(separator: "\n    ") + "\n"
                for convention in Convention.allCases {
                    do {
                        let m = try ModelFile.parse(text, format: .yaml, file: "m.yaml")
                        _ = try Counter.count(m.model, convention: convention)
                    } catch {
                        // A clear message that names the layer, or a line for syntax.
                        #expect(error.layer == 0 || error.line != nil, "\(kind) \(field)=\(value): \(error)")
                    }
                }
            }
        }
    }

    @Test func productsThatOverflowAreErrors() {
        let text = """
            layers:
              - kind: embedding
                vocab: 4611686018427387904
                dim: 2
              - kind: dense
                out: 2
            """
        #expect(throws: ModelError.self) { try ModelFile.parse(text, format: .yaml, file: "m.yaml") }
        do { _ = try ModelFile.parse(text, format: .yaml, file: "m.yaml") } catch {
            #expect(error.layer == 0 && error.message.contains("64 bits"))
            #expect(error.line == 2)
        }
    }
}

@Suite("durability")
struct DurabilityTests {
    /// A writer process saves two different models over and over; it is killed at random moments
    /// and the file must always be one of the two, complete.
    @Test func sigkillDuringSavesLeavesOldOrNew() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/m.yaml"
        let a = Presets.resnet50.model, b = Presets.bertBase.model
        try ModelFile.save(a, to: path)
        var rng = SplitMix(state: 7)
        for round in 0..<12 {
            let pid = fork()
            if pid == 0 {
                var i = 0
                while true {
                    try? ModelFile.save(i % 2 == 0 ? b : a, to: path)
                    i += 1
                }
            }
            usleep(UInt32.random(in: 1_000...40_000, using: &rng))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let loaded = try ModelFile.load(path)
            #expect(loaded.model == a || loaded.model == b, "round \(round): torn file")
        }
        // Killed writers leave temporary files beside it, never in its place; the next save
        // clears those whose process is gone.
        try ModelFile.save(a, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.yaml"])
    }
}
