#!/usr/bin/env python3
"""Expected output shapes and multiply-accumulates (MACs) for model files with a model-level `input`.

Every case is a paramcount model file in Tests/ParamCountFilesTests/Fixtures/shapes/ and a PyTorch
module built from it, layer by layer, out of the frameworks' own modules (torch.nn, torchvision,
transformers). The script runs each module once and writes expected.json next to the files.

  pip install torch==2.15.0 torchvision==0.29.2 transformers==5.24.0 pyyaml
  python3 scripts/reference/shapes_reference.py

Generated with torch 2.15.0, torchvision 0.29.2 and transformers 5.24.0 (Python 3.11); the versions
actually used are written into expected.json. Only this script needs Python: `swift test` reads what
it writes. Nothing is downloaded (random initialisation).

Definitions:
  total         sum(p.numel() for p in module.parameters()) (a tied head's weight is the embedding's,
                counted once).
  macs          torch.utils.flop_counter.FlopCounterMode's total / 2 for ONE forward pass of a batch of
                1, module.eval(), torch.no_grad(), oneDNN off (torch.backends.mkldnn.flags(enabled=False),
                without which the CPU LSTM kernel is invisible to FlopCounterMode).
  output_shape  the output's shape without the batch dimension.
  layers        one entry per TOP-LEVEL layer of the file: the module built for that layer is a child of
                one nn.Sequential, its MACs are FlopCounterMode's per-module count for that child
                (get_flop_counts() keyed by the child's name) and its shape comes from a forward hook.
                A group or parallel holds everything inside it, all repetitions.

The layers of a file are turned into modules by `build` below, one paramcount kind at a time (conv ->
torch.nn.ConvNd / ConvTransposeNd, pool -> torch.nn.Max/AvgPoolNd or AdaptiveMax/AvgPoolNd, attention
-> transformers' LlamaAttention with attn_implementation="eager", ...). The five presets are measured on
torchvision's own models (their modules regrouped into one child per top-level layer, checked to give
the same output and the same MACs as torchvision's forward), and the module built from the preset's file
is checked to agree with them layer by layer, so the files are known to mirror torchvision.
Activations and dropout are not written in the files: FlopCounterMode counts them as 0.
"""

import copy
import json
import os
import platform
import sys

import torch
import torchvision
import transformers
import yaml
from torch import nn
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode
from transformers.models.deepseek_v3 import modeling_deepseek_v3
from transformers.models.llama import modeling_llama
from transformers.models.mixtral import modeling_mixtral
from transformers.models.qwen2 import modeling_qwen2
from transformers.models.qwen2_moe import modeling_qwen2_moe
from transformers.models.qwen3 import modeling_qwen3

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "ParamCountFilesTests", "Fixtures", "shapes")

EXPECTED_VERSIONS = {"torch": "2.15.0", "torchvision": "0.29.2", "transformers": "5.24.0"}


# ---------------------------------------------------------------------------------------------------
# Modules that paramcount's kinds stand for, where torch.nn has no single module with the same input
# and output.

class Parallel(nn.Module):
    """paramcount's `parallel`: every branch reads the same input; `add` sums, `concat` joins channels
    (dim 1 of a spatial tensor) or the last dimension (token tensors)."""

    def __init__(self, branches, merge, dim):
        super().__init__()
        self.branches = nn.ModuleList(branches)
        self.merge, self.dim = merge, dim

    def forward(self, x):
        outs = [b(x) for b in self.branches]
        if self.merge == "add":
            y = outs[0]
            for o in outs[1:]:
                y = y + o
            return y
        return torch.cat(outs, dim=self.dim)


class TiedHead(nn.Module):
    """A dense layer whose weight is an embedding's (GPT-2's lm_head): no parameter of its own, but
    its matmul runs. The embedding is held outside the module tree so it is counted once."""

    def __init__(self, embedding, bias):
        super().__init__()
        self._embedding = [embedding]
        self.bias = nn.Parameter(torch.zeros(embedding.num_embeddings)) if bias else None

    def forward(self, x):
        return F.linear(x, self._embedding[0].weight, self.bias)


