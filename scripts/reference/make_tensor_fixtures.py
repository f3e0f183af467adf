#!/usr/bin/env python3
"""Writes small safetensors and GGUF files with the real libraries' writers, and expected.json with
what the same libraries' readers report for them, into Tests/ParamCountFilesTests/Fixtures/tensors/.
The Swift tests read the files with our readers and compare.

    pip install safetensors==0.8.0 gguf==0.19.0 numpy==2.4.6
    python3 scripts/reference/make_tensor_fixtures.py

Versions used for the committed fixtures: safetensors 0.8.0, gguf 0.19.0, numpy 2.4.6.
"""
import ctypes
import importlib.metadata
import json
import os
import sys

import numpy as np
import safetensors
from safetensors import TensorSpec, deserialize, safe_open, serialize_file
import gguf
from gguf import GGMLQuantizationType as Q, GGUFReader, GGUFWriter, GGUFEndian

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ParamCountFilesTests", "Fixtures", "tensors")
VERSIONS = {name: importlib.metadata.version(name) for name in ("safetensors", "gguf", "numpy")}

# Keep every buffer handed to the serializer alive until it has written the file.
_keep = []


def spec(dtype, shape, nbytes):
    buf = ctypes.create_string_buffer(max(nbytes, 1))
    _keep.append(buf)
    return TensorSpec(dtype=dtype, shape=shape, data_ptr=ctypes.addressof(buf), data_len=nbytes)


def write_safetensors(path, tensors, metadata=None):
    """tensors: {name: (torch-style dtype name, shape, bytes)}; the library lays out the data."""
    serialize_file({k: spec(*v) for k, v in tensors.items()}, path, metadata=metadata)


def describe_safetensors(path):
    """What the reference reader reports: dtype, shape and the byte length of each tensor's data."""
    with open(path, "rb") as f:
        raw = f.read()
    tensors = []
    for name, t in deserialize(raw):
        elements = int(np.prod(t["shape"], dtype=np.int64)) if t["shape"] else 1
        tensors.append({"name": name, "dtype": t["dtype"], "shape": list(t["shape"]),
                        "elements": elements, "bytes": len(t["data"])})
    with safe_open(path, framework="numpy") as f:
        metadata = f.metadata() or {}
        # safe_open is the reader transformers uses; its shapes must agree with deserialize's.
        for t in tensors:
            assert list(f.get_slice(t["name"]).get_shape()) == t["shape"]
    tensors.sort(key=lambda t: t["name"])
    return tensors, metadata


def totals(tensors):
    by_dtype = {}
    for t in tensors:
        by_dtype[t["dtype"]] = by_dtype.get(t["dtype"], 0) + t["bytes"]
    return {"total_elements": sum(t["elements"] for t in tensors), "bytes_by_dtype": by_dtype,
            "tensor_count": len(tensors)}


def llama_like():
    # A two-layer Llama with tiny widths: hidden 16, intermediate 40, vocab 32, 4 heads, 2 kv heads.
    h, i, v, kv = 16, 40, 32, 8
    t = {"model.embed_tokens.weight": ("bfloat16", [v, h], v * h * 2)}
    for n in range(2):
        p = f"model.layers.{n}."
        t[p + "self_attn.q_proj.weight"] = ("bfloat16", [h, h], h * h * 2)
        t[p + "self_attn.k_proj.weight"] = ("bfloat16", [kv, h], kv * h * 2)
        t[p + "self_attn.v_proj.weight"] = ("bfloat16", [kv, h], kv * h * 2)
        t[p + "self_attn.o_proj.weight"] = ("bfloat16", [h, h], h * h * 2)
        t[p + "mlp.gate_proj.weight"] = ("bfloat16", [i, h], i * h * 2)
        t[p + "mlp.up_proj.weight"] = ("bfloat16", [i, h], i * h * 2)
        t[p + "mlp.down_proj.weight"] = ("bfloat16", [h, i], h * i * 2)
        t[p + "input_layernorm.weight"] = ("float32", [h], h * 4)
        t[p + "post_attention_layernorm.weight"] = ("float32", [h], h * 4)
        t[p + "self_attn.rotary_emb.inv_freq"] = ("float32", [2], 2 * 4)
    t["model.norm.weight"] = ("float32", [h], h * 4)
    t["lm_head.weight"] = ("float16", [v, h], v * h * 2)
    return t


def every_dtype():
    # One tensor of each dtype the Python binding can write. F4 packs two values a byte: the spec
    # takes the stored shape and doubles its last dimension.
    sizes = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8,
             "uint64": 8, "float16": 2, "float32": 4, "float64": 8, "bfloat16": 2, "float8_e4m3fn": 1,
             "float8_e4m3fnuz": 1, "float8_e5m2": 1, "float8_e5m2fnuz": 1, "float8_e8m0fnu": 1}
    t = {f"t.{name}": (name, [3, 5], 15 * size) for name, size in sizes.items()}
    t["t.float4_e2m1fn_x2"] = ("float4_e2m1fn_x2", [3, 4], 12)
    t["t.empty"] = ("float32", [0, 7], 0)
    t["t.scalar"] = ("float32", [], 4)
    return t


