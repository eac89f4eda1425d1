"""numpy side of network_vs_wgcna.sh: numpy.corrcoef and float32 X @ X.T at FEATURES x SAMPLES.
Usage: numpy_corr.py FEATURES SAMPLES [reps]. Prints best seconds of each and the matmul's GFLOP/s."""
import sys, time
import numpy as np

f, s = int(sys.argv[1]), int(sys.argv[2])
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
try:
    from threadpoolctl import threadpool_info
    print("numpy threadpools:", [(i.get("internal_api"), i.get("num_threads"), i.get("version"), i.get("architecture")) for i in threadpool_info()])
except ImportError:
    print("numpy threadpools: threadpoolctl not installed")
rng = np.random.default_rng(42)
x = rng.standard_normal((f, s), dtype=np.float32)
flops = 2.0 * f * f * s

def best(fn):
    fn()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); t.append(time.perf_counter() - t0)
    return min(t)

tc = best(lambda: np.corrcoef(x))
print(f"numpy corrcoef {f}x{s} (dtype {np.corrcoef(x[:3]).dtype}): best {tc:.3f} s")
z = x - x.mean(axis=1, keepdims=True)
z /= np.linalg.norm(z, axis=1, keepdims=True)
z = np.ascontiguousarray(z, dtype=np.float32)
tm = best(lambda: z @ z.T)
print(f"numpy float32 matmul {f}x{f}x{s}: best {tm:.3f} s, {flops / tm * 1e-9:.1f} GFLOP/s")