class Recurrent(nn.Module):
    """torch.nn.RNN/GRU/LSTM (batch_first) giving its output sequence, not the final states."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


class SequenceFirst(nn.Module):
    """torch.nn.TransformerEncoder/Decoder as paramcount means them (batch_first=False, the default,
    which also keeps FlopCounterMode out of the fused fast path), fed and read batch-first. A decoder
    takes its own input as the memory it cross-attends to (S = T)."""

    def __init__(self, stack, decoder):
        super().__init__()
        self.stack, self.decoder = stack, decoder

    def forward(self, x):
        x = x.transpose(0, 1)
        y = self.stack(x, x) if self.decoder else self.stack(x)
        return y.transpose(0, 1)


class HFAttention(nn.Module):
    """A transformers attention module with its rotary embedding, run without a mask (eager scores
    cover the full T x T whether or not a causal mask is added, so the MACs are the same)."""

    def __init__(self, attention, rotary):
        super().__init__()
        self.attention, self.rotary = attention, rotary

    def forward(self, x):
        positions = torch.arange(x.shape[1]).unsqueeze(0)
        cos, sin = self.rotary(x, positions)
        return self.attention(x, position_embeddings=(cos, sin), attention_mask=None)[0]


def eager(config):
    config._attn_implementation = "eager"
    config._experts_implementation = "eager"
    return config


# ---------------------------------------------------------------------------------------------------
# From a paramcount layer list to modules.

def tup(v):
    return tuple(v) if isinstance(v, list) else v


class Builder:
    def __init__(self, token):
        self.token = token          # input [T]: token ids
        self.embeddings = []        # for tied heads

    def sequence(self, layers, x):
        mods, srcs = [], []
        for layer in layers:
            m, s, x = self.layer(layer, x)
            mods.append(m)
            srcs.append(s)
        return mods, srcs, x

    def layer(self, layer, x):
        layer = dict(layer)
        kind = layer.pop("kind")
        layer.pop("name", None)
        m, src = getattr(self, "k_" + kind)(layer, x)
        if layer:
            raise SystemExit(f"kind {kind}: fields not mirrored by the builder: {sorted(layer)}")
        m.eval()
        with torch.no_grad():
            y = m(x)
        return m, src, y

    # Spatial kinds. x is [1, C, *spatial].
    def k_conv(self, f, x):
        spatial = x.dim() - 2
        cin = f.pop("in", x.shape[1])
        if cin == "auto":
            cin = x.shape[1]
        out, kernel = f.pop("out"), tup(f.pop("kernel"))
        dims = f.pop("dims", len(kernel) if isinstance(kernel, tuple) else 2)
        assert dims == spatial, f"conv dims {dims} but the input has {spatial} spatial dimensions"
        stride, padding, dilation = tup(f.pop("stride", 1)), tup(f.pop("padding", 0)), tup(f.pop("dilation", 1))
        groups, bias, transposed = f.pop("groups", 1), f.pop("bias", True), f.pop("transposed", False)
        if transposed:
            op = tup(f.pop("output_padding", 0))
            cls = [nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d][dims - 1]
            m = cls(cin, out, kernel, stride=stride, padding=padding, output_padding=op, groups=groups,
                    bias=bias, dilation=dilation)
            src = (f"torch.nn.{cls.__name__}({cin}, {out}, {kernel}, stride={stride}, padding={padding}, "
                   f"output_padding={op}, groups={groups}, bias={bias}, dilation={dilation})")
        else:
            cls = [nn.Conv1d, nn.Conv2d, nn.Conv3d][dims - 1]
            m = cls(cin, out, kernel, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=bias)
            src = (f"torch.nn.{cls.__name__}({cin}, {out}, {kernel}, stride={stride}, padding={padding!r}, "
                   f"dilation={dilation}, groups={groups}, bias={bias})")
        return m, src

    def k_pool(self, f, x):
        spatial = x.dim() - 2
        mode = f.pop("mode")
        if "output" in f:
            output = tup(f.pop("output"))
            name = f"Adaptive{'Max' if mode == 'max' else 'Avg'}Pool{spatial}d"
            return getattr(nn, name)(output), f"torch.nn.{name}({output})"
        kernel = tup(f.pop("kernel"))
        stride, padding = tup(f.pop("stride", kernel)), tup(f.pop("padding", 0))
        name = f"{'Max' if mode == 'max' else 'Avg'}Pool{spatial}d"
        return (getattr(nn, name)(kernel, stride=stride, padding=padding),
                f"torch.nn.{name}({kernel}, stride={stride}, padding={padding})")

    def k_flatten(self, f, x):
        return nn.Flatten(), "torch.nn.Flatten()"

    def k_batchnorm(self, f, x):
        c = f.pop("features", x.shape[1])
        name = f"BatchNorm{max(1, x.dim() - 2)}d"
        return getattr(nn, name)(c), f"torch.nn.{name}({c})"

    # Kinds on the last dimension.
    def k_dense(self, f, x):
        cin = f.pop("in", x.shape[-1])
        out, bias, tied = f.pop("out"), f.pop("bias", True), f.pop("tied", False)
        if tied:
            emb = next(e for e in reversed(self.embeddings) if e.num_embeddings == out and e.embedding_dim == cin)
            return TiedHead(emb, bias), f"TiedHead(<the embedding above: {out} x {cin}>, bias={bias})"
        return nn.Linear(cin, out, bias=bias), f"torch.nn.Linear({cin}, {out}, bias={bias})"

    def k_embedding(self, f, x):
        v, d = f.pop("vocab"), f.pop("dim")
        m = nn.Embedding(v, d)
        self.embeddings.append(m)
        return m, f"torch.nn.Embedding({v}, {d})"

    def k_layernorm(self, f, x):
        d, bias = f.pop("dim", x.shape[-1]), f.pop("bias", True)
        return nn.LayerNorm(d, bias=bias), f"torch.nn.LayerNorm({d}, bias={bias})"

    def k_rmsnorm(self, f, x):
        d = f.pop("dim", x.shape[-1])
        return (modeling_llama.LlamaRMSNorm(d), f"modeling_llama.LlamaRMSNorm({d})")

    def k_mlp(self, f, x):
        d = f.pop("dim", x.shape[-1])
        ff, out = f.pop("ff"), f.pop("out", d)
        gated, bias = f.pop("gated", False), f.pop("bias", True)
        if gated:
            assert out == d, "LlamaMLP maps d -> d"
            cfg = eager(transformers.LlamaConfig(hidden_size=d, intermediate_size=ff, mlp_bias=bias))
            return (modeling_llama.LlamaMLP(cfg),
                    f"modeling_llama.LlamaMLP(transformers.LlamaConfig(hidden_size={d}, intermediate_size={ff}, mlp_bias={bias}))")
        return (nn.Sequential(nn.Linear(d, ff, bias=bias), nn.GELU(), nn.Linear(ff, out, bias=bias)),
                f"torch.nn.Sequential(torch.nn.Linear({d}, {ff}, bias={bias}), torch.nn.GELU(), torch.nn.Linear({ff}, {out}, bias={bias}))")

    def k_attention(self, f, x):
        d = f.pop("dim", x.shape[-1])
        heads = f.pop("heads", 8)
        kv = f.pop("kv_heads", heads)
        hd = f.pop("head_dim", d // heads)
        bias = f.pop("bias", True)
        qkv_bias, out_bias = f.pop("qkv_bias", bias), f.pop("out_bias", bias)
        qk_norm = f.pop("qk_norm", "none")
        common = f"hidden_size={d}, num_attention_heads={heads}, num_key_value_heads={kv}, head_dim={hd}"
        if qk_norm == "head":
            assert qkv_bias == out_bias
            text = f"transformers.Qwen3Config({common}, attention_bias={qkv_bias})"
            cfg = eager(transformers.Qwen3Config(hidden_size=d, num_attention_heads=heads, num_key_value_heads=kv,
                                                 head_dim=hd, attention_bias=qkv_bias))
            att, rot, mod = modeling_qwen3.Qwen3Attention(cfg, 0), modeling_qwen3.Qwen3RotaryEmbedding(cfg), "modeling_qwen3.Qwen3"
        elif qkv_bias and not out_bias:
            assert qk_norm == "none"
            text = f"transformers.Qwen2Config({common})"
            cfg = eager(transformers.Qwen2Config(hidden_size=d, num_attention_heads=heads, num_key_value_heads=kv,
                                                 head_dim=hd))
            att, rot, mod = modeling_qwen2.Qwen2Attention(cfg, 0), modeling_qwen2.Qwen2RotaryEmbedding(cfg), "modeling_qwen2.Qwen2"
        else:
            assert qk_norm == "none" and qkv_bias == out_bias
            text = f"transformers.LlamaConfig({common}, attention_bias={qkv_bias})"
            cfg = eager(transformers.LlamaConfig(hidden_size=d, num_attention_heads=heads, num_key_value_heads=kv,
                                                 head_dim=hd, attention_bias=qkv_bias))
            att, rot, mod = modeling_llama.LlamaAttention(cfg, 0), modeling_llama.LlamaRotaryEmbedding(cfg), "modeling_llama.Llama"
        return HFAttention(att, rot), f"{mod}Attention({text} with attn_implementation='eager', layer_idx=0)"

    def k_moe(self, f, x):
        d = f.pop("dim", x.shape[-1])
        e, k, ff = f.pop("experts"), f.pop("top_k"), f.pop("ff")
        assert f.pop("gated", True) and not f.pop("bias", False) and not f.pop("router_bias", False)
        shared = f.pop("shared_experts", 0)
        sff = f.pop("shared_ff", ff)
        gate = f.pop("shared_gate", False)
        if shared == 0:
            args = dict(hidden_size=d, intermediate_size=ff, num_local_experts=e, num_experts_per_tok=k)
            cfg = eager(transformers.MixtralConfig(**args))
            return (modeling_mixtral.MixtralSparseMoeBlock(cfg),
                    f"modeling_mixtral.MixtralSparseMoeBlock(transformers.MixtralConfig({kw(args)}), experts_implementation='eager')")
        if gate:
            assert shared == 1, "Qwen2-MoE has one shared expert"
            args = dict(hidden_size=d, moe_intermediate_size=ff, shared_expert_intermediate_size=sff, num_experts=e,
                        num_experts_per_tok=k)
            cfg = eager(transformers.Qwen2MoeConfig(**args))
            return (modeling_qwen2_moe.Qwen2MoeSparseMoeBlock(cfg),
                    f"modeling_qwen2_moe.Qwen2MoeSparseMoeBlock(transformers.Qwen2MoeConfig({kw(args)}), experts_implementation='eager')")
        assert sff == ff, "DeepseekV3MoE's shared experts have the routed experts' width"
        args = dict(hidden_size=d, moe_intermediate_size=ff, n_routed_experts=e, num_experts_per_tok=k,
                    n_shared_experts=shared, n_group=1, topk_group=1)
        cfg = eager(transformers.DeepseekV3Config(**args))
        return (modeling_deepseek_v3.DeepseekV3MoE(cfg),
                f"modeling_deepseek_v3.DeepseekV3MoE(transformers.DeepseekV3Config({kw(args)}), experts_implementation='eager')")

    def recurrent(self, cls, f, x):
        i, h = f.pop("in", x.shape[-1]), f.pop("hidden")
        n, bi, bias = f.pop("layers", 1), f.pop("bidirectional", False), f.pop("bias", True)
        return (Recurrent(cls(i, h, num_layers=n, bias=bias, batch_first=True, bidirectional=bi)),
                f"torch.nn.{cls.__name__}({i}, {h}, num_layers={n}, bias={bias}, batch_first=True, bidirectional={bi})")

    def k_rnn(self, f, x):
        return self.recurrent(nn.RNN, f, x)

    def k_gru(self, f, x):
        return self.recurrent(nn.GRU, f, x)

    def k_lstm(self, f, x):
        return self.recurrent(nn.LSTM, f, x)

    def stack(self, f, x, decoder):
        d = f.pop("dim", x.shape[-1])
        n, heads, ff = f.pop("layers", 1), f.pop("heads", 8), f.pop("ff", 2048)
        bias, final = f.pop("bias", True), f.pop("final_norm", False)
        layer_cls = nn.TransformerDecoderLayer if decoder else nn.TransformerEncoderLayer
        stack_cls = nn.TransformerDecoder if decoder else nn.TransformerEncoder
        extra = {} if decoder else {"enable_nested_tensor": False}
        stack = stack_cls(layer_cls(d, heads, ff, bias=bias), n, norm=nn.LayerNorm(d, bias=bias) if final else None, **extra)
        norm = f"torch.nn.LayerNorm({d}, bias={bias})" if final else "None"
        return (SequenceFirst(stack, decoder),
                f"torch.nn.{stack_cls.__name__}(torch.nn.{layer_cls.__name__}({d}, {heads}, {ff}, bias={bias}), {n}, norm={norm})")

    def k_encoder(self, f, x):
        return self.stack(f, x, False)

    def k_decoder(self, f, x):
        return self.stack(f, x, True)

    # Structure.
    def k_group(self, f, x):
        r, layers = f.pop("repeat", 1), f.pop("layers")
        reps, srcs = [], []
        for _ in range(r):
            mods, s, x = self.sequence(layers, x)
            reps.append(nn.Sequential(*mods))
            srcs.append("torch.nn.Sequential(" + ", ".join(s) + ")")
        return nn.Sequential(*reps), "torch.nn.Sequential(" + ", ".join(srcs) + ")"

    def k_parallel(self, f, x):
        merge, branches = f.pop("merge", "add"), f.pop("branches")
        mods, srcs = [], []
        for b in branches:
            m, s, _ = self.sequence(b, x)
            mods.append(nn.Sequential(*m) if m else nn.Identity())
            srcs.append("torch.nn.Sequential(" + ", ".join(s) + ")" if m else "torch.nn.Identity()")
        dim = 1 if (not self.token and x.dim() > 2) else -1
        return (Parallel(mods, merge, dim),
                f"Parallel([{', '.join(srcs)}], merge={merge!r}" + (f", dim={dim})" if merge == "concat" else ")"))


def kw(args):
    return ", ".join(f"{k}={v}" for k, v in args.items())


# ---------------------------------------------------------------------------------------------------
# Measuring.

def sample(spec):
    g = torch.Generator().manual_seed(0)
    shape = spec["input"]
    if len(shape) == 1 and spec.get("_token"):
        return torch.randint(0, spec["_vocab"], (1, *shape), generator=g)
    return torch.randn(1, *shape, generator=g)


def measure(top, x):
    """top: an nn.Sequential, one child per top-level layer. Returns (total, macs, shape, layers, by op)."""
    top.eval()
    shapes = {}
    hooks = [child.register_forward_hook(lambda m, a, out, i=i: shapes.__setitem__(i, list(out.shape[1:])))
             for i, child in enumerate(top)]
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), FlopCounterMode(display=False) as counter:
        y = top(x)
    for h in hooks:
        h.remove()
    counts = counter.get_flop_counts()
    root = type(top).__name__
    layers = []
    for i in range(len(top)):
        per = counts.get(f"{root}.{i}", {})
        layers.append({"index": i, "output_shape": shapes[i], "macs": exact_half(sum(per.values()))})
    total_flops = counter.get_total_flops()
    macs = exact_half(total_flops)
    assert sum(l["macs"] for l in layers) == macs, "MACs outside the top-level layers"
    by_op = {str(op).removeprefix("aten."): exact_half(n) for op, n in counts.get("Global", {}).items()}
    total = sum(p.numel() for p in top.parameters())
    return total, macs, list(y.shape[1:]), layers, by_op, y


def exact_half(n):
    assert n % 2 == 0, n
    return n // 2


# ---------------------------------------------------------------------------------------------------
# The presets, as torchvision builds them, and their files in the tree style of Presets.swift.

def conv(name, out, kernel, cin=None, stride=None, padding=None, bias=None):
    layer = {"kind": "conv", "name": name}
    if cin is not None:
        layer["in"] = cin
    layer.update({"out": out, "kernel": kernel})
    if stride is not None:
        layer["stride"] = stride
    if padding is not None:
        layer["padding"] = padding
    if bias is not None:
        layer["bias"] = bias
    return layer


def pool(name, mode, **fields):
    return {"kind": "pool", "name": name, "mode": mode, **fields}


def dense(name, out, cin=None):
    return {"kind": "dense", "name": name, **({"in": cin} if cin is not None else {}), "out": out}


def bn(name, features=None):
    return {"kind": "batchnorm", "name": name, **({"features": features} if features is not None else {})}


FLATTEN = {"kind": "flatten", "name": "flatten"}


def lenet5():
    layers = [conv("C1", 6, 5, cin=1), pool("S2", "avg", kernel=2), conv("C3", 16, 5), pool("S4", "avg", kernel=2),
              FLATTEN, dense("C5", 120), dense("F6", 84), dense("output", 10)]
    model = {"name": "LeNet-5", "convention": "pytorch", "input": [1, 32, 32], "layers": layers}
    torch_model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(),
                                nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84),
                                nn.Tanh(), nn.Linear(84, 10))
    t = torch_model
    top = nn.Sequential(nn.Sequential(t[0], t[1]), t[2], nn.Sequential(t[3], t[4]), t[5], t[6],
                        nn.Sequential(t[7], t[8]), nn.Sequential(t[9], t[10]), t[11])
    source = ("torch.nn.Sequential(torch.nn.Conv2d(1, 6, 5), torch.nn.Tanh(), torch.nn.AvgPool2d(2), torch.nn.Conv2d(6, 16, 5), "
              "torch.nn.Tanh(), torch.nn.AvgPool2d(2), torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.Tanh(), "
              "torch.nn.Linear(120, 84), torch.nn.Tanh(), torch.nn.Linear(84, 10))")
    return model, torch_model, top, source, "LeNet-5 with full C3 connections (as d2l.ai builds it); the tanh activations count 0"


def alexnet():
    layers = [conv("features.0", 64, 11, cin=3, stride=4, padding=2), pool("features.2", "max", kernel=3, stride=2),
              conv("features.3", 192, 5, padding=2), pool("features.5", "max", kernel=3, stride=2),
              conv("features.6", 384, 3, padding=1), conv("features.8", 256, 3, padding=1),
              conv("features.10", 256, 3, padding=1), pool("features.12", "max", kernel=3, stride=2),
              pool("avgpool", "avg", output=[6, 6]), FLATTEN,
              dense("classifier.1", 4096), dense("classifier.4", 4096), dense("classifier.6", 1000)]
    model = {"name": "AlexNet (torchvision)", "convention": "pytorch", "input": [3, 224, 224], "layers": layers}
    m = torchvision.models.alexnet(weights=None)
    f, c = m.features, m.classifier
    top = nn.Sequential(nn.Sequential(f[0], f[1]), f[2], nn.Sequential(f[3], f[4]), f[5], nn.Sequential(f[6], f[7]),
                        nn.Sequential(f[8], f[9]), nn.Sequential(f[10], f[11]), f[12], m.avgpool, nn.Flatten(),
                        nn.Sequential(c[0], c[1], c[2]), nn.Sequential(c[3], c[4], c[5]), c[6])
    return model, m, top, "torchvision.models.alexnet(weights=None)", (
        "layers map to features.0/.2/.3/.5/.6/.8/.10/.12, avgpool (AdaptiveAvgPool2d((6, 6))), the flatten in "
        "AlexNet.forward, classifier.1/.4/.6; ReLU and Dropout count 0")


def vgg16():
    layers, cin = [], 3
    idx = 0
    for block, (width, count) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]):
        for j in range(count):
            layers.append(conv(f"conv{block + 1}_{j + 1}", width, 3, cin=3 if idx == 0 else None, padding=1))
            idx += 1
        layers.append(pool(f"pool{block + 1}", "max", kernel=2, stride=2))
    layers += [pool("avgpool", "avg", output=[7, 7]), FLATTEN, dense("fc6", 4096), dense("fc7", 4096), dense("fc8", 1000)]
    model = {"name": "VGG16 (torchvision)", "convention": "pytorch", "input": [3, 224, 224], "layers": layers}
    m = torchvision.models.vgg16(weights=None)
    f, c = list(m.features), m.classifier
    children, i = [], 0
    while i < len(f):
        if isinstance(f[i], nn.Conv2d):
            children.append(nn.Sequential(f[i], f[i + 1]))
            i += 2
        else:
            children.append(f[i])
            i += 1
    children += [m.avgpool, nn.Flatten(), nn.Sequential(c[0], c[1], c[2]), nn.Sequential(c[3], c[4], c[5]), c[6]]
    return model, m, nn.Sequential(*children), "torchvision.models.vgg16(weights=None)", (
        "configuration D: 13 conv 3x3 padding 1 (+ReLU), max pools 2/2 after each block, avgpool "
        "AdaptiveAvgPool2d((7, 7)), the flatten in VGG.forward, classifier.0/.3/.6; ReLU and Dropout count 0")


def resnet(name, fn, bottleneck, blocks):
    """Presets.swift's resnet(): stem, layer1..4 (block 0 a parallel [main, downsample or []], the other
    blocks one repeated group of parallel [main, []]), then avgpool, flatten, fc. torchvision's v1.5:
    the stride sits on conv2 of a bottleneck and on conv1 of a basic block, and on the 1x1 downsample."""
    layers = [conv("conv1", 64, 7, cin=3, stride=2, padding=3, bias=False), bn("bn1", 64),
              pool("maxpool", "max", kernel=3, stride=2, padding=1)]
    channels = 64
    for stage, count in enumerate(blocks):
        width = 64 << stage
        out = width * 4 if bottleneck else width
        stride = 1 if stage == 0 else 2

        def main(s):
            def c(n, o, k, st):
                return conv(n, o, k, stride=st if st != 1 else None, padding=1 if k == 3 else None, bias=False)
            if bottleneck:
                return [c("conv1", width, 1, 1), bn("bn1"), c("conv2", width, 3, s), bn("bn2"), c("conv3", out, 1, 1), bn("bn3")]
            return [c("conv1", width, 3, s), bn("bn1"), c("conv2", width, 3, 1), bn("bn2")]

        shortcut = [] if (channels == out and stride == 1) else [
            conv("downsample.0", out, 1, stride=stride if stride != 1 else None, bias=False), bn("downsample.1")]
        body = [{"kind": "parallel", "name": "0", "branches": [main(stride), shortcut]}]
        if count > 1:
            body.append({"kind": "group", "name": "1" if count == 2 else f"1-{count - 1}", "repeat": count - 1,
                         "layers": [{"kind": "parallel", "branches": [main(1), []]}]})
        layers.append({"kind": "group", "name": f"layer{stage + 1}", "layers": body})
        channels = out
    layers += [pool("avgpool", "avg", output=1), FLATTEN, dense("fc", 1000)]
    model = {"name": name, "convention": "pytorch", "input": [3, 224, 224], "layers": layers}
    m = fn(weights=None)
    top = nn.Sequential(m.conv1, nn.Sequential(m.bn1, m.relu), m.maxpool, m.layer1, m.layer2, m.layer3, m.layer4,
                        m.avgpool, nn.Flatten(), m.fc)
    return model, m, top, f"torchvision.models.{fn.__name__}(weights=None)", (
        "layers map to conv1, bn1 (+relu), maxpool, layer1..layer4 (block 0 with its downsample where torchvision "
        "has one, the other blocks identical), avgpool (AdaptiveAvgPool2d((1, 1))), the flatten in ResNet.forward, fc; "
        "v1.5: the stride is on " + ("conv2 (3x3) of the bottleneck" if bottleneck else "conv1 of the basic block")
        + " and on the 1x1 downsample conv")


PRESETS = {
    "lenet5.yaml": lenet5,
    "alexnet.yaml": alexnet,
    "vgg16.yaml": vgg16,
    "resnet18.yaml": lambda: resnet("ResNet-18 (torchvision)", torchvision.models.resnet18, False, [2, 2, 2, 2]),
    "resnet50.yaml": lambda: resnet("ResNet-50 (torchvision)", torchvision.models.resnet50, True, [3, 4, 6, 3]),
}

# Published totals the presets must hit (torchvision's model docs; the MAC figures).
PUBLISHED = {
    "lenet5.yaml": {"total": 61706},
    "alexnet.yaml": {"total": 61100840},
    "vgg16.yaml": {"total": 138357544, "macs": 15470264320},
    "resnet18.yaml": {"total": 11689512},
    "resnet50.yaml": {"total": 25557032, "macs": 4089184256},
}

# The five cases copied from the shared reference set (Fixtures/reference/wave2 and ../shared): their
# totals and MACs as recorded there, which this script's modules must reproduce.
WAVE2 = {
    "0408-convnet2d.yaml": {"total": 2952531, "macs": 6183296, "output_shape": [64]},
    "0415-convnet1d.yaml": {"total": 30136, "macs": 458226, "output_shape": [66]},
    "0421-conv-transposed.yaml": {"total": 68643, "macs": 4956160, "output_shape": [3, 32, 16]},
    "0422-conv-padding-same.yaml": {"total": 55143, "macs": 698880, "output_shape": [7]},
    "0433-token-llama-eager.yaml": {"total": 177600, "macs": 1847296, "output_shape": [16, 1000]},
}

# ---------------------------------------------------------------------------------------------------
# The small cases: one file per kind and option. Notes say what FlopCounterMode sees; the counts by op
# are appended.

SMALL = {}


def small(name, note, text):
    SMALL[name] = (note, text)


small("dense-tokens.yaml", "dense on a token shape [T, d]: nn.Linear acts on the last dimension; aten.mm for T x d x out (bias not counted); the embedding lookup counts 0", """\
name: dense on tokens
convention: pytorch
input: [12]
layers:
  - kind: embedding
    vocab: 100
    dim: 32
  - kind: dense
    out: 48
