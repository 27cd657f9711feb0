#!/usr/bin/env python3
"""NumPy's side of bench/NpyBench.java on the same 1 GiB float32 .npy (warm page cache).

  python3 bench/npy_numpy_bench.py /tmp/npybench-1gib.npy
Prints the best and median of 5 runs (after 1 warm-up) for np.load(mmap_mode='r'), memmap + sum,
np.load, np.save (no fsync, like jtensor's -Djtensor.io.fsync=false run).
"""
import os
import statistics
import sys
import time

import numpy as np


def bench(name, fn, unit=1e3, label="ms", runs=5):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * unit)
    print(f"{name:28s} best {min(times):10.3f} {label}   median {statistics.median(times):10.3f} {label}")


def main(path):
    out = path + ".numpy-out.npy"
    def mapped():
        m = np.load(path, mmap_mode="r")
        del m
    bench("np.load(mmap_mode='r')", mapped, unit=1e6, label="us")
    bench("memmap + sum (float32 acc)", lambda: np.load(path, mmap_mode="r").sum())
    bench("np.load", lambda: np.load(path))
    a = np.load(path)
    bench("np.save", lambda: np.save(out, a))
    os.remove(out)
    print(f"numpy {np.__version__}, {a.nbytes} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
