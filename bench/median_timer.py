"""The timer of the Python benchmark scripts (bench/torch_ops_bench.py, bench/peers/torch_numpy_rows.py): one
warm-up call, then calls timed in batches of about batch_seconds (or of `number` calls), `repeat` batches; the
median seconds per call."""
import time


def timeit(fn, repeat=30, number=None, batch_seconds=0.05):
    fn()
    if number is None:
        t0 = time.perf_counter()
        fn()
        number = max(1, int(batch_seconds / max(time.perf_counter() - t0, 1e-9)))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    times.sort()
    return times[len(times) // 2]