""")

small("dense-tied-head.yaml", "tied head: F.linear with the embedding's weight: 0 parameters of its own (the table is counted once, at the embedding) but its matmul T x d x vocab counts", """\
name: tied head
convention: pytorch
input: [12]
layers:
  - kind: embedding
    name: wte
    vocab: 100
    dim: 32
  - kind: layernorm
  - kind: dense
    name: lm_head
    out: 100
    bias: false
    tied: true
""")

small("attention-mha-bias.yaml", "LlamaAttention (eager) with attention_bias=True: q/k/v/o projections with bias via aten.addmm (bias not counted), scores Q.K^T and A.V via aten.matmul->bmm: 2*heads*T*T*head_dim; RoPE and softmax count 0", """\
name: multi-head attention with biases
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 64
  - kind: attention
    heads: 4
""")

small("attention-gqa.yaml", "LlamaAttention (eager), grouped-query: q 64->8*16, k and v 64->2*16, o 8*16->64 (aten.mm); repeat_kv expands k/v to the 8 query heads before the scores, so the scores count 2*8*T*T*16 (aten.bmm)", """\
name: grouped-query attention with head_dim
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 64
  - kind: attention
    heads: 8
    kv_heads: 2
    head_dim: 16
    bias: false
""")

small("attention-qkv-bias.yaml", "Qwen2Attention (eager): biases on q, k, v only, none on o; projections by aten.addmm/mm, scores by aten.bmm", """\
name: qwen2-style attention
convention: pytorch
input: [9]
layers:
  - kind: embedding
    vocab: 50
    dim: 48
  - kind: attention
    heads: 6
    kv_heads: 2
    qkv_bias: true
    out_bias: false
