"""Multiply-accumulates of the token presets at a given sequence length, for ShapeReferenceTests.

Run with PyTorch 2.15 and transformers 5.24 (the versions the tests name):
    python3 scripts/reference/token_macs_reference.py
MACs are torch.utils.flop_counter.FlopCounterMode's total / 2 for one forward pass at batch 1 with
attn_implementation="eager" (the scores go through bmm). Llama-2-7B runs on the meta device: the
counter needs shapes only. BertModel's pooler reads the [CLS] token alone (the preset's `pool` with
`mode: first` before its pooler dense).
"""
import torch
import transformers
from torch.utils.flop_counter import FlopCounterMode


def macs(model, tokens):
    ids = torch.zeros(1, tokens, dtype=torch.long, device=next(model.parameters()).device)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(ids)
    return sum(p.numel() for p in model.parameters()), counter.get_total_flops() // 2


def build(cls, config, meta=False):
    config._attn_implementation = "eager"
    if meta:
        with torch.device("meta"):
            return cls(config).eval()
    return cls(config).eval()


print("torch", torch.__version__, "transformers", transformers.__version__)
print("gpt2-small @1024", macs(build(transformers.GPT2LMHeadModel, transformers.GPT2Config()), 1024))
llama2 = transformers.LlamaConfig(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
                                  num_key_value_heads=32, vocab_size=32000, max_position_embeddings=4096)
print("llama-2-7b @2048", macs(build(transformers.LlamaForCausalLM, llama2, meta=True), 2048))
print("bert-base @128", macs(build(transformers.BertModel, transformers.BertConfig()), 128))
