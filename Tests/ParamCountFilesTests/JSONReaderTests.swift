import ParamCountCore
@testable import ParamCountFiles
import Testing

@Suite("JSON reader")
struct JSONReaderTests {
    func failure(_ text: String) -> JSONReader.Failure? {
        do { _ = try JSONReader.parse(Array(text.utf8)) } catch { return error }
        Issue.record("expected \(text) to be refused")
        return nil
    }

    @Test func surrogatePairsBecomeOneCharacter() throws {
        let node = try JSONReader.parse(Array(#""\ud83d\ude00""#.utf8))
        #expect(node.stringValue == "😀")
    }

    /// `"\ud800\u0041"` used to trap: the low half was assumed, and 0x41 − 0xDC00 underflowed.
    @Test func unpairedSurrogatesAreErrorsNotCrashes() {
        #expect(failure(#""\ud800\u0041""#)?.message == "unpaired surrogate escape \\uD800 in a string (it is followed by \\u0041, not by \\uDC00 to \\uDFFF)")
        #expect(failure(#""\ud800x""#)?.message.hasPrefix("unpaired surrogate escape \\uD800") == true)
        #expect(failure(#""\udc00""#)?.message.hasPrefix("unpaired surrogate escape \\uDC00") == true)
        #expect(failure(#""\ud800\ud800""#)?.message.contains("followed by \\uD800") == true)
        #expect(failure(#""\u+041""#)?.message == "\\u must be followed by four hex digits")
        #expect(failure(#"{"a": "\ud800"}"#)?.line == 1)
    }
}
