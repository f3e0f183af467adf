import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// Reading a config.json text the way the registry does, without counting it.
func hfConfig(_ text: String, file: String = "config.json") throws(ModelError) -> HFConfig {
    let root: DocNode
    do { root = try JSONReader.parse(Array(text.utf8)) } catch {
        throw ModelError(file: file, line: error.line, error.message)
    }
    return try HFConfig(root, file: file)
}

func hfModules(_ text: String) throws(ModelError) -> [HFModule] { try HuggingFace.modules(try hfConfig(text)) }

func hfFailure(_ text: String) -> ModelError? {
    do { _ = try hfModules(text) } catch { return error }
    Issue.record("expected the config to be refused: \(text)")
    return nil
}

/// The config reader's own rules: which family and class, values and defaults, and the errors a
/// bad config gets. The counts are checked against transformers in HFCountTests.
@Suite("Hugging Face config.json: reading")
struct HFConfigTests {
    @Test func anUnknownFamilyNamesTheOnesThatAreRead() {
        let e = hfFailure(#"{"model_type": "lama", "hidden_size": 8}"#)
        #expect(e?.field == "model_type")
        #expect(e?.line == 1)
        #expect(e?.message.contains("\"lama\" is not a family paramcount reads (did you mean 'llama'?)") == true)
        for family in ["llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2", "phi3",
                       "gpt2", "bert", "roberta", "gpt_neox", "opt", "falcon", "t5", "olmo2", "deepseek_v3"] {
            #expect(e?.message.contains(family) == true, "\(family) missing from the list")
        }
        #expect(hfFailure(#"{"model_type": 3}"#)?.message.contains("must be the name of a model family") == true)
        #expect(hfFailure(#"["model_type"]"#)?.message.contains("a config.json is a JSON object") == true)
    }

    @Test func theClassComesFromTheFirstArchitectureOrIsTheBaseModel() throws {
        #expect(try hfConfig(#"{"model_type": "llama", "architectures": ["LlamaForCausalLM", "Other"]}"#).className == "LlamaForCausalLM")
        for missing in ["", #", "architectures": null"#, #", "architectures": []"#] {
            let c = try hfConfig(#"{"model_type": "bert""# + missing + "}")
            #expect(c.className == "BertModel")
            #expect(c.head == .none)
        }
        #expect(try hfConfig(#"{"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}"#).head == .causalLM)
        #expect(try hfConfig(#"{"model_type": "t5", "architectures": ["T5EncoderModel"]}"#).head == .encoderOnly)
        #expect(try hfConfig(#"{"model_type": "roberta", "architectures": ["RobertaForCausalLM"]}"#).head == .maskedLM)
    }

    @Test func aClassTheFamilyDoesNotHaveIsRefusedWithTheClassesItHas() {
        let e = hfFailure("{\n\"model_type\": \"llama\",\n\"architectures\": [\"LlamaForTokenClassification\"]\n}")
        #expect(e?.line == 3)
        #expect(e?.field == "architectures")
        #expect(e?.message == "\"LlamaForTokenClassification\" is not a llama class paramcount counts; it counts: "
                + "LlamaModel, LlamaForCausalLM, LlamaForSequenceClassification")
        // A class of another family (remote code, a copied config) is no better.
        #expect(hfFailure(#"{"model_type": "mistral", "architectures": ["LlamaForCausalLM"]}"#)?.message
                .contains("is not a mistral class") == true)
        #expect(hfFailure(#"{"model_type": "llama", "architectures": ["LlamaForCasualLM"]}"#)?.message
                .contains("(did you mean 'LlamaForCausalLM'?)") == true)
        #expect(hfFailure(#"{"model_type": "llama", "architectures": "LlamaForCausalLM"}"#)?.message
                .contains("must be a list of class names") == true)
        #expect(hfFailure(#"{"model_type": "llama", "architectures": [7]}"#)?.message.contains("must list class names") == true)
    }

    @Test func badValuesAreLocatedAndSayWhatIsAllowed() {
        func failure(_ key: String, _ value: String) -> ModelError? {
            hfFailure("{\n  \"model_type\": \"llama\",\n  \"\(key)\": \(value)\n}")
        }
        let negative = failure("num_hidden_layers", "-4")
        #expect(negative?.file == "config.json")
        #expect(negative?.line == 3)
        #expect(negative?.field == "num_hidden_layers")
        #expect(negative?.message == "must be a positive integer, got -4")
        #expect(negative?.description == "config.json:3: field 'num_hidden_layers': must be a positive integer, got -4")
        // transformers refuses a float where it types an int; so does paramcount, and says how to write it.
        #expect(failure("hidden_size", "4096.0")?.message == "must be a positive integer; `4096.0`: write 4096, without a decimal point or exponent")
        #expect(failure("hidden_size", "2.5")?.message == "must be a positive integer, got 2.5")
        #expect(failure("hidden_size", "\"4096\"")?.message == "must be a positive integer, got \"4096\"")
        #expect(failure("hidden_size", "null")?.message == "must be a positive integer, got nothing (null)")
        #expect(failure("vocab_size", "0")?.message == "must be a positive integer, got 0")
        #expect(failure("vocab_size", "99999999999999999999")?.message.contains("fits in 64 bits") == true)
        #expect(failure("tie_word_embeddings", "1")?.message == "must be true or false, got 1")
        #expect(failure("head_dim", "-1")?.field == "head_dim")
    }

    @Test func nullMeansTheDerivedValueOnlyWhereTransformersAllowsIt() throws {
        // Llama types num_key_value_heads and head_dim `int | None`: null is "as many as the heads" and
        // "hidden_size / heads".
        let llama = try hfConfig(#"{"model_type": "llama", "num_key_value_heads": null, "head_dim": null}"#)
        let plan = try HFDecoders.llama(llama)
        #expect(plan.attention.kvHeads == 32)
        #expect(plan.attention.headDim == nil)
        // Mistral and Gemma type them `int`: transformers refuses null there.
        #expect(hfFailure(#"{"model_type": "mistral", "num_key_value_heads": null}"#)?.field == "num_key_value_heads")
        #expect(hfFailure(#"{"model_type": "qwen3", "head_dim": null}"#)?.field == "head_dim")
        // Mistral reads head_dim 0 as "hidden_size / heads" (`head_dim or hidden // heads`).
        #expect(try HFDecoders.mistral(try hfConfig(#"{"model_type": "mistral", "head_dim": 0}"#)).attention.headDim == nil)
        #expect(hfFailure(#"{"model_type": "llama", "head_dim": 0}"#)?.field == "head_dim")
    }

    @Test func familyDefaultsAreTheConfigClassesNotGuesses() throws {
        // Numbers, not "same as heads": transformers' defaults for a config that leaves the key out.
        #expect(try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2", "num_attention_heads": 4}"#)).attention.kvHeads == 32)
        #expect(try HFDecoders.mistral(try hfConfig(#"{"model_type": "mistral"}"#)).attention.kvHeads == 8)
        #expect(try HFDecoders.qwen3(try hfConfig(#"{"model_type": "qwen3_moe"}"#)).attention.kvHeads == 4)
        let qwen3 = try HFDecoders.qwen3(try hfConfig(#"{"model_type": "qwen3", "hidden_size": 64, "num_attention_heads": 4}"#))
        #expect(qwen3.attention.headDim == 128)
        let qwen3moe = try HFDecoders.qwen3(try hfConfig(#"{"model_type": "qwen3_moe", "hidden_size": 64, "num_attention_heads": 4}"#))
        #expect(qwen3moe.attention.headDim == nil)
        let gemma = try HFDecoders.gemma(try hfConfig(#"{"model_type": "gemma"}"#))
        #expect(gemma.tied && gemma.attention.headDim == 256 && gemma.hidden == 3072)
        // A head_dim the config class has no field for is still read (getattr in the attention).
        #expect(try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2", "head_dim": 24}"#)).attention.headDim == 24)
        // Qwen2 ignores attention_bias: q, k, v have biases and o has none.
        let qwen2 = try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2", "attention_bias": false}"#))
        #expect(qwen2.attention.qkvBias && !qwen2.attention.outBias)
    }

    @Test func twoSpellingsOfOneSizeMustAgree() throws {
        #expect(try hfModules(#"{"model_type": "gpt2", "hidden_size": 64, "n_embd": 64, "n_head": 4}"#).first
                == .embedding("wte", vocab: 50257, dim: 64))
        let e = hfFailure(#"{"model_type": "gpt2", "n_embd": 64, "hidden_size": 96}"#)
        #expect(e?.field == "hidden_size")
        #expect(e?.message == "is 96 but n_embd is 64: both name the same size; keep one of them")
        #expect(hfFailure(#"{"model_type": "mixtral", "num_local_experts": 8, "num_experts": 4}"#)?.field == "num_experts")
    }

    @Test func impossibleShapesAreRefusedAsTransformersRefusesThem() {
        #expect(hfFailure(#"{"model_type": "llama", "hidden_size": 100, "num_attention_heads": 3, "head_dim": 32}"#)?.message
                == "3 heads do not divide hidden_size 100 (transformers' LlamaConfig refuses this, even with head_dim given)")
        #expect(hfFailure(#"{"model_type": "bert", "hidden_size": 100, "num_attention_heads": 3}"#)?.field == "num_attention_heads")
        #expect(hfFailure(#"{"model_type": "mixtral", "num_local_experts": 4, "num_experts_per_tok": 5}"#)?.message
                == "is 5, more than the 4 experts of num_local_experts: a token cannot be routed to more experts than there are")
        #expect(hfFailure(#"{"model_type": "t5", "feed_forward_proj": "swish-gelu"}"#)?.field == "feed_forward_proj")
        #expect(hfFailure(#"{"model_type": "bert", "add_cross_attention": true}"#)?.field == "add_cross_attention")
        #expect(hfFailure(#"{"model_type": "mistral", "hidden_size": 4, "num_attention_heads": 8}"#)?.message.contains("no width") == true)
    }

    @Test func moeLayoutsBecomeRunsOfLayers() throws {
        let c = try hfConfig(#"{"model_type": "qwen2_moe", "num_hidden_layers": 4, "decoder_sparse_step": 2, "mlp_only_layers": [0]}"#)
        // transformers: layer i is sparse iff i ∉ mlp_only_layers and (i + 1) % step == 0.
        #expect(try HFDecoders.qwen2(c).runs.map(\.sparse) == [false, true, false, true])
        let names = try hfModules(#"{"model_type": "qwen2_moe", "architectures": ["Qwen2MoeForCausalLM"], "num_hidden_layers": 6, "mlp_only_layers": [0, 1, 4]}"#)
            .map(\.name)
        #expect(names == ["model.embed_tokens", "model.layers.0-1", "model.layers.2-3", "model.layers.4", "model.layers.5", "model.norm", "lm_head"])
        let deepseek = try HFDecoders.deepseek(try hfConfig(#"{"model_type": "deepseek_v3"}"#))
        #expect(deepseek.runs == [HFRun(from: 0, count: 3, sparse: false), HFRun(from: 3, count: 58, sparse: true)])
        let allDense = try HFDecoders.deepseek(try hfConfig(#"{"model_type": "deepseek_v3", "num_hidden_layers": 2}"#))
        #expect(allDense.runs == [HFRun(from: 0, count: 2, sparse: false)])
        // No experts: every layer dense, whatever the step says.
        #expect(try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2_moe", "num_experts": 0, "decoder_sparse_step": 3}"#)).runs
                == [HFRun(from: 0, count: 24, sparse: false)])
    }

    @Test func aConfigClaimingATrillionLayersAnswersAtOnce() throws {
        let start = ContinuousClock.now
        let huge = try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2_moe", "num_hidden_layers": 1000000000000, "mlp_only_layers": [5]}"#))
        #expect(huge.runs.map(\.count) == [5, 1, 999_999_999_994])
        let e = hfFailure(#"{"model_type": "qwen2_moe", "num_hidden_layers": 1000000000000, "decoder_sparse_step": 2}"#)
        #expect(e?.field == "decoder_sparse_step")
        #expect(e?.message.contains("alternate 500,000,000,000 times") == true)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func layoutsAtTheEdgeOf64BitsDoNotOverflow() throws {
        // The step pattern's last sparse layer is near Int.max: the walk must stop, not wrap.
        let huge = try HFDecoders.qwen2(try hfConfig(#"{"model_type": "qwen2_moe", "num_hidden_layers": 9223372036854775807, "decoder_sparse_step": 4611686018427387904}"#))
        #expect(huge.runs.map(\.sparse) == [false, true, false])
        #expect(huge.runs.map(\.count).reduce(0, &+) == Int.max)
    }

    @Test func keyValueHeadsThatDoNotDivideTheHeadsAreWrittenAsProjections() throws {
        // Qwen2 without num_key_value_heads gets 32 of them, even with 4 heads: transformers builds
        // k_proj and v_proj 32 heads wide. The attention kind cannot say that, so the projections are
        // written one by one.
        let modules = try hfModules(#"{"model_type": "qwen2", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 1}"#)
        guard case .group(_, let body) = modules[1].kind, case .group(1, let projections) = body[1].kind else {
            Issue.record("expected a group of projections: \(modules)")
            return
        }
        #expect(body[1].name == "self_attn")
        #expect(projections == [.dense("q_proj", out: 64, bias: true), .dense("k_proj", in: 64, out: 512, bias: true),
                                .dense("v_proj", in: 64, out: 512, bias: true), .dense("o_proj", in: 64, out: 64, bias: false)])
    }

    @Test func theModelIsNamedByItsHubNameItsFolderOrItsFile() throws {
        let config = #"{"model_type": "llama", "num_hidden_layers": 1, "hidden_size": 8, "num_attention_heads": 2, "vocab_size": 10, "intermediate_size": 8}"#
        func title(_ text: String, _ reference: ModelReference) throws -> String? {
            try HuggingFace.read(ModelInput(bytes: Array(text.utf8), reference: reference), origin: "x").model.name
        }
        #expect(try title(config, .file("models/tiny-llama.json")) == "tiny-llama (LlamaModel)")
        #expect(try title(config, .file("Llama-2-7b-hf/config.json")) == "Llama-2-7b-hf (LlamaModel)")
        #expect(try title(config, .standardInput) == "llama (LlamaModel)")
        let hub = config.dropLast() + #", "_name_or_path": "meta-llama/Llama-2-7b-hf"}"#
        #expect(try title(String(hub), .file("config.json")) == "meta-llama/Llama-2-7b-hf (LlamaModel)")
        let local = config.dropLast() + #", "_name_or_path": "/home/me/checkpoints/step-1000"}"#
        #expect(try title(String(local), .file("config.json")) == "step-1000 (LlamaModel)")
    }

    @Test func moduleNamesFollowTheCountedClass() throws {
        let base = try hfModules(#"{"model_type": "llama", "num_hidden_layers": 2}"#).map(\.name)
        #expect(base == ["embed_tokens", "layers", "norm"])
        let causal = try hfModules(#"{"model_type": "llama", "architectures": ["LlamaForCausalLM"]}"#).map(\.name)
        #expect(causal == ["model.embed_tokens", "model.layers", "model.norm", "lm_head"])
        let score = try hfModules(#"{"model_type": "llama", "architectures": ["LlamaForSequenceClassification"], "id2label": {"0": "a", "1": "b", "2": "c"}}"#)
        #expect(score.last == .dense("score", out: 3, bias: false))
        let t5 = try hfModules(#"{"model_type": "t5", "architectures": ["T5EncoderModel"]}"#).map(\.name)
        #expect(t5 == ["shared", "encoder.block.0.layer.0.SelfAttention.relative_attention_bias", "encoder.block", "encoder.final_layer_norm"])
    }
}

/// Deterministic mutation fuzzing of the config reader (scripts/fuzz.sh runs libFuzzer over the same
/// seeds): a mutated config.json ends in a model that counts, prints and survives saving, or in an
/// error naming the file; never a trap, a hang or an allocation sized by a number in the file.
@Suite("Hugging Face config.json mutation fuzzing")
struct HFConfigMutationTests {
    /// Values at the edges of what a size can be, and keys whose values shape the model.
    static let tokens: [[UInt8]] = ["-1", "0", "1", "2", "3", "4.0", "1e3", "null", "true", "[]", "{}", "\"\"",
                                    "99999999999999999999", "9223372036854775807", "4611686018427387904", "1000000000000",
                                    "2147483648", "\"model_type\": \"llama\"", "\"architectures\": [\"LlamaModel\"]",
                                    "\"num_hidden_layers\": ", "\"mlp_only_layers\": [0, 1, 5, 1000000]",
                                    "\"decoder_sparse_step\": ", "\"head_dim\": ", "\"num_key_value_heads\": ", "\"\\ud800\"",
                                    ",", ":", "\"", "\u{1B}[2J", "é"].map { Array($0.utf8) }

    @Test func mutatedConfigsOpenAsModelsOrErrors() throws {
        let folder = HFCountTests.folder
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && $0 != "expected.json" && !$0.contains("DeepSeek-V3") }.sorted()
            .map { [UInt8](try! Data(contentsOf: folder.appendingPathComponent($0))) }
        var rng = SplitMix(state: 10)
        var models = 0, errors = 0
        var slowest = 0.0
        for original in seeds {
            for _ in 0..<60 {
                var input = original
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let pos = Int.random(in: 0...input.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: input.insert(contentsOf: Self.tokens.randomElement(using: &rng)!, at: pos)
                    case 1 where pos < input.count: input.removeSubrange(pos..<min(input.count, pos + Int.random(in: 1...8, using: &rng)))
                    case 2 where pos < input.count:
                        // A digit replaced: sizes change, by a little or by orders of magnitude.
                        if let d = input[pos...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                            input[d] = UInt8.random(in: 0x30...0x39, using: &rng)
                            if Bool.random(using: &rng) { input.insert(contentsOf: Array("000000".utf8), at: d) }
                        }
                    default: input = Array(input.prefix(pos))
                    }
                }
                let start = Date()
                do {
                    let loaded = try ModelFile.read(input, named: "fuzz.json")
                    let count = try Counter.count(loaded.model)
                    _ = Report(loaded, count: count, dtype: .fp32, origin: "fuzz.json").render(.table)
                    if loaded.sourceFormat == .hfConfig {
                        let copy = try ModelFile.parse(ModelWriter.json(loaded.model), format: .json, file: "copy.json")
                        #expect(try Counter.count(copy.model).total == count.total)
                    }
                    models += 1
                } catch {
                    #expect(error.file == "fuzz.json")
                    #expect(!error.description.contains("\u{1B}"), "an error message carries an escape byte: \(error.description)")
                    errors += 1
                }
                slowest = max(slowest, Date().timeIntervalSince(start))
            }
        }
        // Not a performance budget: a hang guard.
        #expect(slowest < 2, "a config took \(slowest) s")
        #expect(models > 0 && errors > 0)
    }
}
