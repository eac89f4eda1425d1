#!/usr/bin/env python3
"""numpy float32 matmul (OpenBLAS SGEMM) at the GemmBenchmark shapes.

Usage: numpy_sgemm.py [MxNxK[:OPS] ...]  (default: 4096x4096x4096 and the correlation shape
10000x10000x1000 as X @ X.T with X 10000 x 1000, the same operands GemmBenchmark multiplies).
Prints threadpoolctl's report (which BLAS, how many threads), then one line per shape:
  numpy MxNxK OPS best <GFLOP/s> median <GFLOP/s>
after one warm-up call, over REPS (env, default 5) timed calls.
"""
import os
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info
    for info in threadpool_info():
        print("threadpoolctl:", {k: info.get(k) for k in ("internal_api", "num_threads", "version",
                                                          "threading_layer", "architecture", "filepath")})
except ImportError:
    print("threadpoolctl: not installed")
print("numpy", np.__version__)

reps = int(os.environ.get("REPS", "5"))
shapes = sys.argv[1:] or ["4096x4096x4096", "10000x10000x1000"]
rng = np.random.default_rng(1)
for spec in shapes:
    dims, _, ops = spec.partition(":")
    m, n, k = (int(x) for x in dims.split("x"))
    if not ops:
        ops = "NT" if (m, n, k) == (10000, 10000, 1000) else "NN"
    a = rng.standard_normal((m, k) if ops[0] == "N" else (k, m), dtype=np.float32)
    b = rng.standard_normal((k, n) if ops[1] == "N" else (n, k), dtype=np.float32)
    opa = a if ops[0] == "N" else a.T
    opb = b if ops[1] == "N" else b.T
    if (m, n, k) == (10000, 10000, 1000) and ops == "NT":
        opb = a.T  # the correlation product X X^T, one operand, as omx computes it
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(opa, opb, out=c)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        np.matmul(opa, opb, out=c)
        times.append(time.perf_counter() - t0)
    times.sort()
    flops = 2.0 * m * n * k
    print(f"numpy {m}x{n}x{k} {ops} best {flops / times[0] / 1e9:.1f} median {flops / times[len(times) // 2] / 1e9:.1f}",
          flush=True)
