import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

/// A listing from names and shapes alone (F32), without writing a file.
func listing(_ tensors: [(name: String, shape: [Int])]) throws -> TensorListing {
    let infos = tensors.map {
        let n = $0.shape.reduce(1, *)
        return TensorInfo(name: $0.name, shape: $0.shape, dtype: "F32", elements: n, bytes: n * 4, file: "m")
    }
    return try TensorListing.make(format: .safetensors, tensors: infos, metadata: [], summary: [], files: ["m"], file: "m")
}

/// The tensors of the published checkpoints, with the names and shapes their Hugging Face
/// state dicts use (modeling_gpt2.py, modeling_bert.py, modeling_mixtral.py).
enum Checkpoints {
    /// openai-community/gpt2: vocabulary 50,257, 1,024 positions, width 768, 12 layers. GPT-2's
    /// Conv1D stores weights as in × out.
    static var gpt2: [(name: String, shape: [Int])] {
        var t: [(String, [Int])] = [("wte.weight", [50_257, 768]), ("wpe.weight", [1_024, 768])]
        for l in 0..<12 {
            let p = "h.\(l)."
            t += [(p + "ln_1.weight", [768]), (p + "ln_1.bias", [768]),
                  (p + "attn.c_attn.weight", [768, 2_304]), (p + "attn.c_attn.bias", [2_304]),
                  (p + "attn.c_proj.weight", [768, 768]), (p + "attn.c_proj.bias", [768]),
                  (p + "ln_2.weight", [768]), (p + "ln_2.bias", [768]),
                  (p + "mlp.c_fc.weight", [768, 3_072]), (p + "mlp.c_fc.bias", [3_072]),
                  (p + "mlp.c_proj.weight", [3_072, 768]), (p + "mlp.c_proj.bias", [768])]
        }
        return t + [("ln_f.weight", [768]), ("ln_f.bias", [768])]
    }

    /// google-bert/bert-base-uncased as BertModel: vocabulary 30,522, 512 positions, 2 token types,
    /// width 768, FFN 3,072, 12 layers, with the pooler.
    static var bertBase: [(name: String, shape: [Int])] {
        var t: [(String, [Int])] = [("embeddings.word_embeddings.weight", [30_522, 768]),
                                    ("embeddings.position_embeddings.weight", [512, 768]),
                                    ("embeddings.token_type_embeddings.weight", [2, 768]),
                                    ("embeddings.LayerNorm.weight", [768]), ("embeddings.LayerNorm.bias", [768])]
        for l in 0..<12 {
            let p = "encoder.layer.\(l)."
            for m in ["query", "key", "value"] {
                t += [(p + "attention.self.\(m).weight", [768, 768]), (p + "attention.self.\(m).bias", [768])]
            }
            t += [(p + "attention.output.dense.weight", [768, 768]), (p + "attention.output.dense.bias", [768]),
                  (p + "attention.output.LayerNorm.weight", [768]), (p + "attention.output.LayerNorm.bias", [768]),
                  (p + "intermediate.dense.weight", [3_072, 768]), (p + "intermediate.dense.bias", [3_072]),
                  (p + "output.dense.weight", [768, 3_072]), (p + "output.dense.bias", [768]),
                  (p + "output.LayerNorm.weight", [768]), (p + "output.LayerNorm.bias", [768])]
        }
        return t + [("pooler.dense.weight", [768, 768]), ("pooler.dense.bias", [768])]
    }

    /// mistralai/Mixtral-8x7B-v0.1: vocabulary 32,000, width 4,096, 32 layers, 32 heads with 8 KV
    /// heads of 128, 8 experts of FFN 14,336.
    static var mixtral: [(name: String, shape: [Int])] {
        var t: [(String, [Int])] = [("model.embed_tokens.weight", [32_000, 4_096])]
        for l in 0..<32 {
            let p = "model.layers.\(l)."
            t += [(p + "self_attn.q_proj.weight", [4_096, 4_096]), (p + "self_attn.k_proj.weight", [1_024, 4_096]),
                  (p + "self_attn.v_proj.weight", [1_024, 4_096]), (p + "self_attn.o_proj.weight", [4_096, 4_096]),
                  (p + "block_sparse_moe.gate.weight", [8, 4_096])]
            for e in 0..<8 {
                let x = p + "block_sparse_moe.experts.\(e)."
                t += [(x + "w1.weight", [14_336, 4_096]), (x + "w2.weight", [4_096, 14_336]), (x + "w3.weight", [14_336, 4_096])]
            }
            t += [(p + "input_layernorm.weight", [4_096]), (p + "post_attention_layernorm.weight", [4_096])]
        }
        return t + [("model.norm.weight", [4_096]), ("lm_head.weight", [32_000, 4_096])]
    }
}

