#!/usr/bin/env python3
"""Reference numbers for the planner's tests (Tests/ParamCountCoreTests/PlanTests.swift).

  pip install torch transformers peft
  python3 scripts/reference/plan_reference.py

Generated with torch 2.15.0, transformers 5.24.0 and peft 0.21.2 (Python 3.11); the versions actually
used are printed first. Only this script needs Python: the tests hold the numbers it prints.

What it measures, with the real libraries:
- LoRA: trainable parameters after peft.get_peft_model(model, LoraConfig(r, target_modules)) for
  Llama-2-7B and Llama-3.1-8B (the config.json fixtures, built on the meta device: no weights are
  allocated), for ranks 8 and 16 and four target sets;
- optimizer states: the elements of every state tensor (0-dimensional ones such as `step` left out)
  after one step of torch.optim.AdamW, torch.optim.SGD(momentum=0.9) and transformers' Adafactor
  (its defaults) on a tiny Llama with grouped-query attention;
- KV cache: the elements of the keys and values in the DynamicCache after a forward pass of T
  tokens over B sequences of the same tiny Llama.
"""

import json
import os
import platform

import peft
import torch
import transformers
from peft import LoraConfig, get_peft_model
from transformers import AutoConfig, AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM
from transformers.optimization import Adafactor

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "ParamCountFilesTests", "Fixtures", "hf")
SKIP = ("_name_or_path", "architectures", "transformers_version", "torch_dtype")

print(f"# python {platform.python_version()}, torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")

print("## LoRA trainable parameters")
for name in ["llama-Llama-2-7b-hf.json", "llama-Meta-Llama-3.1-8B.json"]:
    with open(os.path.join(FIXTURES, name)) as f:
        config = AutoConfig.for_model(**{k: v for k, v in json.load(f).items() if k not in SKIP})
    for targets in (["q_proj", "v_proj"], ["q_proj", "k_proj", "v_proj", "o_proj"], ["gate_proj", "up_proj", "down_proj"], "all-linear"):
        for r in (8, 16):
            with torch.device("meta"):
                model = AutoModelForCausalLM.from_config(config)
            total = sum(p.numel() for p in model.parameters())
            model = get_peft_model(model, LoraConfig(r=r, target_modules=targets))
            trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
            print(f"{name} targets={targets} r={r} total={total} trainable={trainable}")

print("## tiny Llama: optimizer states and KV cache")
torch.manual_seed(0)
tiny = LlamaConfig(vocab_size=500, hidden_size=96, intermediate_size=256, num_hidden_layers=2,
                   num_attention_heads=6, num_key_value_heads=2, tie_word_embeddings=False)
model = LlamaForCausalLM(tiny)
print(f"parameters={sum(p.numel() for p in model.parameters())}")
ids = torch.randint(0, 500, (3, 10))


def states(make):
    m = LlamaForCausalLM(tiny)
    m.load_state_dict(model.state_dict())
    opt = make(m.parameters())
    m(input_ids=ids, labels=ids).loss.backward()
    opt.step()
    return sum(t.numel() for s in opt.state.values() for t in s.values() if torch.is_tensor(t) and t.dim() > 0)


print(f"adamw_state_elements={states(lambda p: torch.optim.AdamW(p, lr=1e-3))}")
print(f"sgd_momentum_state_elements={states(lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9))}")
print(f"adafactor_state_elements={states(lambda p: Adafactor(p))}")

with torch.no_grad():
    out = model(input_ids=ids, use_cache=True)
cache = out.past_key_values
elements = sum(layer.keys.numel() + layer.values.numel() for layer in cache.layers)
print(f"kv_cache T=10 B=3: elements={elements} bytes_fp32={elements * 4}")
