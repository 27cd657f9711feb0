#!/usr/bin/env python3
"""Fixtures for jtensor's weight-file readers (engine/src/test/java/dev/jtensor/io/Weights*Test.java).

  /usr/bin/python3 make_weights.py ../resources/weights

PyTorch 1.13's torch.save writes the .pt files; a plain-Python writer of the published safetensors format
(huggingface/safetensors docs: u64 little-endian header length, JSON header padded with spaces to 8 bytes,
then the data, tensors tiling it with no gaps) writes the .safetensors files, since no safetensors package
exists on these machines. expected.npz holds every tensor's values as float64 (int64 for integers) under
'<file stem>.<key>', so the Java tests check values without Python.
"""
import io
import json
import os
import struct
import sys
import zipfile

import numpy as np
import torch

OUT = sys.argv[1]
EXPECTED = {}


def expect(stem, key, t):
    a = t.detach()
    a = a.to(torch.float64) if a.dtype.is_floating_point else a.to(torch.int64)
    EXPECTED[f"{stem}.{key}"] = a.numpy().copy()


def save_pt(stem, obj, tensors):
    torch.save(obj, os.path.join(OUT, stem + ".pt"))
    for k, t in tensors.items():
        expect(stem, k, t)


def dtype_dict():
    base = torch.arange(-3, 3).reshape(2, 3)
    d = {}
    for name, dt in [("f64", torch.float64), ("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16),
                     ("i64", torch.int64), ("i32", torch.int32), ("i16", torch.int16), ("i8", torch.int8)]:
        d[name] = (base * 7 + 1).to(dt) if not dt.is_floating_point else (base.to(dt) / 4 + 0.5)
    d["u8"] = (torch.arange(6).reshape(2, 3) * 40 + 15).to(torch.uint8)
    d["bool"] = torch.tensor([[True, False, True], [False, False, True]])
    d["scalar"] = torch.tensor(2.5)
    d["empty"] = torch.zeros(0, 3)
    return d


def make_torch():
    d = dtype_dict()
    a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    d["transposed"] = a.t()
    d["strided"] = a[:, ::2]
    d["row"] = a[1]
    save_pt("torch_dtypes", d, d)

    w = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
    tied = {"emb.weight": w, "out.weight": w, "tail": w[2:]}
    save_pt("torch_tied", tied, tied)

    p = {"p": torch.nn.Parameter(torch.tensor([1.0, -2.0])), "t": (torch.tensor([3, 4]), None, True)}
    save_pt("torch_param", p, {"p": p["p"], "t0": p["t"][0]})

    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = seq(x)
    sd = seq.state_dict()
    save_pt("seq", sd, sd)
    expect("seq_io", "x", x)
    expect("seq_io", "y", y)
    write_safetensors(os.path.join(OUT, "seq.safetensors"), [(k, v) for k, v in sd.items()], {"format": "pt"})

    opt = torch.optim.Adam(seq.parameters(), lr=0.01)
    seq(x).sum().backward()
    opt.step()
    osd = opt.state_dict()
    save_pt("torch_optim", osd, {f"state.{i}.{k}": v for i, s in osd["state"].items() for k, v in s.items()})

    nested = {"model": {"w": torch.ones(2)}, "epoch": 3, "name": "run", "hist": [1.5, 2.5], "big": 2**40, "neg": -7,
              "flags": (True, None)}
    save_pt("torch_nested", nested, {"model.w": nested["model"]["w"]})

    torch.save({"w": torch.ones(2)}, os.path.join(OUT, "legacy.pt"), _use_new_zipfile_serialization=False)
    # a checkpoint whose pickle asks for os.system: a weights-only reader must refuse to even look it up
    evil = b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03."
    with zipfile.ZipFile(os.path.join(OUT, "evil.pt"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("evil/data.pkl", evil)
        z.writestr("evil/version", "3\n")


ST_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
            torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, items, metadata=None):
    """items: (name, tensor) or (name, dtype string, shape, raw bytes); written in this order."""
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for it in items:
        if len(it) == 2:
            name, t = it
            dt, shape, b = ST_NAMES[t.dtype], list(t.shape), raw_bytes(t)
        else:
            name, dt, shape, b = it
        header[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def make_safetensors():
    d = dtype_dict()
    items = list(d.items())
    items.insert(3, ("fp8", "F8_E4M3", [2], bytes([0x38, 0xC0])))  # 1.0, -2.0 in e4m3: listed, refused when asked for
    write_safetensors(os.path.join(OUT, "st_dtypes.safetensors"), items, {"format": "pt", "note": "jtensor fixture"})
    for k, t in d.items():
        expect("st_dtypes", k, t)
    a = torch.arange(10, dtype=torch.float32)
    b = torch.arange(6, dtype=torch.int64).reshape(2, 3)
    c = torch.tensor([0.5, 1.5], dtype=torch.float64)
    write_safetensors(os.path.join(OUT, "st_shard-00001-of-00002.safetensors"), [("a", a), ("b", b)])
    write_safetensors(os.path.join(OUT, "st_shard-00002-of-00002.safetensors"), [("c", c)])
    index = {"metadata": {"total_size": a.numel() * 4 + b.numel() * 8 + 16},
             "weight_map": {"a": "st_shard-00001-of-00002.safetensors", "b": "st_shard-00001-of-00002.safetensors",
                            "c": "st_shard-00002-of-00002.safetensors"}}
    with open(os.path.join(OUT, "st_sharded.index.json"), "w") as f:
        json.dump(index, f, indent=2)
    for k, t in {"a": a, "b": b, "c": c}.items():
        expect("st_sharded", k, t)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    make_torch()
    make_safetensors()
    np.savez(os.path.join(OUT, "expected.npz"), **EXPECTED)
