import Foundation
import Testing

@Suite("planner in tmux", .enabled(if: Tmux.available, "needs tmux"), .serialized)
struct PlannerE2ETests {
    /// Issue 12's "done when": open Llama-3.1-8B, open the planner, set context 32k and batch 4, see
    /// the weights, the KV cache and the cards they fit on; switch to LoRA r=16 training and see the
    /// trainable parameters and the training memory, each with its formula.
    @Test func contextBatchCardsThenLoRATraining() throws {
        let t = try Tmux(width: 120, height: 40, arguments: ["preset:llama-3.1-8b"])
        try t.waitFor("Llama-3.1-8B")
        try t.send("P")
        try t.waitFor("Inference · T 4,096 · B 1")
        try t.send("j", "Space", "Space")                          // weights: fp32 → fp16 → bf16
        try t.waitFor("weights         bf16")
        try t.send("j", "j", "Right", "Right", "Right")            // context 4,096 → 32,768
        try t.waitFor("context         32,768 tokens")
        try t.send("j", "Enter", "C-u")                            // batch: typed
        try t.type("4")
        try t.send("Enter")
        // A frame can be caught half written: wait for its last row too.
        var screen = try t.waitFor("the inference plan") {
            $0.contains("Inference · T 32,768 · B 4") && Tmux.squeezed($0).contains("Needs 30.96 GiB exact")
        }
        // 8,030,261,248 × 2 bytes of weights; 2 × 32 × 8 × 128 × 32,768 × 4 × 2 bytes of cache.
        #expect(screen.contains("= 2 × 32 × 8 × 128 × 32,768 × 4 × 2"))
        #expect(screen.contains("= 17,179,869,184 B (16.00 GiB · 17.18 GB)"))
        #expect(screen.contains("= 16,060,522,496 B (14.96 GiB · 16.06 GB)"))
        #expect(screen.contains("✓ H100 80 GB"))
        #expect(screen.contains("✗ RTX 4090 24 GB"))
        #expect(Tmux.squeezed(screen).contains("Needs 30.96 GiB exact"))

        try t.send("g", "Space")                                   // training
        try t.waitFor("Training (full fine-tuning)")
        try t.send("G", "Up")                                      // LoRA rank
        try t.type("16")
        try t.send("Enter")
        screen = try t.waitFor("the LoRA plan") { $0.contains("Training with LoRA r=16") && Tmux.squeezed($0).contains("trains 6.8M") }
        // peft 0.21.2: r=16 on q_proj and v_proj trains 6,815,744 parameters.
        #expect(screen.contains("r × Σ(d_in + d_out)"))
        #expect(screen.contains("= 6,815,744 (6.8M)"))
        #expect(screen.contains("N × bytes + P × 2"))
        #expect(screen.contains("= 16 × [(4,096 + 4,096) × 32 + (4,096 + 1,024) × 32]"))
        #expect(Tmux.squeezed(screen).contains("trains 6.8M"))
        // Activation checkpointing: 2 × 32 × 32,768 × 4 × 4,096 bytes ≈ 32 GiB beside 15.06 GiB exact.
        try t.send("k", "Right", "Right")                          // recompute: none → selective → full
        screen = try t.waitFor("checkpointing") {
            $0.contains("recompute       full") && Tmux.squeezed($0).contains("Needs 15.06 GiB + ≈32.00 GiB activations")
        }
        #expect(Tmux.squeezed(screen).contains("Needs 15.06 GiB + ≈32.00 GiB activations"))
        #expect(screen.contains("✓ H100 80 GB"))
        #expect(screen.contains("✗ A100 40 GB"))
        // The optimizer's states are on the first page of figures, with their formula.
        #expect(screen.contains("AdamW states") && screen.contains("2 × P × 4"))
        try t.send("PageDown")
        // The next page: compute. Wait for the scrolled frame as a whole, its first and last lines;
        // a frame caught half written once passed for the first page.
        screen = try t.waitFor("the compute figures") {
            $0.contains("training per step") && $0.contains("4 × C_fwd × T × B") && !$0.contains("2 × P × 4")
        }
        #expect(screen.contains("4 × C_fwd × T × B"))

        try t.send("Escape")
        try t.waitFor("Layers (4)")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }
}
