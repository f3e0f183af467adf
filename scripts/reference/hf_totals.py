#!/usr/bin/env python3
"""Expected parameter counts for the Hugging Face config.json fixtures.

Builds every Tests/ParamCountFilesTests/Fixtures/hf/*.json with transformers on the meta device (no
weights are allocated) and writes Tests/ParamCountFilesTests/Fixtures/hf/expected.json.

  pip install torch transformers safetensors
  python3 scripts/reference/hf_totals.py

Generated with torch 2.15.0 and transformers 5.24.0 (Python 3.11); the versions actually used are
written into expected.json. Only this script needs Python: `swift test` reads the JSON it writes.

What is counted, per file:
- the class named in architectures[0], or the family's base model (AutoModel) when the key is absent;
- total = sum(p.numel() for p in model.parameters()): a tied weight is one Parameter object, so it is
  counted once, as PyTorch does;
- modules: the total per module path, where everything inside an nn.ModuleList is summed under the
  list's path (model.layers) and any other parameter under the path of the module that owns it
  (model.embed_tokens, cls.predictions.transform.dense, cls.predictions for the bare bias);
- lists: for every top-level nn.ModuleList, the count of each entry, written as runs of equal entries,
  with the shape of every tensor of the run's first entry; other_tensors: the shapes of the rest;
- checkpoint_total (T5 configs with tie_word_embeddings false): total plus the lm_head tensor their
  checkpoints hold, which transformers 5 ties anyway;
- active (MoE models): every parameter except the routed experts, plus top_k of them;
- tied: the parameter names that share one tensor; buffers: persistent buffers (they are saved in
  checkpoints but are not parameters).
"""

import json
import os
import platform
import sys
from collections import OrderedDict, defaultdict

import torch
import transformers
from transformers import AutoModel
from transformers.models.auto.configuration_auto import CONFIG_MAPPING

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "ParamCountFilesTests", "Fixtures", "hf")

# Totals published by the model authors (or the issue that asked for them). The script stops when a
# fixture disagrees: then the fixture is wrong, not the published figure.
PUBLISHED = {
    "llama-Llama-2-7b-hf.json": {"total": 6_738_415_616, "source": "Llama 2 (Meta); issues 9 and 10"},
    "llama-Meta-Llama-3.1-8B.json": {"total": 8_030_261_248, "source": "Llama 3.1 8B; issues 9 and 10"},
    "mistral-Mistral-7B-v0.1.json": {"total": 7_241_732_096, "source": "Mistral-7B-v0.1; issues 9 and 10"},
    "mixtral-Mixtral-8x7B-v0.1.json": {"total": 46_702_792_704, "active": 12_879_925_248,
                                       "source": "Mistral's announcement (46.7B / 12.9B); issue 9"},
    "qwen3_moe-Qwen3-30B-A3B.json": {"total": 30_532_122_624, "source": "Qwen3-30B-A3B; issue 9"},
    "bert-bert-base-uncased.json": {"total": 109_514_298, "source": "BertForMaskedLM, issue 10"},
    "bert-base-uncased-no-architectures.json": {"total": 109_482_240, "source": "BertModel, issue 10"},
    "gpt2-gpt2.json": {"total": 124_439_808, "source": "GPT-2 small; issues 9 and 10"},
    "gpt_neox-pythia-160m.json": {"total": 162_322_944, "source": "Pythia paper, table of model sizes"},
    "gemma-gemma-7b.json": {"total": 8_537_680_896,
                            "source": "Gemma report: 786,432,000 embedding + 7,751,248,896 non-embedding"},
    "gemma-gemma-2b.json": {"total": 2_506_172_416,
                            "source": "Gemma report: 524,288,000 embedding + 1,981,884,416 non-embedding"},
    "gemma2-gemma-2-9b.json": {"total": 9_241_705_984,
                               "source": "Gemma 2 report: 917,504,000 embedding + 8,324,201,984 non-embedding"},
}

