import Foundation
import Testing

/// Issue 9's "done when", as a user does it: open Llama-2-7B, unfold its layers, make it 40 deep.
@Suite("layer tree in tmux", .enabled(if: Tmux.available, "needs tmux (.ci/run installs it)"), .serialized)
struct TreeE2ETests {
    // Llama-2-7B: 6,738,415,616 parameters (Meta's model card; transformers' LlamaForCausalLM on
    // its config). One decoder layer of it: 4 × 4096² (q, k, v, o) + 3 × 4096 × 11008 (gate, up,
    // down) + 2 × 4096 (two RMSNorms) = 202,383,360.
    static let llama2 = 6_738_415_616
    static let block = 4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096

    /// Llama-2-7B as transformers' LlamaForCausalLM builds it from its config, with HF's names.
    static let file = """
        name: Llama-2-7B
        convention: pytorch
        layers:
          - kind: embedding
            name: embed_tokens
            vocab: 32000
            dim: 4096
          - kind: group
            name: layers
            repeat: 32
            layers:
              - kind: rmsnorm
                name: input_layernorm
              - kind: attention
                name: self_attn
                heads: 32
                bias: false
              - kind: rmsnorm
                name: post_attention_layernorm
              - kind: mlp
                name: mlp
                ff: 11008
                gated: true
                bias: false
          - kind: rmsnorm
            name: norm
          - kind: dense
            name: lm_head
            out: 32000
            bias: false
        """

    @Test func unfoldTheLayersAndMakeThemDeeper() throws {
        let path = try Binary.temporaryFile("llama-2-7b.yaml", Self.file)
        let t = try Tmux(width: 120, height: 40, arguments: [path])
        try t.waitFor("Total \(grouped(Self.llama2))")
        try t.waitFor("▸ layers ×32")
        try t.send("j", "Enter")                  // the layers group: Enter unfolds it
        try t.waitFor("▾ layers ×32")
        try t.waitFor("self_attn")
        try t.send("l")                           // its form
        try t.waitFor("repeat")
        try t.send("j", "Enter", "C-u")           // name, then repeat
        try t.type("40")
        try t.waitFor("Total \(grouped(Self.llama2 + 8 * Self.block))")
        try t.send("Enter", "Escape", "u")
        try t.waitFor("Total \(grouped(Self.llama2))")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }

    func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
