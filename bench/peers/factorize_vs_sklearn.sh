#!/usr/bin/env bash
# omx factorize against scikit-learn on the same matrices, in the same run; prints ratios.
# Usage: bench/peers/factorize_vs_sklearn.sh [SVD_FEATURES SVD_SAMPLES NMF_FEATURES NMF_SAMPLES]
#   defaults: the issue's shapes, randomized SVD k=20 of 2,000 samples x 100,000 features and
#   NMF k=20, 200 iterations (mu, Frobenius, tol 0) of 1,000 x 5,000.
# Both sides get all cores (OpenBLAS default threads; omx --threads 0). Each side's time is the
# factorization alone (omx: the 'done in' line of its progress, JVM start and TSV import excluded;
# sklearn: the call, loading excluded). The machine may be shared: the load is printed before and after.
# Genotype PCA against plink2 --pca approx needs >= 5,000 samples and is not scripted yet.
set -euo pipefail
cd "$(dirname "$0")/../.."
SVD_M=${1:-100000}; SVD_N=${2:-2000}; NMF_M=${3:-1000}; NMF_N=${4:-5000}
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
OMX=./omx
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${PY[@]}" bench/peers/factorize_peers.py "$out" "$SVD_M" "$SVD_N" "$NMF_M" "$NMF_N" | tee "$out/sk"
$OMX import "$out/svd.tsv" -o "$out/svd.omx" -q
$OMX import "$out/nmf.tsv" -o "$out/nmf.omx" -q
svd=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize svd "$out/svd.omx" -k 20 --oversample 10 --power-iterations 4 -o "$out/svd" ; } 2>&1 )
echo "$svd" | grep -E 'done in|wrote|peakrss'
nmf=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize nmf "$out/nmf.omx" -k 20 --solver mu --init nndsvda --iterations 200 --tolerance 0 -o "$out/nmf" ; } 2>&1 )
echo "$nmf" | grep -E 'done in|wrote|peakrss'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
sk_svd=$(awk '/randomized_svd/ {print $4}' "$out/sk"); sk_nmf=$(awk '/nmf_mu/ {print $4}' "$out/sk")
omx_svd=$(echo "$svd" | sed -n 's/.*factorize svd done in \([0-9.]*\)s.*/\1/p')
omx_nmf=$(echo "$nmf" | sed -n 's/.*factorize nmf done in \([0-9.]*\)s.*/\1/p')
printf '%-40s %10s %10s %8s\n' task "sklearn s" "omx s" "speedup"
printf '%-40s %10s %10s %8.2f\n' "randomized SVD k=20 ${SVD_N}x${SVD_M}" "$sk_svd" "$omx_svd" "$(echo "$sk_svd / $omx_svd" | bc -l)"
printf '%-40s %10s %10s %8.2f\n' "NMF mu k=20 200 it ${NMF_M}x${NMF_N}" "$sk_nmf" "$omx_nmf" "$(echo "$sk_nmf / $omx_nmf" | bc -l)"
grep -E 'sigma1|reconstruction_err' "$out/sk"
grep -o '"reconstruction_error" : [0-9.eE+-]*' "$out/nmf/params.json" || true
head -3 "$out/svd/variance.tsv"
