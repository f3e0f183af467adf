"""Parameter counts of transformers' attention, MLP and mixture-of-experts modules, for the unit
tests of paramcount's attention, mlp, moe and tied dense kinds.

Run with PyTorch 2.15 and transformers 5.24 (the versions the tests name):
    python3 scripts/reference/wave2_units.py
Each module is built on the meta device (nothing downloaded, no weights allocated); `total` is
sum(p.numel()) over its unique parameters, `active` (mixtures of experts) is the total minus the
parameters of the experts a token is not routed to, read off the module's own expert tensors.
"""
import json

import torch
import transformers
from transformers.models.deepseek_v3 import modeling_deepseek_v3 as dsv3
from transformers.models.gemma3 import modeling_gemma3 as gemma3
from transformers.models.gpt2 import modeling_gpt2 as gpt2
from transformers.models.llama import modeling_llama as llama
from transformers.models.mixtral import modeling_mixtral as mixtral
from transformers.models.olmo2 import modeling_olmo2 as olmo2
from transformers.models.qwen2 import modeling_qwen2 as qwen2
from transformers.models.qwen2_moe import modeling_qwen2_moe as qwen2_moe
from transformers.models.qwen3 import modeling_qwen3 as qwen3
from transformers.models.qwen3_moe import modeling_qwen3_moe as qwen3_moe


def total(module):
    return sum(p.numel() for p in module.parameters())


def expert_params(moe, experts):
    """Parameters of one routed expert: a ModuleList entry, or a slice of fused expert tensors."""
    e = moe.experts
    if isinstance(e, torch.nn.ModuleList):
        return total(e[0])
    return sum(p.numel() // experts for p in e.parameters())


def moe_counts(moe, experts, top_k):
    t = total(moe)
    return {"total": t, "active": t - (experts - top_k) * expert_params(moe, experts)}


out = {"torch": torch.__version__, "transformers": transformers.__version__}
with torch.device("meta"):
    # Qwen2-0.5B's attention: q, k, v with bias, o without.
    out["Qwen2Attention(896/14/2, head_dim 64)"] = total(qwen2.Qwen2Attention(
        transformers.Qwen2Config(hidden_size=896, num_attention_heads=14, num_key_value_heads=2), layer_idx=0))
    # Qwen3-8B's attention: q_norm and k_norm over head_dim.
    out["Qwen3Attention(4096/32/8, head_dim 128)"] = total(qwen3.Qwen3Attention(
        transformers.Qwen3Config(hidden_size=4096, num_attention_heads=32, num_key_value_heads=8, head_dim=128,
                                 attention_bias=False), layer_idx=0))
    # Gemma 3 4B's attention: q_norm and k_norm over head_dim, no bias.
    out["Gemma3Attention(2560/8/4, head_dim 256)"] = total(gemma3.Gemma3Attention(
        transformers.Gemma3TextConfig(hidden_size=2560, num_attention_heads=8, num_key_value_heads=4, head_dim=256,
                                      attention_bias=False), layer_idx=0))
    # OLMo-2-1B's attention: q_norm over heads·head_dim, k_norm over kv_heads·head_dim.
    out["Olmo2Attention(2048/16/16)"] = total(olmo2.Olmo2Attention(
        transformers.Olmo2Config(hidden_size=2048, num_attention_heads=16, num_key_value_heads=16), layer_idx=0))
    out["Olmo2Attention(2048/16/4)"] = total(olmo2.Olmo2Attention(
        transformers.Olmo2Config(hidden_size=2048, num_attention_heads=16, num_key_value_heads=4), layer_idx=0))
    # DeepSeek-V3's attention (MLA with q_lora_rank), and DeepSeek-V2-Lite's (no q_lora_rank), with
    # and without attention_bias.
    for bias in (False, True):
        out[f"DeepseekV3Attention(V3, bias={bias})"] = total(dsv3.DeepseekV3Attention(
            transformers.DeepseekV3Config(hidden_size=7168, num_attention_heads=128, num_key_value_heads=128,
                                          q_lora_rank=1536, kv_lora_rank=512, qk_rope_head_dim=64,
                                          qk_nope_head_dim=128, v_head_dim=128, attention_bias=bias), layer_idx=0))
        out[f"DeepseekV3Attention(V2-Lite, bias={bias})"] = total(dsv3.DeepseekV3Attention(
            transformers.DeepseekV3Config(hidden_size=2048, num_attention_heads=16, num_key_value_heads=16,
                                          q_lora_rank=None, kv_lora_rank=512, qk_rope_head_dim=64,
                                          qk_nope_head_dim=128, v_head_dim=128, attention_bias=bias), layer_idx=0))
    # MLPs: Llama-2-7B's (gated, no bias), with mlp_bias, GPT-2's (plain, bias), and a plain one
    # that narrows (out != dim).
    out["LlamaMLP(4096, 11008)"] = total(llama.LlamaMLP(transformers.LlamaConfig(hidden_size=4096, intermediate_size=11008)))
    out["LlamaMLP(4096, 11008, mlp_bias)"] = total(llama.LlamaMLP(
        transformers.LlamaConfig(hidden_size=4096, intermediate_size=11008, mlp_bias=True)))
    out["GPT2MLP(3072, n_embd 768)"] = total(gpt2.GPT2MLP(3072, transformers.GPT2Config(n_embd=768)))
    out["Sequential(Linear(512, 2048), GELU, Linear(2048, 256))"] = total(torch.nn.Sequential(
        torch.nn.Linear(512, 2048), torch.nn.GELU(), torch.nn.Linear(2048, 256)))
    # Mixtures of experts at the published models' sizes.
    out["MixtralSparseMoeBlock(Mixtral-8x7B)"] = moe_counts(mixtral.MixtralSparseMoeBlock(transformers.MixtralConfig(
        hidden_size=4096, intermediate_size=14336, num_local_experts=8, num_experts_per_tok=2)), 8, 2)
    out["Qwen2MoeSparseMoeBlock(Qwen1.5-MoE-A2.7B)"] = moe_counts(qwen2_moe.Qwen2MoeSparseMoeBlock(transformers.Qwen2MoeConfig(
        hidden_size=2048, moe_intermediate_size=1408, shared_expert_intermediate_size=5632, num_experts=60,
        num_experts_per_tok=4)), 60, 4)
    out["Qwen3MoeSparseMoeBlock(Qwen3-30B-A3B)"] = moe_counts(qwen3_moe.Qwen3MoeSparseMoeBlock(transformers.Qwen3MoeConfig(
        hidden_size=2048, moe_intermediate_size=768, num_experts=128, num_experts_per_tok=8)), 128, 8)
    out["DeepseekV3MoE(DeepSeek-V3)"] = moe_counts(dsv3.DeepseekV3MoE(transformers.DeepseekV3Config(
        hidden_size=7168, moe_intermediate_size=2048, n_routed_experts=256, num_experts_per_tok=8,
        n_shared_experts=1)), 256, 8)
    # Whole causal LMs with one decoder layer, tied and untied: total = unique parameters.
    for tied in (True, False):
        cfg = transformers.LlamaConfig(vocab_size=1000, hidden_size=64, intermediate_size=172, num_hidden_layers=1,
                                       num_attention_heads=4, num_key_value_heads=4, tie_word_embeddings=tied)
        out[f"LlamaForCausalLM(1000/64/172, 1 layer, tied={tied})"] = total(llama.LlamaForCausalLM(cfg))
    out["GPT2LMHeadModel(GPT2Config())"] = total(gpt2.GPT2LMHeadModel(transformers.GPT2Config()))

print(json.dumps(out, indent=1))
