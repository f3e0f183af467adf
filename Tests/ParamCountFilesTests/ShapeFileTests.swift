import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Model files with an input shape: every new field read, written and read back, and shape errors
/// pointing at the line to fix. PyTorch's figures come from scripts/reference/shape_tests_reference.py
/// (torch 2.15.0).
@Suite("files with shapes")
struct ShapeFileTests {
    @Test func anInputOfFiveSizesIsRefusedWhereItIsWritten() {
        for (text, format) in [("name: m\ninput: [1, 3, 8, 8, 8]\nlayers:\n  - {kind: conv, out: 8, kernel: 3}\n", FileFormat.yaml),
                               ("{\"name\": \"m\",\n \"input\": [1, 3, 8, 8, 8],\n \"layers\": [{\"kind\": \"conv\", \"out\": 8, \"kernel\": 3}]}",
                                .json)] {
            let e = loadError(text, format)
            #expect(e?.line == 2 && e?.field == "input", "\(format): \(e?.description ?? "")")
            #expect(e?.message.hasPrefix("has 5 sizes; give 1 to 4: [T] token ids") == true, "\(format): \(e?.message ?? "")")
        }
    }
}