""")

small("attention-qk-norm.yaml", "Qwen3Attention (eager): RMSNorm on each query and key head (parameters, 0 MACs); projections aten.mm, scores aten.bmm", """\
name: qwen3-style attention
convention: pytorch
input: [9]
layers:
  - kind: embedding
    vocab: 50
    dim: 48
  - kind: attention
    heads: 4
    kv_heads: 2
    head_dim: 16
    bias: false
    qk_norm: head
""")

small("mlp-plain.yaml", "plain MLP = nn.Sequential(Linear(d, ff), GELU, Linear(ff, out)) with biases: aten.addmm, bias not counted; out differs from dim", """\
name: plain mlp
convention: pytorch
input: [7]
layers:
  - kind: embedding
    vocab: 40
    dim: 32
  - kind: mlp
    ff: 80
    out: 24
""")

small("mlp-gated.yaml", "LlamaMLP (SwiGLU): gate_proj and up_proj d->ff, down_proj ff->d, no bias: three aten.mm of T x d x ff", """\
name: gated mlp
convention: pytorch
input: [7]
layers:
  - kind: embedding
    vocab: 40
    dim: 32
  - kind: mlp
    ff: 80
    gated: true
    bias: false
""")

small("moe-mixtral.yaml", "MixtralSparseMoeBlock, eager experts path: router F.linear T x d x E (aten.mm); every token runs top_k experts, each a gated MLP (F.linear on the fused gate_up_proj slice, then down_proj): T*top_k*3*d*ff whatever the routing", """\
name: mixtral moe
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 16
  - kind: moe
    experts: 4
    top_k: 2
    ff: 24
