import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// Deterministic mutation fuzzing of the checkpoint readers (scripts/fuzz.sh runs the coverage-guided
/// libFuzzer version): every mutated header ends in a listing or a ModelError naming the file, never
/// a trap, a hang or a huge allocation.
@Suite("checkpoint reader mutation fuzzing")
struct TensorMutationTests {
    /// Values that hit the edges of lengths, counts, dimensions and offsets.
    static let integers: [UInt64] = [0, 1, 2, 3, 4, 5, 7, 8, 31, 32, 255, 256, 65_535, 65_536, 1 << 31, 1 << 32, (1 << 32) - 1,
                                     1 << 40, 1 << 62, 1 << 63, UInt64.max, UInt64.max - 1, 100_000_000, 100_000_001]
    static let jsonTokens: [[UInt8]] = ["{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "-1", "0", "1e9", "1.5",
                                        "null", "true", "99999999999999999999", "\"__metadata__\"", "\"dtype\"", "\"shape\"",
                                        "\"data_offsets\"", "\"F4\"", "\"BF16\"", "\"F8_E4M3\"", "[18446744073709551615]",
                                        "\u{1B}[2J", "\u{0}", "é", " "].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix, json: Bool) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let pos = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where !b.isEmpty: b[pos] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !b.isEmpty: b[pos] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 2:
                // A little-endian integer over 4 or 8 bytes: counts, lengths, dims, types, offsets.
                let v = integers.randomElement(using: &rng)!
                let width = Bool.random(using: &rng) ? 8 : 4
                let at = min(pos, max(0, b.count - width))
                for k in 0..<min(width, b.count - at) { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
            case 3 where json:
                b.insert(contentsOf: jsonTokens.randomElement(using: &rng)!, at: pos)
            case 4 where !b.isEmpty: b.removeSubrange(pos..<min(b.count, pos + Int.random(in: 1...16, using: &rng)))
            case 5 where !b.isEmpty:
                let end = min(b.count, pos + Int.random(in: 1...64, using: &rng))
                b.insert(contentsOf: Array(b[pos..<end]), at: Int.random(in: 0...b.count, using: &rng))
            case 6: b = Array(b.prefix(pos))
            default: b.insert(UInt8.random(in: 0...255, using: &rng), at: pos)
            }
        }
        return b
    }

    static var safetensorsSeeds: [[UInt8]] {
        var seeds = [
            SafetensorsFile.bytes([("a.weight", "F32", [3, 4]), ("a.bias", "F16", [3]), ("b", "BF16", [2, 2])], metadata: [("format", "pt")]),
            SafetensorsFile.bytes([("f6", "F6_E2M3", [4]), ("f4", "F4", [6]), ("e", "F32", [0, 3]), ("s", "I64", [])]),
            SafetensorsFile.bytes("{}", dataSize: 0),
        ]
        for name in ["llama-tiny.safetensors", "dtypes.safetensors", "sharded/model-00001-of-00002.safetensors"] {
            seeds.append([UInt8](try! Data(contentsOf: TensorFixtureTests.folder.appendingPathComponent(name))))
        }
        return seeds
    }

    static var ggufSeeds: [[UInt8]] {
        var f = GGUFTests.small
        f.kv += [("k", .array(9, [.array(5, [.i32(1), .i32(2)]), .array(8, [.string("x")])])), ("b", .bool(1)), ("s", .string("text")),
                 ("general.alignment", .u32(32))]
        var be = f
        be.bigEndian = true
        var v2 = GGUFTests.small
        v2.version = 2
        var seeds = [f.bytes, be.bytes, v2.bytes]
        for name in ["tiny.gguf", "tiny-big-endian.gguf"] {
            seeds.append([UInt8](try! Data(contentsOf: TensorFixtureTests.folder.appendingPathComponent(name))))
        }
        return seeds
    }

    /// A listing must hold together: its total is the sum of its tensors, and it builds a tree.
    static func check(_ l: TensorListing) {
        #expect(l.totalElements == l.tensors.map(\.elements).reduce(0, +))
        #expect(ModuleTree.build(l).total == l.totalElements)
        _ = l.elementsByCategory
    }

    static func checkError(_ error: ModelError, file: String) {
        #expect(error.file == file)
        #expect(!error.message.isEmpty)
        #expect(!error.description.contains("\u{1B}"), "an error message carries an escape byte: \(error.description)")
    }

    func run(seeds: [[UInt8]], perSeed: Int, seed: UInt64, json: Bool,
             parse: ([UInt8]) throws(ModelError) -> TensorListing) -> (listings: Int, errors: Int) {
        var rng = SplitMix(state: seed)
        var listings = 0, errors = 0
        var slowest = 0.0
        for original in seeds {
            for _ in 0..<perSeed {
                let input = Self.mutate(original, &rng, json: json)
                let start = Date()
                do {
                    Self.check(try parse(input))
                    listings += 1
                } catch {
                    Self.checkError(error, file: "fuzz")
                    errors += 1
                }
                slowest = max(slowest, Date().timeIntervalSince(start))
            }
        }
        // Not a performance budget: a hang guard. Every input is at most a few tens of KiB.
        #expect(slowest < 2, "an input took \(slowest) s")
        return (listings, errors)
    }

    @Test func mutatedSafetensorsEndInAListingOrAnError() {
        let seeds = Self.safetensorsSeeds
        let (listings, errors) = run(seeds: seeds, perSeed: 600, seed: 2026, json: true) { bytes throws(ModelError) in
            try Safetensors.parse(bytes: bytes, file: "fuzz")
        }
        #expect(listings + errors == seeds.count * 600)
        #expect(listings > 0 && errors > 0)
    }

    @Test func mutatedGGUFEndsInAListingOrAnError() {
        let seeds = Self.ggufSeeds
        let (listings, errors) = run(seeds: seeds, perSeed: 700, seed: 4242, json: false) { bytes throws(ModelError) in
            try GGUF.parse(bytes: bytes, file: "fuzz")
        }
        #expect(listings + errors == seeds.count * 700)
        #expect(listings > 0 && errors > 0)
    }

    /// Through the format registry, as `count` and the editor open them: a mutated checkpoint ends
    /// in a read-only model that counts to its listing's total and survives saving as paramcount
    /// YAML, or in an error naming the file.
    @Test func mutatedCheckpointsOpenAsModelsOrErrors() throws {
        var rng = SplitMix(state: 7)
        var models = 0, errors = 0
        for (name, seeds, json) in [("fuzz.safetensors", Self.safetensorsSeeds, true), ("fuzz.gguf", Self.ggufSeeds, false)] {
            for original in seeds {
                for _ in 0..<150 {
                    let input = Self.mutate(original, &rng, json: json)
                    let loaded: LoadedModel
                    do { loaded = try ModelFile.read(input, named: name) } catch {
                        Self.checkError(error, file: name)
                        errors += 1
                        continue
                    }
                    // Once read, nothing may fail: these throw out of the test.
                    let count = try Counter.count(loaded.model)
                    #expect(count.total == loaded.checkpoint?.totalElements)
                    #expect(loaded.saveTarget == nil)
                    let copy = try ModelFile.parse(ModelWriter.yaml(loaded.model), format: .yaml, file: "copy.yaml")
                    #expect(try Counter.count(copy.model).total == count.total)
                    models += 1
                }
            }
        }
        #expect(models > 0 && errors > 0)
    }

    @Test func mutatedIndexesEndInAnIndexOrAnError() throws {
        let seed = [UInt8](try Data(contentsOf: TensorFixtureTests.folder.appendingPathComponent("sharded/model.safetensors.index.json")))
        var rng = SplitMix(state: 99)
        var parsed = 0, errors = 0
        for _ in 0..<1_500 {
            do {
                let index = try Safetensors.parseIndex(bytes: Self.mutate(seed, &rng, json: true), file: "fuzz")
                #expect(index.shards.allSatisfy { !$0.contains("/") && $0 != ".." })
                parsed += 1
            } catch {
                Self.checkError(error, file: "fuzz")
                errors += 1
            }
        }
        #expect(parsed > 0 && errors > 0)
    }
}
