"""PyTorch's and NumPy's side of the op benchmarks (ElementwiseBench, TinyOpBench, ReduceBench, MatmulBench),
for bench/RESULTS.md. Same sizes as the JMH benchmarks, CPU, timed with perf_counter (median of repeats).

Run (PyTorch on the same OpenBLAS 0.3.28 jtensor loads; Debian's torch otherwise links the reference BLAS):
  mkdir -p /tmp/torchblas && for l in libblas.so.3 liblapack.so.3; do \
    ln -sf ~/.cache/jtensor/openblas-0.3.28-1.5.11-linux-x86_64/libopenblas.so.0 /tmp/torchblas/$l; done
  LD_LIBRARY_PATH=/tmp/torchblas:$HOME/.cache/jtensor/openblas-0.3.28-1.5.11-linux-x86_64 /usr/bin/python3 bench/torch_ops_bench.py [threads]
"""
import sys

import numpy as np
import torch

from median_timer import timeit

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)


def row(name, seconds, bytes_moved=None, flops=None):
    extra = ""
    if bytes_moved:
        extra += f"  {bytes_moved / seconds / 1e9:7.1f} GB/s"
    if flops:
        extra += f"  {flops / seconds / 1e9:7.1f} GFLOPS"
    unit = (seconds * 1e3, "ms") if seconds >= 1e-4 else (seconds * 1e6, "us")
    print(f"{name:45s} {unit[0]:10.3f} {unit[1]}{extra}")


N = 16 * 1024 * 1024
a, b, out = torch.rand(N), torch.rand(N), torch.empty(N)
print(f"torch {torch.__version__}, numpy {np.__version__}, threads {threads}, BLAS: {torch.__config__.show().count('OpenBLAS') and 'OpenBLAS' or 'see LD_LIBRARY_PATH'}")
row("torch add_ 16M (in place)", timeit(lambda: a.add_(b)), 12 * N)
row("torch add 16M out=", timeit(lambda: torch.add(a, b, out=out)), 12 * N)
row("torch add 16M allocating", timeit(lambda: a + b), 12 * N)
row("torch mul 16M out=", timeit(lambda: torch.mul(a, b, out=out)), 12 * N)
m, v, mo = torch.rand(1000, 1000), torch.rand(1000), torch.empty(1000, 1000)
m2 = torch.rand(1000, 1000)
row("torch broadcast add 1000x1000 + 1000 out=", timeit(lambda: torch.add(m, v, out=mo)))
row("torch contiguous add 1000x1000 out=", timeit(lambda: torch.add(m, m2, out=mo)))
t1, t2 = torch.rand(2, 2), torch.rand(2, 2)
row("torch 2x2 add allocating", timeit(lambda: t1 + t2, number=20000))
n1, n2 = np.random.rand(2, 2).astype(np.float32), np.random.rand(2, 2).astype(np.float32)
row("numpy 2x2 add allocating", timeit(lambda: n1 + n2, number=20000))
s = torch.ones(N)
row("torch sum 16M", timeit(lambda: s.sum()), 4 * N)
row("numpy sum 16M", timeit(lambda: s.numpy().sum()), 4 * N)
q = torch.rand(4096, 4096)
row("torch sum dim 0 of 4096x4096", timeit(lambda: q.sum(0)), 4 * 4096 * 4096)
row("torch sum dim 1 of 4096x4096", timeit(lambda: q.sum(1)), 4 * 4096 * 4096)
row("torch softmax 1000x1000 dim 1", timeit(lambda: torch.softmax(m, 1)))
x, y = torch.rand(1024, 1024), torch.rand(1024, 1024)
row("torch matmul 1024x1024 float32", timeit(lambda: x @ y, repeat=10), flops=2 * 1024 ** 3)
bx, by = torch.rand(64, 128, 128), torch.rand(64, 128, 128)
row("torch bmm 64x128x128", timeit(lambda: torch.bmm(bx, by), repeat=10), flops=2 * 64 * 128 ** 3)