""")

small("moe-qwen2-shared.yaml", "Qwen2MoeSparseMoeBlock, eager experts path: router T x d x E, top_k routed gated experts per token, the shared expert (one gated MLP of width shared_ff) on every token, and the shared expert gate Linear(d, 1): T x d; all aten.mm", """\
name: qwen2 moe with a shared expert
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 16
  - kind: moe
    experts: 6
    top_k: 2
    ff: 12
    shared_experts: 1
    shared_ff: 40
    shared_gate: true
""")

small("moe-deepseek-shared.yaml", "DeepseekV3MoE, eager experts path: router F.linear in float32 T x d x E, top_k routed experts, shared_experts built as ONE gated MLP of width shared_experts*ff on every token; all aten.mm", """\
name: deepseek-v3 moe with shared experts
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 16
  - kind: moe
    experts: 8
    top_k: 2
    ff: 12
    shared_experts: 2
""")

RNN_NOTE = ("nn.{cls}(batch_first) output sequence; with oneDNN off the CPU kernel's input and recurrent "
            "matmuls of every step reach FlopCounterMode as aten.addmm, which reports exactly "
            "T*n*(i*h + h*h) per layer and direction (n = {n}; bias not counted; layer 2 reads i = 2h). "
            "{extra}")
small("rnn-bidirectional.yaml", RNN_NOTE.format(cls="RNN", n=1, extra=""), """\
name: bidirectional rnn
convention: pytorch
input: [9, 12]
layers:
  - kind: rnn
    in: 12
    hidden: 16
    layers: 2
    bidirectional: true