# What a reader of the fixture should know beyond the numbers.
NOTES = {
    "t5-flan-t5-base.json": (
        "The config says tie_word_embeddings: false and the published checkpoint holds its own lm_head "
        "(32128 x 768 = 24,674,304 more, 247,577,856 in the file). transformers 5's T5Config forces "
        "tie_word_embeddings = True (it only keeps the false as scale_decoder_outputs), so the module "
        "built here ties lm_head to shared and total is what the module holds."),
    "t5-t5-small.json": (
        "Original T5: tied lm_head, relu FF (wi, wo); relative_attention_bias only in block 0 of each stack."),
    "t5-t5-v1_1-small.json": (
        "T5 v1.1: gated-gelu FF (wi_0, wi_1, wo), tie_word_embeddings false in the config, a separate lm_head "
        "in the checkpoint (32128 x 512 = 16,449,536 more). transformers 5 ties it anyway; total is the module."),
    "deepseek_v3-DeepSeek-V3.json": (
        "transformers builds the 61 main layers only. The published checkpoint also holds the multi-token "
        "prediction layer model.layers.61 (num_nextn_predict_layers: 1), FP8 scale tensors "
        "(*.weight_scale_inv) and the routers' e_score_correction_bias buffers; none of them is a parameter "
        "of this module. The router weight is float32 in the module."),
    "gpt2-gpt2.json": (
        "The published gpt2 checkpoint names tensors without the transformer. prefix (h.0.attn.c_attn.weight) "
        "and has no lm_head (tied). Conv1D stores weight as (in, out)."),
    "gpt_neox-pythia-160m.json": (
        "The checkpoint names the head embed_out; transformers 5 renames it to lm_head on load."),
    "mixtral-Mixtral-8x7B-v0.1.json": (
        "transformers 5 fuses the experts: mlp.experts.gate_up_proj (E, 2F, D) and mlp.experts.down_proj (E, D, F). "
        "The checkpoint holds block_sparse_moe.experts.{j}.w1/w2/w3 and block_sparse_moe.gate."),
    "qwen2_moe-Qwen1.5-MoE-A2.7B.json": (
        "Experts fused in transformers 5 (mlp.experts.gate_up_proj, mlp.experts.down_proj); the checkpoint "
        "holds mlp.experts.{j}.gate_proj/up_proj/down_proj."),
    "qwen3_moe-Qwen3-30B-A3B.json": (
        "Experts fused in transformers 5; the checkpoint holds mlp.experts.{j}.gate_proj/up_proj/down_proj. "
        "head_dim 128 comes from config.json: Qwen3MoeConfig has no head_dim field, and the attention falls back "
        "to hidden_size / num_attention_heads = 64 when the key is missing."),
    "t5-tiny-is-gated-act-wins.json": (
        "T5Config derives is_gated_act from feed_forward_proj, then sets the keys it does not know from the "
        "file, so an is_gated_act in config.json wins: relu here, but the blocks get wi_0, wi_1 and wo."),
    "bert-tied-off.json": (
        "With tie_word_embeddings false nothing is tied, including cls.predictions.decoder.bias and "
        "cls.predictions.bias: both are counted (vocab_size twice) besides an untied decoder weight."),
    "qwen2-attention-bias-key-ignored.json": (
        "Qwen2Attention hard-codes bias=True on q/k/v and False on o: attention_bias in the config changes nothing."),
    "opt-opt-350m.json": (
        "word_embed_proj_dim 512 != hidden 1024: project_in and project_out exist; do_layer_norm_before false: "
        "no final_layer_norm. Positions table is max_position_embeddings + 2 rows."),
    "falcon-tiny-kv-not-dividing.json": (
        "3 key/value heads and 4 query heads: transformers builds the fused query_key_value of "
        "(heads + 2 * num_kv_heads) * head_dim outputs without checking that they divide."),
    "falcon-falcon-40b.json": (
        "new_decoder_architecture: fused qkv of (num_kv_heads * 2 + heads) * head_dim, and two layer norms "
        "(ln_attn, ln_mlp) because num_ln_in_parallel_attn defaults to 2 for it."),
}


def load_config(path):
    with open(path) as f:
        data = json.load(f)
    model_type = data.get("model_type")
    if model_type not in CONFIG_MAPPING:
        raise SystemExit(f"{path}: unknown model_type {model_type!r}")
    config_class = CONFIG_MAPPING[model_type]
    return data, config_class.from_dict(dict(data))


def build(data, config):
    archs = data.get("architectures") or []
    with torch.device("meta"):
        if archs:
            cls = getattr(transformers, archs[0])
            model = cls._from_config(config)
        else:
            model = AutoModel.from_config(config)
    return model


def owner_path(name):
    return name.rsplit(".", 1)[0] if "." in name else ""


def module_breakdown(model):
    list_paths = {n for n, m in model.named_modules() if isinstance(m, torch.nn.ModuleList)}
    totals = OrderedDict()
    for name, p in model.named_parameters():  # one name per tensor: tied copies are skipped
        parts = name.split(".")
        key = None
        for i in range(1, len(parts)):
            if ".".join(parts[:i]) in list_paths:
                key = ".".join(parts[:i])
                break
        if key is None:
            key = owner_path(name) or name
        totals[key] = totals.get(key, 0) + p.numel()
    return totals


def top_level_lists(model):
    """ModuleLists that are not inside another ModuleList (model.layers, not model.layers.0.experts)."""
    lists = [(n, m) for n, m in model.named_modules() if isinstance(m, torch.nn.ModuleList) and len(m) > 0]
    names = [n for n, _ in lists]
    return [(n, m) for n, m in lists if not any(n.startswith(o + ".") for o in names if o != n)]


