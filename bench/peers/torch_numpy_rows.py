"""PyTorch's and NumPy's columns of issue 12's side-by-side table: the rows of the JMH classes in
bench/src/main/java/dev/jtensor/bench/peers/ (JtensorRows, DjlRows, Nd4jRows), same shapes, float32, CPU.

Each row: one warm-up call, then calls are timed in batches of about 50 ms, 30 batches, and the median
time per call is printed, one line per row:  "<library> <row> <milliseconds> ms".
Rows are named as the JMH methods; NumPy has no softmax op and no autograd, so no softmax1000/mlpStep rows.
Inputs are drawn from fixed seeds (NumPy's generator: the values differ from the Java rows' Workloads
arrays, their distributions do not). "create4M" copies a float32 NumPy array (the Python twin of a Java
float[]: a primitive buffer) into a new tensor (torch.tensor) / array (np.array).

Run (bench/issue12-table.sh does this; PyTorch then runs on the OpenBLAS 0.3.28 jtensor loads, see
bench/torch_ops_bench.py; Debian's torch otherwise links the reference BLAS):
  /usr/bin/python3 bench/peers/torch_numpy_rows.py [threads, default 2] [batches per row, default 30]
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/: the shared timer
from median_timer import timeit  # noqa: E402

FLAT, SQUARE, SOFTMAX, MATMUL, CREATE = 16 * 1024 * 1024, 4096, 1000, 1024, 4 * 1024 * 1024
IN, HIDDEN, CLASSES, BATCH, LR = 784, 256, 10, 256, 0.01


REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 30


def row(library, name, fn):
    print(f"{library:6s} {name:18s} {timeit(fn, REPEAT) * 1e3:12.6f} ms", flush=True)


def torch_rows(rng):
    def t(shape, low=0.0, high=1.0):
        return torch.from_numpy(rng.uniform(low, high, shape).astype(np.float32))

    a, b, out = t(FLAT), t(FLAT), torch.zeros(FLAT)
    tiny_a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    tiny_b = torch.tensor([[5.0, 6.0], [7.0, 8.0]])
    row("torch", "tinyAdd", lambda: tiny_a + tiny_b)
    row("torch", "add16MInPlace", lambda: a.add_(b))
    row("torch", "add16MOut", lambda: torch.add(a, b, out=out))
    row("torch", "add16MAllocating", lambda: a + b)
    row("torch", "sum16M", lambda: a.sum().item())
    m = t((SQUARE, SQUARE))
    row("torch", "sumDim0", lambda: m.sum(0))
    row("torch", "sumDim1", lambda: m.sum(1))
    logits = torch.from_numpy(rng.standard_normal((SOFTMAX, SOFTMAX), dtype=np.float32))
    row("torch", "softmax1000", lambda: torch.softmax(logits, 1))
    x, y = t((MATMUL, MATMUL), -0.5, 0.5), t((MATMUL, MATMUL), -0.5, 0.5)
    row("torch", "matmul1024", lambda: x @ y)
    source = rng.uniform(0, 1, CREATE).astype(np.float32)
    row("torch", "create4M", lambda: torch.tensor(source))

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    data = torch.from_numpy(rng.standard_normal((BATCH, IN), dtype=np.float32))
    labels = torch.from_numpy(rng.integers(0, CLASSES, BATCH))

    def mlp_step():
        optimizer.zero_grad()
        loss = loss_fn(model(data), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    row("torch", "mlpStep", mlp_step)


def numpy_rows(rng):
    def u(shape, low=0.0, high=1.0):
        return rng.uniform(low, high, shape).astype(np.float32)

    a, b, out = u(FLAT), u(FLAT), np.zeros(FLAT, np.float32)
    tiny_a = np.array([[1, 2], [3, 4]], np.float32)
    tiny_b = np.array([[5, 6], [7, 8]], np.float32)
    row("numpy", "tinyAdd", lambda: tiny_a + tiny_b)
    row("numpy", "add16MInPlace", lambda: np.add(a, b, out=a))
    row("numpy", "add16MOut", lambda: np.add(a, b, out=out))
    row("numpy", "add16MAllocating", lambda: a + b)
    row("numpy", "sum16M", lambda: float(a.sum()))
    m = u((SQUARE, SQUARE))
    row("numpy", "sumDim0", lambda: m.sum(0))
    row("numpy", "sumDim1", lambda: m.sum(1))
    x, y = u((MATMUL, MATMUL), -0.5, 0.5), u((MATMUL, MATMUL), -0.5, 0.5)
    row("numpy", "matmul1024", lambda: x @ y)
    source = u(CREATE)
    row("numpy", "create4M", lambda: np.array(source))


if __name__ == "__main__":
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    print(f"# torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}", flush=True)
    torch_rows(np.random.default_rng(0))
    numpy_rows(np.random.default_rng(1))
