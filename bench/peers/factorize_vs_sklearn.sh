#!/usr/bin/env bash
# omx factorize against scikit-learn on the same matrices, in the same run; prints ratios.
# Usage: bench/peers/factorize_vs_sklearn.sh [SVD_FEATURES SVD_SAMPLES NMF_FEATURES NMF_SAMPLES]
#   defaults: the issue's shapes, randomized SVD k=20 of 2,000 samples x 100,000 features and
#   NMF k=20, 200 iterations (mu, Frobenius, tol 0) of 1,000 x 5,000.
# Both sides get all cores (OpenBLAS default threads; omx --threads 0). Each side's time is the
# factorization alone (omx: the 'done in' line of its progress, JVM start and TSV import excluded;
# sklearn: the call, loading excluded), and the same calls through the Java API in one JVM (FactorizeTiming:
# first call cold, best of the 5 later calls warm, since on this VM the first few calls still pay for
# touching the growing old generation's new pages, about 19 us per 4 KiB page; with the launcher's collector, SerialGC). Singular values of both are compared with exact ones (eigenvalues of the
# float64 Gram matrix). The machine may be shared: the load is printed before and after.
# Genotype PCA against plink2 --pca approx: bench/peers/genotype_pca_vs_plink2.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
SVD_M=${1:-100000}; SVD_N=${2:-2000}; NMF_M=${3:-1000}; NMF_N=${4:-5000}
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
OMX=./omx
# FACTORIZE_DATA=DIR keeps the inputs there and reuses them in later runs (writing 100,000 x 2,000 as TSV
# and importing it takes minutes); without it they go to a temporary folder removed at the end.
if [ -n "${FACTORIZE_DATA:-}" ]; then out=$FACTORIZE_DATA; mkdir -p "$out"; else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${PY[@]}" bench/peers/factorize_peers.py "$out" "$SVD_M" "$SVD_N" "$NMF_M" "$NMF_N" | tee "$out/sk"
rm -rf "$out/svd" "$out/nmf" "$out/svd_m" "$out/nmf_h"
[ -n "${FACTORIZE_DATA:-}" ] && [ -d "$out/svd.omx" ] || $OMX import "$out/svd.tsv" -o "$out/svd.omx" -q
[ -n "${FACTORIZE_DATA:-}" ] && [ -d "$out/nmf.omx" ] || $OMX import "$out/nmf.tsv" -o "$out/nmf.omx" -q
svd=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize svd "$out/svd.omx" -k 20 --oversample 10 --power-iterations 4 -o "$out/svd" ; } 2>&1 )
echo "$svd" | grep -E 'done in|wrote|peakrss'
nmf=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize nmf "$out/nmf.omx" -k 20 --solver mu --init nndsvda --iterations 200 --tolerance 0 -o "$out/nmf" ; } 2>&1 )
echo "$nmf" | grep -E 'done in|wrote|peakrss'
# the same factorizations through the Java API in one JVM: first call (cold JIT) and best of the next ones (warm)
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || ./mvnw -q -o -DskipTests package -pl bench -am >&2
jvm_svd=$("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$JAR" org.omx.bench.factorize.FactorizeTiming svd "$out/svd.omx" 0 4096 6 2>/dev/null)
jvm_nmf=$("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$JAR" org.omx.bench.factorize.FactorizeTiming nmf "$out/nmf.omx" 0 4096 6 2>/dev/null)
echo "$jvm_svd"; echo "$jvm_nmf"
# accuracy-matched rows. SVD: the fewest passes (subspace or block Krylov, Q = 0, 1, ..) whose max relative error of
# sigma1..20 is at most sklearn's on the same data; timed by the CLI and in one JVM like the rows above.
FT=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$JAR" org.omx.bench.factorize.FactorizeTiming)
sk_err=$(awk '/randomized_svd max relative error/ {print $NF}' "$out/sk")
match=$("${FT[@]}" svd-match "$out/svd.omx" 0 4096 "$out/exact_sigma.txt" "$sk_err" 2>"$out/match.log"); cat "$out/match.log"; echo "$match"
m_method=$(echo "$match" | awk '{print $2}'); m_q=$(echo "$match" | awk '{print $3}'); m_passes=$(echo "$match" | awk '{print $4}')
if [ "$m_method" != none ]; then
  svd_m=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize svd "$out/svd.omx" -k 20 --oversample 10 --power-iterations "$m_q" --method "$m_method" -o "$out/svd_m" ; } 2>&1 )
  echo "$svd_m" | grep -E 'done in|wrote|peakrss'
  jvm_svd_m=$("${FT[@]}" svd "$out/svd.omx" 0 4096 6 "$m_method" "$m_q" 2>/dev/null); echo "$jvm_svd_m"