def shapes(module, prefix=""):
    return OrderedDict((prefix + n, list(p.shape)) for n, p in module.named_parameters())


def list_runs(model):
    out = OrderedDict()
    for path, m in top_level_lists(model):
        counts = [sum(p.numel() for p in child.parameters()) for child in m]
        runs = []
        start = 0
        for i in range(1, len(counts) + 1):
            if i == len(counts) or counts[i] != counts[start]:
                runs.append({"from": start, "to": i - 1, "params": counts[start],
                             "tensors": shapes(m[start])})
                start = i
        out[path] = {"length": len(m), "total": sum(counts), "runs": runs}
    return out


def other_tensors(model):
    """Shapes of every parameter outside the top-level lists, under its full name."""
    inside = [n + "." for n, _ in top_level_lists(model)]
    return OrderedDict((n, list(p.shape)) for n, p in model.named_parameters()
                       if not any(n.startswith(i) for i in inside))


def tied_groups(model):
    by_tensor = defaultdict(list)
    for name, p in model.named_parameters(remove_duplicate=False):
        by_tensor[id(p)].append(name)
    return [names for names in by_tensor.values() if len(names) > 1]


def persistent_buffers(model):
    out = OrderedDict()
    for mod_name, mod in model.named_modules():
        for b_name, b in mod.named_buffers(recurse=False):
            if b is None or b_name in mod._non_persistent_buffers_set:
                continue
            full = f"{mod_name}.{b_name}" if mod_name else b_name
            out[full] = b.numel()
    return out


def active_params(model, config, total):
    """Total minus the routed experts that a token does not use."""
    top_k = getattr(config, "num_experts_per_tok", None)
    inactive = 0
    found = False
    for _, m in model.named_modules():
        if type(m).__name__.endswith("Experts") and hasattr(m, "gate_up_proj"):
            found = True
            experts = m.gate_up_proj.shape[0]
            params = sum(p.numel() for p in m.parameters(recurse=False))
            assert params % experts == 0
            inactive += params // experts * (experts - top_k)
    return total - inactive if found else None


def main():
    files = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".json") and f != "expected.json")
    result = OrderedDict()
    failures = []
    for fname in files:
        data, config = load_config(os.path.join(FIXTURES, fname))
        model = build(data, config)
        total = sum(p.numel() for p in model.parameters())
        entry = OrderedDict()
        entry["class"] = type(model).__name__
        entry["class_source"] = "architectures[0]" if data.get("architectures") else "AutoModel (no architectures)"
        entry["total"] = total
        # transformers 5 ties T5's lm_head to `shared` whatever the config says; checkpoints of configs
        # that say tie_word_embeddings: false (T5 v1.1, Flan-T5) hold their own lm_head. Both figures
        # are kept: total is the module, checkpoint_total adds the lm_head tensor the file holds.
        if data.get("model_type") == "t5" and data.get("tie_word_embeddings") is False and hasattr(model, "lm_head"):
            entry["checkpoint_total"] = total + model.lm_head.weight.numel()
        active = active_params(model, config, total)
        if active is not None:
            entry["active"] = active
        entry["modules"] = module_breakdown(model)
        entry["lists"] = list_runs(model)
        entry["other_tensors"] = other_tensors(model)
        entry["tied"] = tied_groups(model)
        entry["tie_word_embeddings"] = bool(getattr(config, "tie_word_embeddings", False))
        bufs = persistent_buffers(model)
        if bufs:
            entry["persistent_buffers"] = {"count": len(bufs), "elements": sum(bufs.values()),
                                           "example": next(iter(bufs))}
        if fname in PUBLISHED:
            pub = PUBLISHED[fname]
            entry["published"] = pub
            if pub["total"] != total:
                failures.append(f"{fname}: total {total:,} != published {pub['total']:,}")
            if "active" in pub and pub["active"] != active:
                failures.append(f"{fname}: active {active:,} != published {pub['active']:,}")
        if fname in NOTES:
            entry["note"] = NOTES[fname]
        result[fname] = entry
        print(f"{fname:48s} {entry['class']:34s} {total:>18,}" + (f"  active {active:,}" if active else ""))
        del model
    doc = OrderedDict()
    doc["generated_by"] = "scripts/reference/hf_totals.py"
    doc["versions"] = {"python": platform.python_version(), "torch": torch.__version__,
                       "transformers": transformers.__version__}
    doc["counting"] = ("model built on the meta device from the config; total = sum(p.numel() for p in "
                       "model.parameters()), tied weights once")
    doc["files"] = result
    with open(os.path.join(FIXTURES, "expected.json"), "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