""")
small("gru-bidirectional.yaml", RNN_NOTE.format(cls="GRU", n=3, extra=""), """\
name: bidirectional gru
convention: pytorch
input: [9, 12]
layers:
  - kind: gru
    in: 12
    hidden: 16
    layers: 2
    bidirectional: true
""")
small("lstm-bidirectional.yaml", RNN_NOTE.format(cls="LSTM", n=4, extra=(
    "With oneDNN ON (torch's default on x86 CPUs) the LSTM runs as aten.mkldnn_rnn_layer, which FlopCounterMode "
    "does not count: it reports 0 MACs for the LSTM (RNN and GRU are counted either way).")), """\
name: bidirectional lstm
convention: pytorch
input: [9, 12]
layers:
  - kind: lstm
    in: 12
    hidden: 16
    layers: 2
    bidirectional: true
  - kind: dense
    out: 5
""")
small("lstm-after-embedding.yaml", RNN_NOTE.format(cls="LSTM", n=4, extra="One layer, one direction, after an embedding."), """\
name: lstm tagger
convention: pytorch
input: [20]
layers:
  - kind: embedding
    vocab: 100
    dim: 24
  - kind: lstm
    hidden: 32
  - kind: dense
    out: 6
""")

STACK_CAVEAT = ("nn.TransformerEncoderLayer/DecoderLayer with batch_first=False (the default, which paramcount's "
                "encoder/decoder mean): FlopCounterMode sees the in_proj/out_proj and feed-forward aten.addmm and the "
                "scores as aten._scaled_dot_product_flash_attention_for_cpu (2*T*T*d MACs per attention, i.e. "
                "2*heads*T*T*head_dim). CAVEAT: built with batch_first=True and run in eval under no_grad, the encoder "
                "layer takes its fused fast path (torch._transformer_encoder_layer_fwd) and nn.MultiheadAttention "
                "its native kernel, and FlopCounterMode reports 0 for them.")
small("encoder-stack.yaml", STACK_CAVEAT + " Per block: 4*T*d*d + 2*T*T*d + 2*T*d*ff; the final LayerNorm counts 0.", """\
name: transformer encoder stack
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 32
  - kind: encoder
    layers: 2
    heads: 4
    ff: 64
    final_norm: true
""")
small("decoder-stack.yaml", STACK_CAVEAT + " The decoder's memory is its own input (S = T): per block self-attention "
      "4*T*d*d + 2*T*T*d, cross-attention q/o on T and k/v on S rows: 4*T*d*d + 2*T*S*d, feed-forward 2*T*d*ff.", """\
name: transformer decoder stack
convention: pytorch
input: [10]
layers:
  - kind: embedding
    vocab: 50
    dim: 32
  - kind: decoder
    layers: 2
    heads: 4
    ff: 64
""")

small("conv1d.yaml", "Conv1d: aten.convolution counts L_out * C_out * k * C_in/groups (bias not counted); BatchNorm1d on [C, L] and the pools count 0", """\
name: conv1d
convention: pytorch
input: [8, 50]
layers:
  - kind: conv
    in: 8
    out: 16
    kernel: [5]
    stride: 2
    padding: 2
  - kind: batchnorm
  - kind: pool
    mode: max
    kernel: 3
    stride: 2
  - kind: conv
    out: 12
    kernel: [3]
    dilation: 3
    bias: false
""")

small("conv3d.yaml", "Conv3d: aten.convolution counts D_out * H_out * W_out * C_out * prod(k) * C_in/groups; BatchNorm3d and MaxPool3d count 0", """\
name: conv3d
convention: pytorch
input: [2, 8, 16, 16]
layers:
  - kind: conv
    in: 2
    out: 4
    kernel: [3, 3, 3]
    stride: [1, 2, 2]
    padding: 1
  - kind: batchnorm
  - kind: conv
    out: 6
    kernel: [1, 3, 3]
    padding: [0, 1, 1]
    dilation: [1, 2, 2]
  - kind: pool
    mode: max
    kernel: [2, 2, 2]
""")

small("conv-grouped-depthwise.yaml", "grouped (groups 4) and depthwise (groups = channels) convs: MACs divide by groups; pointwise 1x1 without bias; BatchNorm2d after each conv counts 0", """\
name: grouped and depthwise conv
convention: pytorch
input: [16, 20, 20]
layers:
  - kind: conv
    in: 16
    out: 32
    kernel: 3
    padding: 1
    groups: 4
  - kind: batchnorm
  - kind: conv
    out: 32
    kernel: 3
    stride: 2
    padding: 1
    groups: 32
  - kind: batchnorm
  - kind: conv
    out: 64
    kernel: 1
    bias: false
  - kind: batchnorm
