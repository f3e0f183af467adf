import ParamCountCore
import Testing

/// Figures at the ends of the range, where the unit table and the ratio used to run out.
@Suite("number formats at the extremes")
struct FormatExtremesTests {
    @Test func humanReachesInt64Max() {
        #expect(Format.human(Int.max) == "9.2E")
        #expect(Format.human(Int.min) == "-9.2E")
        #expect(Format.human(1_500_000_000_000_000) == "1.5P")
        #expect(Format.human(999_960_000_000_000) == "1.0P")
        #expect(Format.human(2_000_000_000_000) == "2.0T")
    }

    @Test func aRatioWithNoValueIsADash() {
        #expect(Format.ratio(0, 0) == "—")
        #expect(Format.ratio(0, 5) == "—")
        #expect(Format.ratio(100, 117) == "1.17")
        #expect(Format.ratio(5, 0) == "0.00")
    }
}