@Suite("module tree")
struct ModuleTreeTests {
    @Test func llamaGroupsByModulePath() throws {
        let l = try listing(Llama2_7B.tensors(invFreq: true))
        let root = ModuleTree.build(l)
        #expect(root.total == 6_738_417_664)
        #expect(root.children.map(\.name) == ["model", "lm_head"])
        let model = try #require(root.node(at: "model"))
        #expect(model.children.map(\.name) == ["embed_tokens", "layers", "norm"])
        let layers = try #require(root.node(at: "model.layers"))
        #expect(layers.children.map(\.name) == (0..<32).map(String.init))
        #expect(layers.children.map(\.path).last == "model.layers.31")
        let layer = try #require(root.node(at: "model.layers.0"))
        #expect(layer.children.map(\.name) == ["self_attn", "mlp", "input_layernorm", "post_attention_layernorm"])
        #expect(layer.total == 202_383_360 + 64)
        let attention = try #require(root.node(at: "model.layers.0.self_attn"))
        #expect(attention.children.map(\.name) == ["q_proj", "k_proj", "v_proj", "o_proj", "rotary_emb"])
        let q = try #require(root.node(at: "model.layers.0.self_attn.q_proj"))
        #expect(q.tensors.map(ModuleNode.localName) == ["weight"])
        #expect(q.tensors.first?.shape == [4_096, 4_096] && q.total == 16_777_216 && q.children.isEmpty)
        #expect(root.node(at: "model.layers.32") == nil)
        #expect(root.node(at: "") == root)
    }

    @Test func weightsAndBiasesShareTheirModule() throws {
        let root = ModuleTree.build(try listing(Checkpoints.gpt2))
        let cAttn = try #require(root.node(at: "h.0.attn.c_attn"))
        #expect(cAttn.tensors.map(ModuleNode.localName) == ["weight", "bias"])
        #expect(cAttn.total == 768 * 2_304 + 2_304)
        // Top-level tensors hang on modules named by their first segment.
        #expect(root.children.map(\.name).prefix(3) == ["wte", "wpe", "h"])
        #expect(root.children.last?.name == "ln_f")
    }

    /// Name-sorted headers put layer 10 before layer 2; the tree puts numbers in numeric order.
    @Test func numberedChildrenAreInNumericOrder() throws {
        let names = ["layers.10.w", "layers.2.w", "layers.1.w", "layers.0.w", "head.w"]
        let root = ModuleTree.build(try listing(names.map { ($0, [1]) }))
        #expect(root.node(at: "layers")?.children.map(\.name) == ["0", "1", "2", "10"])
        #expect(root.children.map(\.name) == ["layers", "head"])
    }

    @Test func oddNamesStillFormATree() throws {
        let root = ModuleTree.build(try listing([("weight", [2]), ("a..b", [3]), (".x", [4]), ("a.", [5])]))
        #expect(root.tensors.map(\.name) == ["weight"])
        #expect(root.total == 14)
        #expect(root.node(at: "a")?.total == 8)
    }

    @Test func everyTensorIsInTheTreeOnce() throws {
        let l = try listing(Checkpoints.mixtral)
        func count(_ n: ModuleNode) -> Int { n.tensors.count + n.children.map(count).reduce(0, +) }
        func sums(_ n: ModuleNode) -> Bool {
            n.total == n.tensors.map(\.elements).reduce(0, +) + n.children.map(\.total).reduce(0, +) && n.children.allSatisfy(sums)
        }
        let root = ModuleTree.build(l)
        #expect(count(root) == l.tensors.count)
        #expect(sums(root))
    }
}

@Suite("tensor kinds by name")
struct TensorClassifierTests {
    func kinds(_ names: [String]) -> [Category] { names.map(TensorClassifier.category(of:)) }

