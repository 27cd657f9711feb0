"""Prints issue 12's side-by-side table (markdown) from one bench/issue12-table.sh session's raw outputs:
  DIR/jmh.json     JMH's -rf json of JtensorRows, DjlRows, Nd4jRows (one row = one method name)
  DIR/python.txt   bench/peers/torch_numpy_rows.py: "<torch|numpy> <row> <ms> ms" lines
  DIR/stream.txt   bench/native/stream_cpu.c: "<key> <ms> ms ..." lines, the machine's read/write limit
Usage: python3 bench/peers/issue12_table.py DIR
"""
import json
import re
import sys

# (JMH method, row label, stream_cpu key of the row's limit or None where the row is not memory-bound)
ROWS = [
    ("tinyAdd", "2x2 add, allocating + close", None),
    ("add16MInPlace", "16M add in place `a.add_(b)`", "add_inplace"),
    ("add16MOut", "16M add into out `add(a, b, out)`", "add_out"),
    ("add16MAllocating", "16M add allocating `a.add(b)` + close", "add_out"),
    ("sum16M", "16M sum", "sum"),
    ("sumDim0", "sum along dim 0 of 4096x4096", "sum"),
    ("sumDim1", "sum along dim 1 of 4096x4096", "sum"),
    ("softmax1000", "softmax 1000x1000 along dim 1", None),
    ("matmul1024", "matmul 1024x1024x1024", None),
    ("create4M", "tensor from a `float[4M]`", "copy_4M"),
    ("mlpStep", "MLP 784-256-10 training step, batch 256", None),
]
JMH_COLUMNS = [("jtensor", "JtensorRows"), ("DJL", "DjlRows"), ("ND4J", "Nd4jRows")]
# Cells a library cannot fill, and why (the classes' javadoc has the detail).
MISSING = {
    ("DJL", "add16MOut"): "— (no out=)",
    ("numpy", "softmax1000"): "— (no op)",
    ("numpy", "mlpStep"): "— (no autograd)",
}
UNIT_MS = {"ns/op": 1e-6, "us/op": 1e-3, "ms/op": 1.0, "s/op": 1e3}


def jmh_scores(path):
    """{(class, method): (ms, error ms)} from JMH's JSON."""
    scores = {}
    with open(path) as f:
        for entry in json.load(f):
            cls, method = entry["benchmark"].split(".")[-2:]
            metric = entry["primaryMetric"]
            scale = UNIT_MS[metric["scoreUnit"]]
            error = metric.get("scoreError")
            error = error * scale if isinstance(error, (int, float)) and error == error else None
            scores[(cls, method)] = (metric["score"] * scale, error)
    return scores


def line_scores(path, pattern):
    """{key: ms} from the lines of a text output matching pattern (groups: key, ms)."""
    scores = {}
    try:
        with open(path) as f:
            for line in f:
                m = re.match(pattern, line)
                if m:
                    scores[m.group(1)] = float(m.group(2))
    except FileNotFoundError:
        pass
    return scores


def typical_of(medians, key):
    return medians.get(key) if key else None


def time_cell(ms, error=None):
    if ms is None:
        return "—"
    unit, scale = ("us", 1e3) if ms < 0.1 else ("ms", 1.0)
    text = f"{ms * scale:.3g}" if ms * scale < 100 else f"{ms * scale:.0f}"
    if error is not None:
        text += f" ± {error * scale:.2g}"
    return f"{text} {unit}"


def ratio_cell(numerator, denominator):
    return f"{numerator / denominator:.2f}" if numerator and denominator else "—"


def main(directory):
    jmh = jmh_scores(f"{directory}/jmh.json")
    python = line_scores(f"{directory}/python.txt", r"^(\w+\s+\w+)\s+([\d.]+) ms")
    python = {tuple(k.split()): v for k, v in python.items()}
    stream = line_scores(f"{directory}/stream.txt", r"^(\w+)\s+([\d.]+) ms")
    stream_median = line_scores(f"{directory}/stream.txt", r"^(\w+)\s.*median ([\d.]+) ms")
    print("| workload (float32) | jtensor | DJL (libtorch 2.5.1) | ND4J | PyTorch 1.13 | NumPy | limit (C STREAM loop) "
          "| jtensor/DJL | jtensor/limit (best; median) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for method, label, limit_key in ROWS:
        cells, values = [], {}
        for name, cls in JMH_COLUMNS:
            score = jmh.get((cls, method))
            values[name] = score[0] if score else None
            cells.append(MISSING.get((name, method)) or (time_cell(*score) if score else "not run"))
        for name, key in (("PyTorch", "torch"), ("NumPy", "numpy")):
            ms = python.get((key, method))
            cells.append(MISSING.get((key, method)) or (time_cell(ms) if ms is not None else "not run"))
        limit = stream.get(limit_key) if limit_key else None
        median_text = f", median {time_cell(typical_of(stream_median, limit_key))}" if typical_of(stream_median, limit_key) else ""
        cells.append(f"{time_cell(limit)} ({limit_key}{median_text})" if limit else "—")
        cells.append(ratio_cell(values["jtensor"], values["DJL"]))
        typical = stream_median.get(limit_key) if limit_key else None
        cells.append(ratio_cell(values["jtensor"], limit) + (f"; {ratio_cell(values['jtensor'], typical)}" if typical else ""))
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print("jtensor, DJL, ND4J: JMH score ± 99.9% error; PyTorch, NumPy: median of repeated batches; limit: best (and median) of 30 "
          "passes of a C loop (add_inplace a += b, add_out c = a + b, sum: read of 16M floats, copy_4M: c = a on 4M "
          "floats). Ratios below 1: jtensor faster. Threads: each JVM library at its default (every core; jmh.txt "
          "prints each fork's count), PyTorch at the script's THREADS; NumPy's loops are single-threaded, its "
          "matmul is OpenBLAS's. MLP: batch 256 as MlpTrainBench (which itself runs jtensor on 1 thread).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
