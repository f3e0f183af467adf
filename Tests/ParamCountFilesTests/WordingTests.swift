import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// Messages a user reads are paramcount's words: no text of the YAML library, no Foundation error
/// domains, and the usual mistakes named as a person would name them.
@Suite("error wording")
struct WordingTests {
    static let libraryPhrases = ["while parsing", "while scanning", "did not find expected", "cannot start any token",
                                 "in this context", "but found", "NSCocoaErrorDomain", "Error Domain", "octet", "libyaml"]

    @Test(arguments: [
        ("layers:\n  - kind: dense\n    in: [3\n    out: 4\n", "a list opened with '[' is not closed with ']'"),
        ("layers:\n  - kind: dense\n  in: 3\n", "the indentation of this line does not fit the list above it"),
        ("layers:\n- kind: dense\n  in: 3\n   out: 4\n", "a ':' where none can be"),
        ("layers:\n  - kind: \"dense\n", "a quoted text is not closed"),
        ("layers:\n  - kind: dense\n    in: 3\n    in: 4\n", "the key 'in' appears twice"),
        ("layers:\n\t- kind: dense\n", "a tab indents this line; indent YAML with spaces"),
        ("layers: &a\n  - *b\n", "an alias (*name) that no anchor (&name) before it defines"),
        ("layers:\n  - {kind: dense, in: 3, out: 4}\n---\nlayers: []\n", "more than one document"),
        ("%YAML 3.0\n---\nlayers: []\n", "a YAML version paramcount does not read"),
        ("name: @foo\nlayers: []\n", "'@' cannot start a value; put the text in quotes"),
        ("layers:\n  - kind: dense\n    name: \"a\\qb\"\n", "an unknown escape"),
        ("name: \"x\u{7}\"\nlayers: []\n", "a control character"),
    ])
    func yamlMistakesInPlainWords(_ text: String, _ phrase: String) {
        let e = loadError(text)
        #expect(e?.message.hasPrefix("is not valid YAML: ") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains(phrase) == true, "\(e?.message ?? "no error")")
        for p in Self.libraryPhrases { #expect(e?.message.contains(p) == false, "\(p) in \(e?.message ?? "")") }
        #expect(e?.line != nil)
    }

    func failure(_ bytes: [UInt8], named name: String) -> String? {
        do { _ = try ModelFile.read(bytes, named: name) } catch { return error.message }
        return nil
    }

    /// Whatever the mutation, no message carries library text.
    @Test func mutatedFilesNeverShowLibraryText() {
        for seed in MutationFuzzTests.seeds.prefix(12) {
            var rng = SplitMix(state: 7)
            for _ in 0..<40 {
                let input = MutationFuzzTests().mutate(Array(seed.0.utf8), &rng)
                guard let message = failure(input, named: "m.\(seed.1.rawValue)") else { continue }
                for p in Self.libraryPhrases { #expect(!message.contains(p), "\(message)") }
            }
        }
    }

    /// A byte-order mark is accepted in JSON as YAML accepts it.
    @Test func jsonWithAByteOrderMark() throws {
        let text = "\u{FEFF}" + #"{"layers": [{"kind": "dense", "in": 3, "out": 4}]}"#
        #expect(try ModelFile.parse(text, format: .json, file: "m.json").model.layers.count == 1)
        let dir = try ScratchFolder()
        #expect(try ModelFile.load(try dir.write("m.json", text)).model.layers.count == 1)
    }

    @Test func fileSystemProblemsInPlainWords() throws {
        let dir = try ScratchFolder()
        symlink("missing.yaml", dir.path + "/dangling.yaml")
        #expect(loadFailure(dir.path + "/dangling.yaml")?.message == "is a symbolic link to a file that does not exist (missing.yaml)")
        symlink("loop.yaml", dir.path + "/loop.yaml")
        #expect(loadFailure(dir.path + "/loop.yaml")?.message == "is a symbolic link that leads back to itself (a loop of links)")
        try dir.write("file", "x")
        #expect(loadFailure(dir.path + "/file/m.yaml")?.message == "no such file: a part of the path is not a folder")
        #expect(loadFailure(dir.path + "/none.yaml")?.message == "no such file")
    }
}