    @Test func llama() {
        #expect(kinds(["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.o_proj.weight",
                       "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.down_proj.weight",
                       "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
                       "model.norm.weight", "lm_head.weight", "model.layers.0.self_attn.rotary_emb.inv_freq"])
                == [.embedding, .attention, .attention, .ffn, .ffn, .norm, .norm, .norm, .ffn, .other])
    }

    @Test func gpt2() {
        #expect(kinds(["wte.weight", "wpe.weight", "h.0.ln_1.weight", "h.0.attn.c_attn.weight", "h.0.attn.c_proj.bias",
                       "h.0.ln_2.bias", "h.0.mlp.c_fc.weight", "h.0.mlp.c_proj.weight", "ln_f.weight", "h.0.attn.bias",
                       "h.0.attn.masked_bias"])
                == [.embedding, .embedding, .norm, .attention, .attention, .norm, .ffn, .ffn, .norm, .other, .other])
    }

    @Test func bert() {
        #expect(kinds(["bert.embeddings.word_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
                       "bert.embeddings.LayerNorm.gamma", "bert.encoder.layer.0.attention.self.query.weight",
                       "bert.encoder.layer.0.attention.output.dense.weight", "bert.encoder.layer.0.attention.output.LayerNorm.weight",
                       "bert.encoder.layer.0.intermediate.dense.weight", "bert.encoder.layer.0.output.dense.weight",
                       "bert.encoder.layer.0.output.LayerNorm.bias", "bert.pooler.dense.weight", "cls.predictions.transform.dense.weight",
                       "cls.predictions.transform.LayerNorm.weight"])
                == [.embedding, .embedding, .norm, .attention, .attention, .norm, .ffn, .ffn, .norm, .ffn, .ffn, .norm])
    }

    @Test func mixtral() {
        #expect(kinds(["model.layers.0.block_sparse_moe.gate.weight", "model.layers.0.block_sparse_moe.experts.7.w1.weight",
                       "model.layers.0.block_sparse_moe.experts.0.w2.weight", "model.layers.0.self_attn.k_proj.weight"])
                == [.ffn, .ffn, .ffn, .attention])
    }

    @Test func otherFamiliesAndGGUF() {
        #expect(kinds(["shared.weight", "encoder.block.0.layer.0.SelfAttention.q.weight", "encoder.block.0.layer.0.SelfAttention.o.weight",
                       "encoder.block.0.layer.1.DenseReluDense.wi_0.weight", "encoder.block.0.layer.1.DenseReluDense.wo.weight",
                       "encoder.block.0.layer.0.layer_norm.weight", "encoder.final_layer_norm.weight"])
                == [.embedding, .attention, .attention, .ffn, .ffn, .norm, .norm])
        #expect(kinds(["transformer.word_embeddings.weight", "transformer.h.0.self_attention.query_key_value.weight",
                       "transformer.h.0.mlp.dense_h_to_4h.weight", "gpt_neox.embed_in.weight", "embed_out.weight",
                       "gpt_neox.layers.0.attention.dense.weight", "model.layers.0.mlp.shared_expert_gate.weight",
                       "model.layers.0.self_attn.kv_a_proj_with_mqa.weight", "model.layers.0.mlp.gate.e_score_correction_bias"])
                == [.embedding, .attention, .ffn, .embedding, .ffn, .attention, .ffn, .attention, .ffn])
        #expect(kinds(["token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_output.weight", "blk.0.attn_norm.weight",
                       "blk.0.ffn_gate_exps.weight", "blk.0.ffn_gate_inp.weight", "blk.0.ffn_norm.weight", "output_norm.weight",
                       "output.weight", "rope_freqs.weight", "blk.0.attn_k_norm.weight"])
                == [.embedding, .attention, .attention, .norm, .ffn, .ffn, .norm, .norm, .ffn, .other, .norm])
    }

    /// Published totals split by kind: GPT-2 124,439,808 (openai-community/gpt2), BERT-base
    /// BertModel 109,482,240 (google-bert/bert-base-uncased), Mixtral-8x7B 46,702,792,704
    /// (mistralai/Mixtral-8x7B-v0.1, "46.7B"; the count transformers gives for its config). The
    /// parts are the module sizes of each model's definition, summed by kind; dense layers (an untied LM
    /// head, BERT's pooler) count as FFN/dense, as paramcount's `dense` kind does.
    @Test func byKindTotals() throws {
        let gpt2 = try listing(Checkpoints.gpt2)
        #expect(gpt2.totalElements == 124_439_808)
        #expect(gpt2.elementsByCategory == [.embedding: (50_257 + 1_024) * 768, .norm: 25 * 2 * 768,
                                            .attention: 12 * (768 * 2_304 + 2_304 + 768 * 768 + 768),
                                            .ffn: 12 * (2 * 768 * 3_072 + 3_072 + 768)])

        let bert = try listing(Checkpoints.bertBase)
        #expect(bert.totalElements == 109_482_240)
        #expect(bert.elementsByCategory == [.embedding: (30_522 + 512 + 2) * 768, .norm: 25 * 2 * 768,
                                            .attention: 12 * 4 * (768 * 768 + 768),
                                            .ffn: 12 * (2 * 768 * 3_072 + 3_072 + 768) + 768 * 768 + 768])

        let mixtral = try listing(Checkpoints.mixtral)
        #expect(mixtral.totalElements == 46_702_792_704)
        #expect(mixtral.elementsByCategory == [.embedding: 32_000 * 4_096, .norm: 65 * 4_096,
                                               .attention: 32 * (2 * 4_096 * 4_096 + 2 * 1_024 * 4_096),
                                               .ffn: 32 * (8 * 3 * 14_336 * 4_096 + 8 * 4_096) + 32_000 * 4_096])
    }
}
