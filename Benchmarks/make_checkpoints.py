#!/usr/bin/env python3
"""Writes the checkpoints the whole-process benchmarks count (Benchmarks/process_bench.sh), as
sparse files: headers only, the data a hole made by truncate, so they cost a few MiB of disk.

    python3 Benchmarks/make_checkpoints.py DIR

DIR/Llama-2-7b-hf/   two F16 shards split as meta-llama/Llama-2-7b-hf publishes them, and the index
DIR/many.gguf        100,000 F32 tensors (4×16) and a 32,000-token vocabulary
Standard library only.
"""
import json
import os
import struct
import sys


def llama2_7b():
    tensors = [("model.embed_tokens.weight", [32000, 4096])]
    for layer in range(32):
        p = f"model.layers.{layer}."
        tensors += [(p + f"self_attn.{m}.weight", [4096, 4096]) for m in ("q_proj", "k_proj", "v_proj", "o_proj")]
        tensors += [(p + "mlp.gate_proj.weight", [11008, 4096]), (p + "mlp.up_proj.weight", [11008, 4096]),
                    (p + "mlp.down_proj.weight", [4096, 11008]), (p + "input_layernorm.weight", [4096]),
                    (p + "post_attention_layernorm.weight", [4096])]
    tensors += [("model.norm.weight", [4096]), ("lm_head.weight", [32000, 4096])]
    return tensors


def sparse(path, head, size):
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)


def write_safetensors_folder(folder):
    os.makedirs(folder, exist_ok=True)
    tensors = llama2_7b()
    split = next(i for i, (n, _) in enumerate(tensors) if n.startswith("model.layers.24."))
    weight_map, total = {}, 0
    for name, part in (("model-00001-of-00002.safetensors", tensors[:split]),
                       ("model-00002-of-00002.safetensors", tensors[split:])):
        header, offset = {"__metadata__": {"format": "pt"}}, 0
        for tensor, shape in part:
            size = shape[0] * (shape[1] if len(shape) > 1 else 1) * 2
            header[tensor] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + size]}
            offset += size
            weight_map[tensor] = name
        h = json.dumps(header, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        sparse(os.path.join(folder, name), struct.pack("<Q", len(h)) + h, 8 + len(h) + offset)
        total += offset
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def write_gguf(path):
    def s(text):
        b = text.encode()
        return struct.pack("<Q", len(b)) + b
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, 100_000, 2))
    out += s("general.architecture") + struct.pack("<I", 8) + s("llama")
    out += s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 32_000)
    for t in range(32_000):
        out += s(f"token{t}")
    for t in range(100_000):
        # Two dimensions, 16 × 4 in ggml's order, type F32 (0), data offset t × 256.
        out += s(f"blk.{t // 10}.tensor{t % 10}.weight") + struct.pack("<IQQIQ", 2, 16, 4, 0, t * 256)
    out += b"\0" * (-len(out) % 32)
    sparse(path, bytes(out), len(out) + 100_000 * 256)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    write_safetensors_folder(os.path.join(sys.argv[1], "Llama-2-7b-hf"))
    write_gguf(os.path.join(sys.argv[1], "many.gguf"))
