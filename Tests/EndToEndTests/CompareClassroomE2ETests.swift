import Foundation
import Testing

@Suite("comparison and classroom in tmux", .enabled(if: Tmux.available, "needs tmux"), .serialized)
struct CompareClassroomE2ETests {
    // Two dense models: A = 100·50 + 50 = 5,050; B = 100·80 + 80 = 8,080.
    @Test func editOneSideAndWatchTheDelta() throws {
        let a = try Binary.temporaryFile("a.yaml", "name: small\nlayers:\n  - kind: dense\n    in: 100\n    out: 50\n")
        let b = try Binary.temporaryFile("b.yaml", "name: wide\nlayers:\n  - kind: dense\n    in: 100\n    out: 80\n")
        let t = try Tmux(width: 80, height: 24, arguments: [a, b])
        try t.waitFor("Total +3.0K ×1.60")
        // Side B, its only layer, field "out": type 200 → 100·200 + 200 = 20,200; B − A = +15,150.
        try t.send("w", "Tab", "j", "j", "Enter", "C-u")
        try t.type("200")
        try t.waitFor("Total +15.2K ×4.00")
        try t.send("Enter", "Escape", "s")
        try t.waitFor("Saved")
        try t.send("q")
        try t.waitFor("[exited 0]")
        #expect(try String(contentsOfFile: b, encoding: .utf8).contains("out: 200"))
        #expect(try String(contentsOfFile: a, encoding: .utf8).contains("out: 50"))
    }

    @Test func presetsSideBySideWithBreakdown() throws {
        let t = try Tmux(width: 100, height: 30, arguments: ["preset:bert-base", "preset:gpt2-small"])
        let screen = try t.waitFor("embedding")
        #expect(screen.contains("Total +15.0M ×1.14"))
        #expect(screen.contains("attention"))
        try t.send("q")
        try t.waitFor("[exited 0]")
    }

    @Test func classroomStepsThroughTheLSTM() throws {
        let t = try Tmux(width: 80, height: 24, arguments: [])
        try t.waitFor("Sentiment classifier")
        try t.send("T", "j")
        try t.waitFor("step 1 of 9")
        var screen = try t.screen()
        #expect(screen.contains("▀▀▀"))        // the total in block digits
        #expect(!screen.contains("│ = 394,240"))
        for _ in 0..<8 { try t.send("n") }
        screen = try t.waitFor("step 9 of 9")
        #expect(screen.contains("│ = 394,240"))
        try t.send("T")
        try t.waitFor("Derivation")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }
}