""")

small("conv-dilated-strided.yaml", "out = floor((n + 2*padding - dilation*(k-1) - 1) / stride) + 1 per dimension, with per-dimension lists", """\
name: dilated and strided conv
convention: pytorch
input: [3, 40, 33]
layers:
  - kind: conv
    in: 3
    out: 8
    kernel: [3, 5]
    stride: [2, 3]
    padding: [2, 1]
    dilation: [2, 1]
  - kind: conv
    out: 10
    kernel: 4
    stride: 3
    dilation: 2
  - kind: conv
    out: 5
    kernel: [2, 1]
    stride: [1, 2]
""")

small("conv-padding-same-odd.yaml", "padding='same' (stride 1) keeps every spatial size, with even kernels and dilation too (PyTorch pads the extra one on the right); 1-D, with groups", """\
name: padding same in 1-D
convention: pytorch
input: [4, 31]
layers:
  - kind: conv
    in: 4
    out: 6
    kernel: [4]
    padding: same
    dilation: 2
  - kind: conv
    out: 6
    kernel: [5]
    padding: same
    groups: 3
""")

small("conv3d-padding-same.yaml", "Conv3d with padding='same' and an even kernel in one dimension", """\
name: padding same in 3-D
convention: pytorch
input: [3, 5, 9, 8]
layers:
  - kind: conv
    in: 3
    out: 4
    kernel: [2, 3, 4]
    padding: same
    bias: false
""")

small("conv-transposed-groups.yaml", "ConvTranspose2d: out = (n-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1; FlopCounterMode counts a transposed conv over the INPUT positions: n_in spatial * k * C_in * C_out/groups", """\
name: transposed convs with groups and dilation
convention: pytorch
input: [8, 9, 7]
layers:
  - kind: conv
    in: 8
    out: 6
    kernel: 3
    stride: 2
    padding: 1
    output_padding: 1
    groups: 2
    dilation: 2
    transposed: true
  - kind: conv
    out: 4
    kernel: [2, 3]
    stride: [3, 1]
    output_padding: [2, 0]
    transposed: true
    bias: false
""")

small("conv1d-transposed.yaml", "ConvTranspose1d with output_padding; counted over the input positions", """\
name: transposed conv1d
convention: pytorch
input: [6, 11]
layers:
  - kind: conv
    in: 6
    out: 3
    kernel: [4]
    stride: 3
    padding: 2
    output_padding: 2
    transposed: true
""")

small("pools.yaml", "MaxPool2d/AvgPool2d: out = floor((n + 2*padding - kernel) / stride) + 1 (ceil_mode False), stride defaults to the kernel; pools count 0 MACs, only the convs count", """\
name: pools with padding and floor
convention: pytorch
input: [3, 31, 29]
layers:
  - kind: conv
    in: 3
    out: 4
    kernel: 1
  - kind: pool
    mode: max
    kernel: 3
    stride: 2
    padding: 1
  - kind: pool
    mode: avg
    kernel: [2, 3]
    stride: [2, 1]
    padding: [1, 0]
  - kind: pool
    mode: max
    kernel: 2
  - kind: pool
    mode: avg
    kernel: 3
  - kind: conv
    out: 2
    kernel: 1
""")

small("pools-1d.yaml", "MaxPool1d/AvgPool1d on [C, L] (kernel and stride as ints); 0 MACs", """\
name: pools in 1-D
convention: pytorch
input: [5, 47]
layers:
  - kind: pool
    mode: max
    kernel: 4
    stride: 3
    padding: 2
  - kind: pool
    mode: avg
    kernel: 5
  - kind: conv
    out: 7
    kernel: [3]
""")

small("adaptive-pools.yaml", "AdaptiveAvgPool2d/AdaptiveMaxPool2d give exactly the requested size, also when it does not divide the input (13x11 -> 5x3); 0 MACs", """\
name: adaptive pools
convention: pytorch
input: [8, 13, 11]
layers:
  - kind: conv
    in: 8
    out: 8
    kernel: 3
  - kind: pool
    mode: avg
    output: [5, 3]
  - kind: pool
    mode: max
    output: 2
  - kind: flatten
  - kind: dense
    out: 10
""")

small("adaptive-pools-3d.yaml", "AdaptiveMaxPool3d with a list, then a flatten and a dense layer on the flattened width", """\
name: adaptive pools 3-D
convention: pytorch
input: [2, 7, 9, 10]
layers:
  - kind: pool
    mode: max
    output: [2, 3, 4]
  - kind: flatten
  - kind: dense
    out: 4
""")

small("adaptive-pool-1d.yaml", "AdaptiveAvgPool1d to 5 from 17, then Conv1d", """\
name: adaptive pool 1-D
convention: pytorch
input: [4, 17]
layers:
  - kind: pool
    mode: avg
    output: 5
  - kind: conv
    in: 4
    out: 3
    kernel: [2]
""")

small("flatten-tokens.yaml", "nn.Flatten after an embedding: [T, d] becomes [T*d]; the dense after it takes T*d inputs", """\
name: flatten on tokens
convention: pytorch
input: [6]
layers:
  - kind: embedding
    vocab: 20
    dim: 8
  - kind: flatten
  - kind: dense
    out: 5
""")

small("group-repeat-same-shape.yaml", "a group repeated 3 times of Conv2d(8, 8, 3, padding=1) + BatchNorm2d: the shape stays; the group holds all three repetitions' MACs", """\
name: group repeat, shape kept
convention: pytorch
input: [8, 16, 16]
layers:
  - kind: group
    repeat: 3
    layers:
      - kind: conv
        out: 8
        kernel: 3
        padding: 1
      - kind: batchnorm
  - kind: pool
    mode: avg
    output: 1
  - kind: flatten
  - kind: dense
    out: 3
""")

small("group-repeat-shrinking.yaml", "a group repeated 3 times of a stride-2 conv: 64 -> 32 -> 16 -> 8; each repetition has fewer MACs than the one before; the dense after flatten takes 16*8*8", """\
name: group repeat, shape halves every repetition
convention: pytorch
input: [4, 64, 64]
layers:
  - kind: conv
    in: 4
    out: 16
    kernel: 3
    padding: 1
  - kind: group
    repeat: 3
    layers:
      - kind: conv
        out: 16
        kernel: 3
        stride: 2
        padding: 1
  - kind: flatten
  - kind: dense
    out: 10
""")

small("group-repeat-widening.yaml", "the group's first conv has no `in`: the first repetition reads 3 channels (the input), the later ones 12 (the group's own output), so the first repetition has fewer parameters; the spatial size halves every repetition", """\
name: group repeat, first repetition reads the input
convention: pytorch
input: [3, 32, 32]
layers:
  - kind: group
    repeat: 2
    layers:
      - kind: conv
        out: 12
        kernel: 3
        stride: 2
        padding: 1
      - kind: batchnorm