def write_gguf(path, endian):
    w = GGUFWriter(path, "llama", endianess=endian)
    w.add_name("tiny llama")
    w.add_block_count(2)
    w.add_context_length(128)
    w.add_embedding_length(256)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_K_M)
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -5)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_int32("test.i32", -7)
    w.add_float32("test.f32", 0.5)
    w.add_uint64("test.u64", 2**40)
    w.add_int64("test.i64", -(2**40))
    w.add_float64("test.f64", 0.25)
    w.add_bool("test.bool", True)
    w.add_array("tokenizer.ggml.tokens", [f"tok{n}" for n in range(40)])
    w.add_array("tokenizer.ggml.scores", [float(n) for n in range(40)])
    w.add_array("test.nested", [[1, 2], [3, 4, 5]])
    # One tensor of every type gguf-py knows, a row of 256 values (a multiple of every block size),
    # written as raw bytes of the size gguf-py's table gives.
    for qt in Q:
        block, size = gguf.GGML_QUANT_SIZES[qt]
        rows, cols = 1, 256
        data = np.zeros((rows, cols // block * size), dtype=np.uint8)
        w.add_tensor(f"blk.0.{qt.name.lower()}.weight", data, raw_dtype=qt)
    w.add_tensor("token_embd.weight", np.zeros((2, 3, 256), dtype=np.float16))
    w.add_tensor("output_norm.weight", np.zeros((256,), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def describe_gguf(path):
    r = GGUFReader(path)
    tensors = [{"name": t.name, "dtype": t.tensor_type.name,
                # gguf-py gives ggml's order, innermost first; expected.json holds PyTorch's order.
                "shape": [int(d) for d in reversed(t.shape.tolist())],
                "elements": int(t.n_elements), "bytes": int(t.n_bytes)} for t in r.tensors]
    fields = {}
    for key in ("general.name", "general.architecture", "llama.block_count", "llama.context_length",
                "llama.embedding_length", "general.file_type", "test.u8", "test.i8", "test.u16", "test.i16",
                "test.i32", "test.u64", "test.i64", "test.bool"):
        v = r.get_field(key).contents()
        fields[key] = v
    fields["general.file_type"] = gguf.LlamaFileType(fields["general.file_type"]).name
    tensors.sort(key=lambda t: t["name"])
    return tensors, fields, {"version": int(r.fields["GGUF.version"].contents()),
                             "byte_order": "big" if r.endianess == GGUFEndian.BIG else "little",
                             "alignment": int(r.alignment)}


def main():
    os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)
    expected = {"generated_by": "scripts/reference/make_tensor_fixtures.py", "versions": VERSIONS, "files": {}}

    path = os.path.join(OUT, "llama-tiny.safetensors")
    write_safetensors(path, llama_like(), metadata={"format": "pt"})
    tensors, metadata = describe_safetensors(path)
    expected["files"]["llama-tiny.safetensors"] = {"format": "safetensors", "tensors": tensors, "metadata": metadata,
                                                   **totals(tensors)}

    path = os.path.join(OUT, "dtypes.safetensors")
    write_safetensors(path, every_dtype())
    tensors, metadata = describe_safetensors(path)
    expected["files"]["dtypes.safetensors"] = {"format": "safetensors", "tensors": tensors, "metadata": metadata,
                                               **totals(tensors)}

    # Shards and an index in the layout transformers' save_pretrained writes.
    all_tensors = llama_like()
    names = sorted(all_tensors)
    shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2],
              "model-00002-of-00002.safetensors": names[len(names) // 2:]}
    weight_map, described = {}, []
    for shard, shard_names in shards.items():
        p = os.path.join(OUT, "sharded", shard)
        write_safetensors(p, {n: all_tensors[n] for n in shard_names}, metadata={"format": "pt"})
        tensors, _ = describe_safetensors(p)
        described += tensors
        weight_map.update({n: shard for n in shard_names})
    index = {"metadata": {"total_size": sum(t["bytes"] for t in described)},
             "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    described.sort(key=lambda t: t["name"])
    expected["files"]["sharded"] = {"format": "safetensors", "tensors": described, "metadata": {},
                                    **totals(described)}

    for name, endian in (("tiny.gguf", GGUFEndian.LITTLE), ("tiny-big-endian.gguf", GGUFEndian.BIG)):
        path = os.path.join(OUT, name)
        write_gguf(path, endian)
        tensors, fields, header = describe_gguf(path)
        expected["files"][name] = {"format": "gguf", "tensors": tensors, "fields": fields, **header, **totals(tensors)}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    for root, _, files in os.walk(OUT):
        for n in sorted(files):
            print(os.path.relpath(os.path.join(root, n), OUT), os.path.getsize(os.path.join(root, n)))


if __name__ == "__main__":
    sys.exit(main())
