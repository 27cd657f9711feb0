#!/usr/bin/env python3
"""PyTorch on the same GPU, the same work as dev.jtensor.bench.GpuBench, timed the same way (warm-up, median of
synchronized batches). Prints `name median_ms figure unit` lines with a `torch_` prefix."""
import os, sys, tempfile, time
import numpy as np
import torch

def median(reps, inner, fn):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        for _ in range(inner):
            fn()
        torch.cuda.synchronize()
        t.append((time.perf_counter() - s) * 1e3 / inner)
    t.sort()
    return t[reps // 2]

def report(name, ms, fig, unit):
    print(f"torch_{name:<22} {ms:10.4f} ms {fig:12.2f} {unit}", flush=True)

dev = torch.device("cuda:0")
torch.backends.cuda.matmul.allow_tf32 = False
print("torch", torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0), flush=True)
a = torch.randn(4096, 4096, device=dev); b = torch.randn(4096, 4096, device=dev)
ms = median(10, 5, lambda: a @ b); report("matmul_fp32_4096", ms, 2 * 4096**3 / (ms * 1e-3) / 1e12, "TFLOP/s")
del a, b
for name, half in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
    ha = torch.randn(8192, 8192, device=dev).to(half); hb = torch.randn(8192, 8192, device=dev).to(half)
    ms = median(10, 5, lambda: ha @ hb); report(f"matmul_{name}_8192", ms, 2 * 8192**3 / (ms * 1e-3) / 1e12, "TFLOP/s")
    del ha, hb
n = 256 << 20
x = torch.rand(n, device=dev); y = x + 1
ms = median(10, 3, lambda: x + y); report("add_256M_fp32", ms, 3 * n * 4 / (ms * 1e-3) / 1e9, "GB/s")
ms = median(10, 3, lambda: x.clone()); report("copy_256M_fp32", ms, 2 * n * 4 / (ms * 1e-3) / 1e9, "GB/s")
ms = median(10, 3, lambda: x.sum()); report("sum_256M_fp32", ms, n * 4 / (ms * 1e-3) / 1e9, "GB/s")
del y
s = torch.randn(4096, 4096, device=dev)
ms = median(10, 5, lambda: torch.softmax(s, 1)); report("softmax_4096x4096", ms, 2 * 4096 * 4096 * 4 / (ms * 1e-3) / 1e9, "GB/s")
torch.manual_seed(0)
mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(dev)
opt = torch.optim.SGD(mlp.parameters(), lr=0.01)
bx = torch.randn(64, 784, device=dev); by = torch.randint(0, 10, (64,), device=dev)
def step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(mlp(bx), by)
    loss.backward()
    opt.step()
ms = median(20, 20, step); report("mlp_784_256_10_step_b64", ms, 1e3 / ms, "steps/s")
def step_amp():
    opt.zero_grad()
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = torch.nn.functional.cross_entropy(mlp(bx), by)
    loss.backward()
    opt.step()
ms = median(20, 20, step_amp); report("mlp_step_b64_autocast_bf16", ms, 1e3 / ms, "steps/s")
d = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
path = os.path.join(d, "torch_one_gib.npy")
np.save(path, x.cpu().numpy())
m = np.load(path, mmap_mode="r")
ms = median(5, 1, lambda: torch.from_numpy(m).to(dev)); report("h2d_mapped_npy_1GiB", ms, n * 4 / (ms * 1e-3) / 1e9, "GB/s")
os.remove(path)
