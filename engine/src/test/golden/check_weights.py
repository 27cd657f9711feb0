#!/usr/bin/env python3
"""PyTorch 1.13 reads the checkpoint and safetensors file jtensor writes (run by hand after the Java tests).

  cd engine && /usr/bin/python3 src/test/golden/check_weights.py target/weights-java

TorchFilesTest#writesTheFileThePythonCheckReads writes target/weights-java/java.pt and java.safetensors
(TorchFilesTest.JavaWritten gives their content); this script loads them with torch.load(weights_only=True)
and a plain-Python safetensors reader, and checks every value, dtype, stride and the shared storage.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

DIR = sys.argv[1]
DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "int8": torch.int8, "uint8": torch.uint8, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64,
          "bool": torch.bool}
ST = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
      "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def expected():
    a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    t = {}
    for name, dt in DTYPES.items():
        t[name] = a if dt == torch.float32 else (a.to(dt) if dt == torch.uint8 else (a - 5).to(dt))
    t["transposed"] = a.t()
    t["row"] = a[1]
    t["scalar"] = torch.tensor(2.5)
    t["empty"] = torch.zeros(0, 3)
    return t


def same(name, got, want):
    assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    assert torch.equal(got, want), (name, got, want)


def check_pt():
    # PyTorch 1.13's weights_only unpickler has no BINFLOAT opcode (so it cannot read its own optimizer state
    # dicts either): the checkpoint with floats is read by the full unpickler, the state dict by weights_only
    sd = torch.load(os.path.join(DIR, "java_sd.pt"), weights_only=True)
    for k, v in expected().items():
        same(k, sd[k], v)
    obj = torch.load(os.path.join(DIR, "java.pt"))
    assert list(obj) == ["tensors", "epoch", "lr", "name", "list", "nothing", "intKeys"], list(obj)
    assert obj["epoch"] == 3 and obj["lr"] == 0.5 and obj["name"] == "jtensor" and obj["nothing"] is None
    assert obj["list"] == [1, -70000, 2**40, True] and obj["intKeys"] == {0: "zero"}, obj
    want = expected()
    assert list(obj["tensors"]) == list(want)
    for k, v in want.items():
        same(k, obj["tensors"][k], v)
    tr = obj["tensors"]["transposed"]
    assert tr.stride() == (1, 4), tr.stride()
    assert tr.storage().data_ptr() == obj["tensors"]["float32"].storage().data_ptr(), "views share one storage"
    assert obj["tensors"]["row"].storage_offset() == 4


def check_safetensors():
    with open(os.path.join(DIR, "java.safetensors"), "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    assert n % 8 == 0
    header = json.loads(data[8:8 + n])
    assert header.pop("__metadata__") == {"writer": "jtensor"}
    want = expected()
    assert list(header) == list(want)
    end = 0
    for k, v in want.items():
        h = header[k]
        b, e = h["data_offsets"]
        assert b == end, (k, b, end)
        end = e
        raw = bytearray(data[8 + n + b:8 + n + e])
        dt = ST[h["dtype"]]
        if dt == torch.bfloat16:
            got = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.zeros(0, dtype=dt)
        else:
            got = torch.frombuffer(raw, dtype=dt) if raw else torch.zeros(0, dtype=dt)
        same(k, got.reshape(h["shape"]), v.contiguous())
    assert 8 + n + end == len(data)


check_pt()
check_safetensors()
print("check_weights: PyTorch 1.13 read jtensor's java.pt, java_sd.pt (weights_only) and java.safetensors: OK")
