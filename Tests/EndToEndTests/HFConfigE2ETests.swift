import Foundation
import Testing

/// `paramcount count` and `paramcount import` on Hugging Face config.json files, with the built binary.
@Suite("Hugging Face config.json from the command line")
struct HFConfigE2ETests {
    static let fixtures = Binary.packageRoot.appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/hf").path
    static func fixture(_ name: String) -> String { fixtures + "/" + name }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// Llama-2-7B's published total, 6,738,415,616, from meta-llama/Llama-2-7b-hf's config.json.
    @Test func countsLlama2FromItsConfigAndSaysWhichClass() throws {
        let r = try Binary.run(["count", Self.fixture("llama-Llama-2-7b-hf.json")])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("meta-llama/Llama-2-7b-hf (LlamaForCausalLM)  (pytorch convention)\n"))
        #expect(r.stdout.contains("Total params:         6,738,415,616 (6.7B)"))
        #expect(r.stdout.contains("Class:                LlamaForCausalLM"))
        #expect(r.stdout.contains("2    model.layers                group      4096→4096 ×32            6,476,267,520  96.1%"))
    }

    /// Mixtral-8x7B: 46,702,792,704 parameters, 12,879,925,248 active (Mistral's announcement: 46.7B, 12.9B).
    @Test func jsonNamesTheSourceFormatAndTheClass() throws {
        let r = try Binary.run(["count", Self.fixture("mixtral-Mixtral-8x7B-v0.1.json"), "--format", "json"])
        #expect(r.status == 0)
        let obj = try Self.json(r.stdout)
        #expect(obj["source_format"] as? String == "hf-config")
        #expect(obj["class"] as? String == "MixtralForCausalLM")
        #expect(obj["total"] as? Int == 46_702_792_704)
        #expect(obj["active"] as? Int == 12_879_925_248)
    }

    /// bert-base-uncased as BertModel: 109,482,240 (the config without architectures).
    @Test func aFolderHoldingAConfigOpensToo() throws {
        let config = try String(contentsOfFile: Self.fixture("bert-base-uncased-no-architectures.json"), encoding: .utf8)
        let file = try Binary.temporaryFile("config.json", config)
        let folder = (file as NSString).deletingLastPathComponent
        let r = try Binary.run(["count", folder, "--format", "json"])
        #expect(r.status == 0)
        let obj = try Self.json(r.stdout)
        #expect(obj["total"] as? Int == 109_482_240)
        #expect(obj["class"] as? String == "BertModel")
    }

    @Test func importWritesAModelFileThatCountsTheSame() throws {
        let dir = (try Binary.temporaryFile("placeholder", "") as NSString).deletingLastPathComponent
        for (name, output) in [("gpt2-gpt2.json", "gpt2.yaml"), ("qwen2_moe-tiny-layout.json", "moe.json")] {
            let target = dir + "/" + output
            let imported = try Binary.run(["import", Self.fixture(name), "-o", target])
            #expect(imported.status == 0, "\(imported.stderr)")
            let original = try Self.json(try Binary.run(["count", Self.fixture(name), "--format", "json"]).stdout)
            let copy = try Self.json(try Binary.run(["count", target, "--format", "json"]).stdout)
            #expect(copy["total"] as? Int == original["total"] as? Int)
            #expect(copy["active"] as? Int == original["active"] as? Int)
            #expect(copy["source_format"] as? String == "paramcount")
            // A second import does not replace the file unless asked to.
            let again = try Binary.run(["import", Self.fixture(name), "-o", target])
            #expect(again.status == 1)
            #expect(again.stderr.contains("exists; give --force to replace it"))
            #expect(try Binary.run(["import", Self.fixture(name), "-o", target, "--force"]).status == 0)
        }
        // GPT-2 small: 124,439,808 (issues 9 and 10).
        let yaml = try String(contentsOfFile: dir + "/gpt2.yaml", encoding: .utf8)
        #expect(yaml.hasPrefix("name: \"gpt2-gpt2 (GPT2LMHeadModel)\"\nconvention: pytorch\n"))
        #expect(try Self.json(try Binary.run(["count", dir + "/gpt2.yaml", "--format", "json"]).stdout)["total"] as? Int == 124_439_808)
        // Without -o, the YAML goes to standard output.
        let stdout = try Binary.run(["import", Self.fixture("gpt2-gpt2.json")])
        #expect(stdout.status == 0)
        #expect(stdout.stdout == yaml)
    }

    @Test func badConfigsExitOneWithALocatedMessage() throws {
        let unknown = try Binary.temporaryFile("config.json", "{\n  \"model_type\": \"mamba\",\n  \"hidden_size\": 768\n}\n")
        let r = try Binary.run(["count", unknown])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("config.json:2: field 'model_type': \"mamba\" is not a family paramcount reads; it reads: llama,"))
        let negative = try Binary.temporaryFile("config.json", "{\"model_type\": \"llama\",\n\"num_hidden_layers\": -32}")
        let n = try Binary.run(["import", negative, "-o", negative + ".yaml"])
        #expect(n.status == 1)
        #expect(n.stderr.contains("config.json:2: field 'num_hidden_layers': must be a positive integer, got -32"))
        #expect(!FileManager.default.fileExists(atPath: negative + ".yaml"))
    }
}

@Suite("Hugging Face config.json in the editor", .enabled(if: Tmux.available, "needs tmux"), .serialized)
struct HFConfigEditorTests {
    /// Issue 10's user: opens Llama-2-7B's config, changes num_hidden_layers (the repeat of
    /// model.layers) from 32 to 40 and sees the total follow: 6,738,415,616 + 8 × 202,383,360 (one
    /// layer, per transformers 5.24) = 8,357,482,496; saving asks for a name and never touches the config.
    @Test func changeTheLayerCountOfLlama2AndSaveACopy() throws {
        let config = HFConfigE2ETests.fixture("llama-Llama-2-7b-hf.json")
        let original = try String(contentsOfFile: config, encoding: .utf8)
        let copy = (try Binary.temporaryFile("placeholder", "") as NSString).deletingLastPathComponent + "/llama-40.yaml"
        let t = try Tmux(width: 120, height: 40, arguments: [config])
        try t.waitFor("Total 6,738,415,616")
        try t.send("j", "Tab", "j", "Enter", "C-u")              // model.layers, its form, repeat
        try t.type("40")
        try t.send("Enter")
        let screen = try t.waitFor("Total 8,357,482,496")
        #expect(screen.contains("▸ model.layers ×40"))
        try t.send("s")
        try t.waitFor("Save as:")
        try t.send("C-u")
        try t.type(copy)
        try t.send("Enter")
        try t.waitFor("Saved")
        try t.send("q")
        try t.waitFor("[exited 0]")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == original)
        let counted = try Binary.run(["count", copy, "--format", "json"])
        #expect(try HFConfigE2ETests.json(counted.stdout)["total"] as? Int == 8_357_482_496)
    }
}