fi
# NMF: HALS iterations to reach scikit-learn MU's final reconstruction error (a different solver: labelled as such)
sk_nmf_err=$(awk '/nmf_mu/ {print $NF}' "$out/sk")
hals=$("${FT[@]}" nmf-hals-match "$out/nmf.omx" 0 4096 "$sk_nmf_err" 2>/dev/null); echo "$hals"
h_it=$(echo "$hals" | awk '$2 ~ /^[0-9]+$/ {print $2}')
if [ -n "$h_it" ]; then
  nmf_h=$( { /usr/bin/time -f "peakrss_kb %M" $OMX factorize nmf "$out/nmf.omx" -k 20 --solver hals --init nndsvda --iterations "$h_it" --tolerance 0 -o "$out/nmf_h" ; } 2>&1 )
  echo "$nmf_h" | grep -E 'done in|wrote|peakrss'
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
sk_svd=$(awk '/randomized_svd seconds/ {print $4}' "$out/sk"); sk_nmf=$(awk '/nmf_mu/ {print $4}' "$out/sk")
omx_svd=$(echo "$svd" | sed -n 's/.*factorize svd done in \([0-9.]*\)s.*/\1/p')
omx_nmf=$(echo "$nmf" | sed -n 's/.*factorize nmf done in \([0-9.]*\)s.*/\1/p')
word() { echo "$1" | awk -v w="$2" '{for (i = 1; i < NF; i++) if ($i == w) {print $(i + 1); exit}}'; }
jsvd_cold=$(word "$jvm_svd" cold); jsvd_warm=$(word "$jvm_svd" warm); jnmf_cold=$(word "$jvm_nmf" cold); jnmf_warm=$(word "$jvm_nmf" warm)
printf '%-40s %10s %10s %8s\n' task "sklearn s" "omx s" "speedup"
row() { printf '%-40s %10s %10s %8.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
row "randomized SVD k=20 ${SVD_N}x${SVD_M} CLI" "$sk_svd" "$omx_svd"
row "  same, in-JVM cold" "$sk_svd" "$jsvd_cold"
row "  same, in-JVM warm" "$sk_svd" "$jsvd_warm"
if [ "$m_method" != none ]; then
  omx_svd_m=$(echo "$svd_m" | sed -n 's/.*factorize svd done in \([0-9.]*\)s.*/\1/p')
  row "  accuracy-matched: $m_method q=$m_q ($m_passes passes) CLI" "$sk_svd" "$omx_svd_m"
  row "    same, in-JVM cold" "$sk_svd" "$(word "$jvm_svd_m" cold)"
  row "    same, in-JVM warm" "$sk_svd" "$(word "$jvm_svd_m" warm)"
fi
row "NMF mu k=20 200 it ${NMF_M}x${NMF_N} CLI" "$sk_nmf" "$omx_nmf"
row "  same, in-JVM cold" "$sk_nmf" "$jnmf_cold"
row "  same, in-JVM warm" "$sk_nmf" "$jnmf_warm"
if [ -n "$h_it" ]; then
  omx_nmf_h=$(echo "$nmf_h" | sed -n 's/.*factorize nmf done in \([0-9.]*\)s.*/\1/p')
  row "  HALS to sklearn-MU error ($h_it it) CLI" "$sk_nmf" "$omx_nmf_h"
  row "    same, in-JVM warm" "$sk_nmf" "$(word "$hals" warm)"
fi
grep -E 'sigma1|reconstruction_err' "$out/sk"
grep -o '"reconstruction_error" : [0-9.eE+-]*' "$out/nmf/params.json" || true
head -3 "$out/svd/variance.tsv"
awk 'NR == FNR {e[FNR] = $1; next} FNR > 1 && FNR <= 21 {d = ($2 - e[FNR - 1]) / e[FNR - 1]; if (d < 0) d = -d; if (d > m) m = d}
     END {printf "omx randomized SVD max relative error of sigma1..20 vs exact %.3g\n", m}' "$out/exact_sigma.txt" "$out/svd/variance.tsv"
