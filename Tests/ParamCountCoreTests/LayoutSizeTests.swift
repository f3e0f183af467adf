@testable import ParamCountCore
import Testing

/// Counting a million layers copies each one's resolved settings and count record: these sizes are
/// what that costs per layer. A kind whose settings grow past them belongs out of line (see
/// and so do references (retain and release on every copy): a kind whose settings outgrow these
/// should pack them (see `Sizes`), or the counting benchmark slows down.
@Suite("record sizes")
struct LayoutSizeTests {
    @Test func settingsStaySmall() {
        print("sizes: KindSettings \(MemoryLayout<KindSettings>.size), ResolvedLayer \(MemoryLayout<ResolvedLayer>.size), "
              + "LayerCount \(MemoryLayout<LayerCount>.size), FieldReader \(MemoryLayout<FieldReader>.size), "
              + "Conv \(MemoryLayout<Conv.Settings>.size), Attention \(MemoryLayout<Attention.Settings>.size)")
        #expect(MemoryLayout<KindSettings>.size <= 112)
        #expect(MemoryLayout<ResolvedLayer>.size <= 152)
        #expect(MemoryLayout<Sizes>.size <= 16)
        // Plain bytes: copied with a memcpy, no reference counting.
        #expect(_isPOD(KindSettings.self))
        #expect(MemoryLayout<LayerCount>.size <= 112)
    }
}
