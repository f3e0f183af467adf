import Foundation
import Testing

/// meta-llama/Llama-3.1-8B's published config.json (transformers builds 8,030,261,248 parameters).
let llama31Config = Binary.packageRoot.appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/hf/llama-Meta-Llama-3.1-8B.json").path

@Suite("paramcount plan")
struct PlanCommandTests {
    /// 2 × 32 layers × 8 key/value heads × 128 × 32,768 tokens × 4 sequences × 2 bytes = 16 GiB of
    /// cache beside 8,030,261,248 × 2 bytes of weights.
    @Test func inferenceWithItsFormulasAndTheCards() throws {
        let r = try Binary.run(["plan", "preset:llama-3.1-8b", "--dtype", "bf16", "--context", "32_768", "--batch", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("KV cache: 2 × L × H_kv × d_h × T × B × bytes = 2 × 32 × 8 × 128 × 32,768 × 4 × 2 = 17,179,869,184 B (16.00 GiB · 17.18 GB)"))
        #expect(r.stdout.contains("weights: N × bytes = 8,030,261,248 × 2 = 16,060,522,496 B"))
        #expect(r.stdout.contains("total: 33,240,391,680 B (30.96 GiB · 33.24 GB)"))
        #expect(r.stdout.contains("✓ H100 80 GB"))
        #expect(r.stdout.contains("✗ RTX 4090 24 GB"))
    }

    @Test func loraTrainingAsJSON() throws {
        let r = try Binary.run(["plan", llama31Config, "--train", "--lora-rank", "16", "--recompute", "full", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // peft 0.21.2 on LlamaForCausalLM: r=16 on q_proj and v_proj trains 6,815,744 parameters.
        #expect((obj["lora"] as? [String: Any])?["params"] as? Int == 6_815_744)
        #expect(obj["trainable"] as? Int == 6_815_744)
        let activations = try #require(obj["activations"] as? [String: Any])
        #expect(activations["estimate"] as? Bool == true)
        #expect(obj["needed_includes_estimate"] as? Bool == true)
        let exact = try #require(obj["exact_bytes"] as? Int), needed = try #require(obj["needed_bytes"] as? Int)
        #expect(needed == exact + (activations["bytes"] as? Int ?? -1))
        #expect((obj["bytes_per_trainable_parameter"] as? String)?.contains("2 + 2 + 4 + 4 + 4 = 16") == true)
        #expect((obj["fits"] as? [[String: Any]])?.count == 16)
    }

    @Test func countAddsAPlanObjectWhenAsked() throws {
        let plain = try Binary.run(["count", "preset:gpt2-small", "--format", "json"])
        #expect(plain.status == 0 && !plain.stdout.contains("\"plan\""))
        let r = try Binary.run(["count", "preset:gpt2-small", "--format", "json", "--plan", "--context", "1024"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let plan = try #require(obj["plan"] as? [String: Any])
        // GPT-2 small: 12 blocks × 12 heads × 64 × 2 (K and V) × 2 bytes = 36 KiB per token.
        let memory = try #require(plan["memory"] as? [[String: Any]])
        #expect(memory.first { $0["name"] as? String == "kv_cache" }?["bytes"] as? Int == 36 * 1024 * 1024)
        #expect((plan["settings"] as? [String: Any])?["context"] as? Int == 1024)
    }

    @Test(arguments: [
        (["plan", "preset:gpt2-small", "--lora-rank", "8"], "--lora-rank applies to training: add --train"),
        (["plan", "preset:gpt2-small", "--train", "--lora-targets", "mlp"], "--lora-targets needs --lora-rank above 0"),
        (["plan", "preset:gpt2-small", "--context", "0"], "--context must be at least 1 token"),
        (["plan", "preset:gpt2-small", "--context", "1e3"], "write 1000"),
        (["plan", "preset:gpt2-small", "--optimizer", "lion", "--train"], "lion"),
        (["count", "preset:gpt2-small", "--plan"], "--plan adds a `plan` object to --format json"),
        (["count", "preset:gpt2-small", "--context", "8"], "need --plan"),
    ])
    func usageErrorsExitTwoAndSayWhy(_ arguments: [String], _ message: String) throws {
        let r = try Binary.run(arguments)
        #expect(r.status == 2, "\(arguments)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func settingsPastSixtyFourBitsSaySoAndExitZero() throws {
        let r = try Binary.run(["plan", "preset:gpt2-small", "--batch", "9223372036854775807"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("too large for 64 bits"))
        let j = try Binary.run(["plan", "preset:gpt2-small", "--batch", "9223372036854775807", "--format", "json"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(obj["exact_bytes"] is NSNull)
    }

    @Test func anInvalidModelExitsOne() throws {
        let path = try Binary.temporaryFile("bad.yaml", "layers:\n  - kind: attention\n    dim: 10\n    heads: 3\n")
        let r = try Binary.run(["plan", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.yaml:4"), "\(r.stderr)")
    }
}