""")

small("parallel-concat.yaml", "parallel merge concat of two conv branches: torch.cat on the channel dimension (6 + 10 = 16 channels); then a 1x1 conv", """\
name: inception-style concat
convention: pytorch
input: [8, 12, 12]
layers:
  - kind: parallel
    merge: concat
    branches:
      - - kind: conv
          out: 6
          kernel: 1
      - - kind: conv
          out: 10
          kernel: 3
          padding: 1
        - kind: batchnorm
  - kind: conv
    out: 4
    kernel: 1
""")

small("parallel-concat-tokens.yaml", "parallel merge concat on a token shape: torch.cat on the last dimension (5 + 7 = 12)", """\
name: concat on tokens
convention: pytorch
input: [6]
layers:
  - kind: embedding
    vocab: 30
    dim: 8
  - kind: parallel
    merge: concat
    branches:
      - - kind: dense
          out: 5
      - - kind: dense
          out: 7
  - kind: dense
    out: 3
""")

small("parallel-add-strided.yaml", "a residual block whose shortcut downsamples: main conv stride 2 + conv, shortcut 1x1 conv stride 2 + batchnorm; merge add", """\
name: strided residual block
convention: pytorch
input: [16, 15, 15]
layers:
  - kind: parallel
    branches:
      - - kind: conv
          out: 32
          kernel: 3
          stride: 2
          padding: 1
          bias: false
        - kind: batchnorm
        - kind: conv
          out: 32
          kernel: 3
          padding: 1
          bias: false
        - kind: batchnorm
      - - kind: conv
          out: 32
          kernel: 1
          stride: 2
          bias: false
        - kind: batchnorm
  - kind: parallel
    branches:
      - - kind: conv
          out: 32
          kernel: 3
          padding: 1
      - []
""")

# ---------------------------------------------------------------------------------------------------


def is_token(spec):
    return len(spec["input"]) == 1


def build_from_file(spec, seed):
    torch.manual_seed(seed)
    token = is_token(spec)
    b = Builder(token)
    if token:
        first = spec["layers"][0]
        assert first["kind"] == "embedding", "token models start with an embedding here"
        spec["_token"], spec["_vocab"] = True, first["vocab"]
        x0 = torch.zeros(1, *spec["input"], dtype=torch.long)
    else:
        x0 = torch.zeros(1, *spec["input"])
    mods, srcs, _ = b.sequence(spec["layers"], x0)
    return nn.Sequential(*mods), "torch.nn.Sequential(" + ", ".join(srcs) + ")"


def entry(spec, top, source, note, x):
    total, macs, shape, layers, by_op, y = measure(top, x)
    for layer, l in zip(layers, spec["layers"]):
        layer["kind"] = l["kind"]
    layers = [{"index": l["index"], "kind": l["kind"], "output_shape": l["output_shape"], "macs": l["macs"]} for l in layers]
    ops = ", ".join(f"{op} {n}" for op, n in sorted(by_op.items()))
    return {
        "total": total,
        "macs": macs,
        "output_shape": shape,
        "layers": layers,
        "source": source,
        "note": note + " | FlopCounterMode counted (MACs): " + (ops or "nothing"),
    }, y


def dump_yaml(model):
    return yaml.safe_dump(model, sort_keys=False, default_flow_style=None, width=120)


def main():
    versions = {"torch": torch.__version__.split("+")[0], "torchvision": torchvision.__version__.split("+")[0],
                "transformers": transformers.__version__}
    if versions != EXPECTED_VERSIONS:
        print(f"warning: running {versions}, the fixtures were made with {EXPECTED_VERSIONS}", file=sys.stderr)
    os.makedirs(OUT, exist_ok=True)
    result = {
        **versions,
        "python": platform.python_version(),
        "generated_by": "scripts/reference/shapes_reference.py",
        "definition": "macs = torch.utils.flop_counter.FlopCounterMode total / 2 for one forward pass, batch 1, "
                      "eval, no_grad, oneDNN off; output shapes without the batch; layers = top-level layers of the file",
    }
    cases = {}

    # Presets: torchvision's model is the reference; the file's own build must agree with it.
    for name, make in PRESETS.items():
        torch.manual_seed(0)
        model, reference, top, source, note = make()
        text = dump_yaml(model)
        with open(os.path.join(OUT, name), "w") as fh:
            fh.write(text)
        spec = yaml.safe_load(text)
        x = sample(spec)
        e, y = entry(spec, top, source, note, x)
        reference.eval()
        with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), FlopCounterMode(display=False) as c:
            y_ref = reference(x)
        assert torch.allclose(y, y_ref, atol=1e-5), f"{name}: the regrouped modules compute something else"
        assert c.get_total_flops() // 2 == e["macs"], f"{name}: torchvision's forward counts {c.get_total_flops() // 2}"
        assert sum(p.numel() for p in reference.parameters()) == e["total"]
        for k, v in PUBLISHED[name].items():
            assert e[k] == v, f"{name}: {k} {e[k]} but published {v}"
        built, _ = build_from_file(spec, 0)
        e2, _ = entry(spec, built, source, note, x)
        assert (e2["total"], e2["macs"], e2["layers"]) == (e["total"], e["macs"], e["layers"]), f"{name}: file does not mirror torchvision"
        cases[name] = e

    # Copied cases and small cases: built from the file.
    for name in sorted(WAVE2):
        with open(os.path.join(OUT, name)) as fh:
            spec = yaml.safe_load(fh)
        top, source = build_from_file(spec, 0)
        e, _ = entry(spec, top, source, "copied from the shared reference set (reference/wave2); its total, MACs and "
                     "output shape reproduced here; activations of the original modules count 0 and are left out", sample(spec))
        for k, v in WAVE2[name].items():
            assert e[k] == v, f"{name}: {k} {e[k]} but the reference set has {v}"
        cases[name] = e
    for name, (note, text) in SMALL.items():
        with open(os.path.join(OUT, name), "w") as fh:
            fh.write(text)
        spec = yaml.safe_load(text)
        top, source = build_from_file(spec, 0)
        cases[name], _ = entry(spec, top, source, note, sample(spec))

    for name in sorted(cases):
        result[name] = cases[name]
    with open(os.path.join(OUT, "expected.json"), "w") as fh:
        json.dump(result, fh, indent=1)
        fh.write("\n")
    for name in sorted(cases):
        e = cases[name]
        print(f"{name:34} total {e['total']:>12,}  macs {e['macs']:>16,}  out {e['output_shape']}")


if __name__ == "__main__":
    main()
