"""PyTorch's side of the nn benchmarks (bench/results/nn.md), on the CPU, one thread.

Run:  OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py
(TORCH_THREADS=2 with OPENBLAS_NUM_THREADS=2 for two threads; see bench/results/nn.md for the BLAS it loads)
(without those variables Debian's OpenBLAS 0.3.21 misdetects this CPU and sgemm is ~10x slower).
Measures the two cases of AutogradBench and MlpTrainBench:
  autograd: y = (x * w + b).sum(); y.backward() on 0-d float32 tensors
  mlp step: forward 784-256-10 (ReLU), cross entropy, backward, SGD update, batch 256, float32
"""
import os
import time
import torch
import torch.nn as nn

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))


def bench(fn, seconds=2.0, warmup=0.5):
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return (time.perf_counter() - t0) / n


x = torch.tensor(3.0)
w = torch.tensor(4.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)


def autograd_step():
    y = (x * w + b).sum()
    y.backward()


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
data = torch.randn(256, 784)
labels = torch.randint(0, 10, (256,))
loss_fn = nn.CrossEntropyLoss()


def mlp_step():
    opt.zero_grad()
    loss = loss_fn(model(data), labels)
    loss.backward()
    opt.step()


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
print(f"autograd scalar (x*w+b).sum().backward(): {bench(autograd_step) * 1e6:.2f} us/op")
print(f"MLP 784-256-10 train step, batch 256:     {bench(mlp_step, 3.0) * 1e3:.3f} ms/op")
