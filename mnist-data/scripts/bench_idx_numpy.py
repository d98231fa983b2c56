"""numpy peer of IdxParseBenchmark: np.frombuffer(gzip.open(f).read(), np.uint8, offset=16).

Usage: python3 bench_idx_numpy.py [file] [warmup] [repetitions]; prints key=value lines.
"""
import gzip
import statistics
import sys
import time

import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 5
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 15

times = []
cpu_times = []  # this thread's CPU time: steadier than wall time on a shared machine
for i in range(warmup + reps):
    c0 = time.thread_time()
    t0 = time.perf_counter()
    with gzip.open(path) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)
    s = time.perf_counter() - t0
    c = time.thread_time() - c0
    if i >= warmup:
        times.append(s)
        cpu_times.append(c)
assert images.size == 60000 * 28 * 28 or images.size > 0

print(f"numpy_version={np.__version__}")
print(f"python_version={sys.version.split()[0]}")
print(f"numpy_median_s={statistics.median(times):.4f}")
print(f"numpy_min_s={min(times):.4f}")
print(f"numpy_cpu_median_s={statistics.median(cpu_times):.4f}")
