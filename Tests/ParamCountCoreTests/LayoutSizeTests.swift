@testable import ParamCountCore
import Testing

/// Counting a million layers copies each one's resolved settings and count record: these sizes are
/// what that costs per layer, and references in them cost a retain and a release on every copy. A
/// kind whose settings outgrow these should pack them (see `Sizes`), or the counting benchmark
/// slows down.
@Suite("record sizes")
struct LayoutSizeTests {
    @Test func settingsStaySmall() {
        #expect(MemoryLayout<KindSettings>.size <= 112)
        #expect(MemoryLayout<ResolvedLayer>.size <= 152)
        #expect(MemoryLayout<Sizes>.size <= 16)
        // Plain bytes: copied with a memcpy, no reference counting.
        #expect(_isPOD(KindSettings.self))
        #expect(MemoryLayout<LayerCount>.size <= 112)
    }
}
