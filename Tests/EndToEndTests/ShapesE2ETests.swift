import Foundation
import Testing

/// Issue 11's "done when", as a user does it: open VGG-16, see the flattened width and every layer's
/// output shape, give it a 448×448 input and watch the classifier's width, count and MACs follow.
@Suite("shapes in tmux", .enabled(if: Tmux.available, "needs tmux (.ci/run installs it)"), .serialized)
struct ShapesE2ETests {
    @Test func vggFollowsItsInputShape() throws {
        let t = try Tmux(width: 100, height: 30, arguments: ["preset:vgg16"])
        // torchvision 0.29.2's vgg16(): 138,357,544 parameters; FlopCounterMode/2 at 3×224×224:
        // 15,470,264,320 MACs (torchvision documents 15.47 GFLOPS).
        try t.waitFor("Total 138,357,544")
        try t.waitFor("MACs 15.5G")
        try t.waitFor("64×224×224")             // conv1_1's output shape in the list
        try t.waitFor("flatten 25088")
        try t.send("G", "k", "k")              // fc6, the first dense layer
        try t.waitFor("Layer 20: dense \"fc6\"")
        try t.waitFor("in 25088 auto")          // inferred, not written
        try t.send("I", "C-u")
        try t.type("3, 448, 448")
        // torchvision's vgg16 without its adaptive pool (as the preset) and fc6 reading
        // 512·14·14 = 100,352 at 3×448×448, under torch 2.15 FlopCounterMode:
        // 446,638,888 parameters and 61,818,437,632 MACs.
        try t.waitFor("in 100352 auto")
        try t.waitFor("Total 446,638,888")
        try t.waitFor("MACs 61.8G")
        try t.waitFor("= 100,352 × 4,096 + 4,096")
        try t.send("Enter")
        try t.waitFor("modified")
        // A size of zero is refused where it is typed, and the last valid figures stay.
        try t.send("I", "C-u")
        try t.type("3, 0, 448")
        try t.waitFor("field 'input': sizes must be positive integers, got 0")
        try t.waitFor("in 100352 auto")
        // Esc keeps the 448×448 input; undo takes it back to the preset's.
        try t.send("Escape", "u")
        try t.waitFor("Total 138,357,544")
        try t.waitFor("in 25088 auto")
        try t.resize(70, 24)
        try t.waitFor("MACs")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }
}
