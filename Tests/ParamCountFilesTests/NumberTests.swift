import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// A width is a decimal integer, optionally with `_` between digits, whatever it is written in:
/// YAML (where 1.1 resolvers read 017 as octal and 1:30 as base 60), JSON (RFC 8259) or the
/// editor's form. Anything else is an error that quotes what was written and how to write it.
@Suite("numbers mean one thing everywhere")
struct NumberTests {
    func yamlError(_ value: String) -> ModelError? {
        loadError("layers:\n  - kind: lstm\n    in: 4\n    hidden: \(value)\n")
    }

    func yamlHidden(_ value: String) throws -> FieldValue? {
        try ModelFile.parse("layers:\n  - kind: lstm\n    in: 4\n    hidden: \(value)\n", format: .yaml, file: "m.yaml")
            .model.layers[0].fields[.hidden]
    }

    @Test(arguments: [
        ("017", "`017`: write 17; leading zeros are not allowed"),
        ("0017", "`0017`: write 17; leading zeros are not allowed"),
        ("1:30", "`1:30`: base-60 numbers are not allowed; write 90 if that is what you meant"),
        ("0x10", "`0x10`: write 16; only decimal numbers are allowed"),
        ("0o17", "`0o17`: write 15; only decimal numbers are allowed"),
        ("0b101", "`0b101`: write 5; only decimal numbers are allowed"),
        ("1e3", "`1e3`: write 1000, without a decimal point or exponent"),
        ("256.0", "`256.0`: write 256, without a decimal point or exponent"),
        ("+8", "`+8`: write 8, without a plus sign"),
        ("1__000", "`1__000`: write 1_000 or 1000; `_` may only stand between two digits"),
        ("1000_", "`1000_`: write 1000; `_` may only stand between two digits"),
    ])
    func yamlNumbersThatWouldChangeValue(_ value: String, _ message: String) {
        let e = yamlError(value)
        #expect(e?.message == message, "\(value): \(e?.message ?? "no error")")
        #expect(e?.line == 4 && e?.field == "hidden")
    }

    @Test func yamlDirectivesDoNotChangeTheRule() {
        let e = loadError("%YAML 1.2\n---\nlayers:\n  - kind: lstm\n    in: 4\n    hidden: 017\n")
        #expect(e?.message == "`017`: write 17; leading zeros are not allowed" && e?.line == 6)
    }

    @Test func separatorsAndPlainNumbersStillWork() throws {
        #expect(try yamlHidden("1_000") == .int(1000))
        #expect(try yamlHidden("1_000_000") == .int(1_000_000))
        #expect(try yamlHidden("12") == .int(12))
        #expect(yamlError("2.5")?.message == "must be a positive integer, got 2.5")
        // A number in a name is the text as written, not a reading of it.
        let m = try ModelFile.parse("layers:\n  - kind: dense\n    name: 017\n    in: 1\n    out: 1\n", format: .yaml, file: "m.yaml")
        #expect(m.model.layers[0].name == "017")
        let t = try ModelFile.parse("name: 1:30\nlayers:\n  - {kind: dense, in: 1, out: 1}\n", format: .yaml, file: "m.yaml")
        #expect(t.model.name == "1:30")
    }

    @Test func kernelListsFollowTheSameRule() {
        let e = loadError("layers:\n  - kind: conv\n    in: 3\n    out: 4\n    kernel: [3, 03]\n")
        #expect(e?.message == "`03`: write 3; leading zeros are not allowed", "\(e?.message ?? "")")
    }

    /// RFC 8259 §6: int = zero / (digit1-9 *DIGIT); no plus sign, no bare fraction or exponent marks.
    @Test(arguments: ["017", "-017", "00", "+1", "1.", ".5", "1e", "1e+", "--1", "1-2", "0x10", "1_000", "-"])
    func jsonNumbersFollowRFC8259(_ number: String) {
        let e = loadError(#"{"layers": [{"kind": "lstm", "in": 4, "hidden": \#(number)}]}"#, .json)
        #expect(e?.message.hasPrefix("is not valid JSON") == true, "\(number): \(e?.message ?? "no error")")
        #expect(e?.line == 1)
    }

    @Test func jsonLeadingZerosSayWhatToWrite() {
        let e = loadError("{\"layers\": [\n  {\"kind\": \"lstm\", \"in\": 4, \"hidden\": 017}]}", .json)
        #expect(e?.message == "is not valid JSON: `017`: write 17; leading zeros are not allowed", "\(e?.message ?? "")")
        #expect(e?.line == 2)
    }

    @Test func jsonExponentsAreValidJSONButNotWidths() {
        let e = loadError(#"{"layers": [{"kind": "lstm", "in": 4, "hidden": 1e3}]}"#, .json)
        #expect(e?.message == "`1e3`: write 1000, without a decimal point or exponent", "\(e?.message ?? "")")
        #expect(e?.field == "hidden")
    }

    /// The editor's form reads what is typed with the same rule.
    @Test(arguments: [
        ("017", "`017`: write 17; leading zeros are not allowed"),
        ("1e3", "`1e3`: write 1000, without a decimal point or exponent"),
        ("1:30", "`1:30`: base-60 numbers are not allowed; write 90 if that is what you meant"),
        ("_5", "`_5`: write 5; `_` may only stand between two digits"),
    ])
    func theFormUsesTheSameRule(_ typed: String, _ message: String) {
        let spec = Schema.spec(.lstm, .hidden)!
        #expect(spec.parse(typed) == .failure(LayerError(.hidden, message)))
        #expect(spec.parse("1_024") == .success(.int(1024)))
        let kernel = Schema.spec(.conv, .kernel)!
        #expect(kernel.parse("3x03") == .failure(LayerError(.kernel, "`03`: write 3; leading zeros are not allowed")))
        #expect(kernel.parse("3x3") == .success(.ints(Sizes([3, 3]))))
    }
}
