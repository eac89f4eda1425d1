"""The scikit-learn side of factorize_vs_sklearn.sh: writes the inputs as TSV (features as rows,
samples as columns: the omx store orientation) and times the peers on the same matrices.
Usage: factorize_peers.py OUTDIR SVD_FEATURES SVD_SAMPLES NMF_FEATURES NMF_SAMPLES
An OUTDIR that already holds the matrices (NAME.npy, written beside NAME.tsv as read back) is reused:
the random draws are repeated, the slow TSV write and read are not."""
import os
import sys
import time

import numpy as np
import threadpoolctl
from sklearn.decomposition import NMF
from sklearn.utils.extmath import randomized_svd

out, mf, ns, nmf_m, nmf_n = sys.argv[1], *map(int, sys.argv[2:6])
print("threadpools:", [(p["internal_api"], p["num_threads"]) for p in threadpoolctl.threadpool_info()], file=sys.stderr)
rng = np.random.default_rng(1)


def save(name, a, dtype):
    """Writes a as TSV and returns it as read back from the TSV (what omx imports), cached as NAME.npy."""
    npy = f"{out}/{name}.npy"
    if os.path.exists(npy) and os.path.exists(f"{out}/{name}.tsv"):
        return np.load(npy).astype(dtype)
    with open(f"{out}/{name}.tsv", "w") as f:
        f.write("id\t" + "\t".join(f"s{j}" for j in range(a.shape[1])) + "\n")
        for i, row in enumerate(a):
            f.write(f"f{i}\t" + "\t".join(f"{x:.6g}" for x in row) + "\n")
    back = np.loadtxt(f"{out}/{name}.tsv", skiprows=1, usecols=range(1, a.shape[1] + 1), dtype=np.float64)
    np.save(npy, back)
    return back.astype(dtype)


# SVD: features x samples with a decaying spectrum (rank 50) plus noise
a = (rng.standard_normal((mf, 50)) * (0.9 ** np.arange(50))) @ rng.standard_normal((50, ns)) + 0.1 * rng.standard_normal((mf, ns))
a = a.astype(np.float32)
a = save("svd", a, np.float32)
t = time.perf_counter()
U, S, Vt = randomized_svd(a.T, n_components=20, n_oversamples=10, n_iter=4, random_state=0)  # samples x features, as sklearn users call it
print(f"sklearn randomized_svd seconds {time.perf_counter() - t:.3f} sigma1 {S[0]:.6g} sigma20 {S[19]:.6g}")
# exact reference: singular values from the eigenvalues of the float64 Gram matrix (samples x samples)
if os.path.exists(f"{out}/exact_sigma.txt"):
    exact = np.loadtxt(f"{out}/exact_sigma.txt")
else:
    a64 = a.astype(np.float64)
    exact = np.sqrt(np.maximum(np.linalg.eigvalsh(a64.T @ a64)[::-1][:20], 0))
    del a64
    np.savetxt(f"{out}/exact_sigma.txt", exact)
print(f"sklearn randomized_svd max relative error of sigma1..20 vs exact {np.max(np.abs(S[:20] - exact) / exact):.3g}")

x = rng.gamma(2.0, 1.0, (nmf_m, 20)) @ rng.gamma(2.0, 1.0, (20, nmf_n)) + rng.uniform(0, 1, (nmf_m, nmf_n))
x = x.astype(np.float32)
x = save("nmf", x, np.float64)
t = time.perf_counter()
model = NMF(n_components=20, init="nndsvda", solver="mu", beta_loss="frobenius", max_iter=200, tol=0, random_state=0)
model.fit_transform(x)
print(f"sklearn nmf_mu seconds {time.perf_counter() - t:.3f} reconstruction_err {model.reconstruction_err_:.6g}")
