import ParamCountApp
import ParamCountCore

/// Llama-3.1-8B as transformers' LlamaForCausalLM builds it (8,030,261,248 parameters), written
/// flat: each decoder layer's gated MLP is three dense layers with their widths given.
public func llama31Model() -> Model {
    var layers = [Layer(.embedding, name: "embed_tokens", [(.vocab, .int(128_256)), (.dim, .int(4096))])]
    for i in 0..<32 {
        layers += [
            Layer(.rmsnorm, name: "layers.\(i).input_layernorm"),
            Layer(.attention, name: "layers.\(i).self_attn", [(.heads, .int(32)), (.kvHeads, .int(8)), (.bias, .bool(false))]),
            Layer(.rmsnorm, name: "layers.\(i).post_attention_layernorm"),
            Layer(.dense, name: "layers.\(i).mlp.gate_proj", [(.in, .int(4096)), (.out, .int(14_336)), (.bias, .bool(false))]),
            Layer(.dense, name: "layers.\(i).mlp.up_proj", [(.in, .int(4096)), (.out, .int(14_336)), (.bias, .bool(false))]),
            Layer(.dense, name: "layers.\(i).mlp.down_proj", [(.in, .int(14_336)), (.out, .int(4096)), (.bias, .bool(false))]),
        ]
    }
    layers += [Layer(.rmsnorm, name: "norm"), Layer(.dense, name: "lm_head", [(.out, .int(128_256)), (.bias, .bool(false))])]
    return Model(name: "Llama-3.1-8B", convention: .pytorch, layers: layers)
}

/// The editor on Llama-3.1-8B, as a user who opened the file sees it.
public func llamaState(width: Int = 80, height: Int = 24) -> AppState {
    AppState(document: try! Document(model: llama31Model(), path: nil, origin: "llama-3.1-8b.yaml"), width: width, height: height)
}
