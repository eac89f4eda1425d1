#!/usr/bin/env bash
# omx network against R WGCNA (2 threads) on the same simulated data, and Pearson correlation against
# numpy in the same run.
#   bench/peers/network_vs_wgcna.sh [SAMPLES=500] [GENES=5000] [CORR_FEATURES=10000] [CORR_SAMPLES=1000]
# Needs bench/target/benchmarks.jar and engine/target/omx-engine.jar (./mvnw -q -o -DskipTests package),
# R with WGCNA (loaded without Bioconductor), /usr/bin/python3 with numpy.
# 1. R simulates SAMPLES x GENES with 8 planted modules (network_wgcna.R simulate), omx imports it.
# 2. R WGCNA, timed inside R (pickSoftThreshold over 15 powers, adjacency power 6, TOMsimilarity,
#    hclust average, cutreeDynamic deepSplit 2 minClusterSize 20 PAM off, moduleEigengenes,
#    mergeCloseModules 0.15, kME), allowWGCNAThreads(2).
# 3. omx: the same steps inside one JVM (NetworkBench pipeline: 3 repetitions, the best reported; no
#    JVM start), and the wall time of the CLI `omx network` (JVM start included), both on 2 threads; the
#    CLI runs as users run it (the launcher, --memory 4g), and its peak RSS (/usr/bin/time) is printed beside
#    the estimate of `--plan` under the same settings.
# 4. Pearson FEATURES x SAMPLES: omx (NetworkBench corr: the whole matrix from its lower triangle of
#    panels) vs numpy.corrcoef and numpy float32 X X^T; omx GFLOP/s counts the FLOPs performed (about
#    half the full product) and, separately, the full product's 2 f^2 s.
# The machine may be shared: load averages are printed before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-500}; G=${2:-5000}; CF=${3:-10000}; CS=${4:-1000}
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
BENCH=bench/target/benchmarks.jar
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
[[ -f $BENCH && -f engine/target/omx-engine.jar ]] || { echo "run ./mvnw -q -o -DskipTests package first" >&2; exit 2; }
W=${WORK:-$(mktemp -d)}
trap '[[ -z "${WORK:-}" ]] && rm -rf "$W"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

Rscript bench/peers/network_wgcna.R simulate "$W/sim.tsv" "$N" "$G"
./omx import "$W/sim.tsv" -o "$W/sim.omx" -q

echo "== R WGCNA"
Rscript bench/peers/network_wgcna.R run "$W/sim.tsv" "$W/wgcna-modules.tsv" 2 | tee "$W/wgcna.log"
echo "== omx (in-JVM)"
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx8g -cp "$BENCH" org.omx.bench.network.NetworkBench \
    pipeline "$W/sim.omx" "$W/omx-bench" power=6 threads=2 memory=4g reps=3 2>/dev/null | tee "$W/omx.log"
echo "== omx CLI (wall, JVM start included; the launcher's JVM settings for --memory 4g; peak RSS against the plan's estimate)"
# the plan reads the heap it will touch (the young generation) from its own JVM: same settings as the measured run
./omx network "$W/sim.omx" -o "$W/omx-cli" --power 6 --memory 4g --plan 2>/dev/null | tee "$W/plan.txt" | sed -n '3,4p'
est=$(sed -n 's/^  memory *\([0-9.]*\) MiB estimated peak RSS.*/\1/p' "$W/plan.txt")
/usr/bin/time -f '%e %M' -o "$W/cli.time" \
    ./omx network "$W/sim.omx" -o "$W/omx-cli" --power 6 --power-table --min-module-size 20 --deep-split 2 --threads 2 --memory 4g -q
read -r cli rss < "$W/cli.time"
awk -v c="$cli" -v r="$rss" -v e="$est" 'BEGIN { printf "omx CLI wall %.3f s; peak RSS %.1f MiB, --plan estimate %.1f MiB (%+.1f%%)\n", c, r / 1024, e, 100 * (e - r / 1024) / (r / 1024) }'

wg=$(sed -n 's/^wgcna pipeline \([0-9.]*\) s.*/\1/p' "$W/wgcna.log")
ox=$(sed -n 's/^omx pipeline best \([0-9.]*\) s/\1/p' "$W/omx.log")
ari=$("${PY[@]}" - "$W/wgcna-modules.tsv" "$W/omx-bench/bench-modules.tsv" "$W/sim-truth.tsv" <<'PYEOF'
import sys, math
from collections import Counter
def read(p, col):
    rows = [l.rstrip("\n").split("\t") for l in open(p)][1:]
    return {r[0]: r[col] for r in rows}
def ari(a, b):
    keys = sorted(a); x = [a[k] for k in keys]; y = [b[k] for k in keys]
    c2 = lambda n: n * (n - 1) / 2
    nij = sum(c2(v) for v in Counter(zip(x, y)).values()); ai = sum(c2(v) for v in Counter(x).values())
    bj = sum(c2(v) for v in Counter(y).values()); n = c2(len(x)); e = ai * bj / n; m = (ai + bj) / 2
    return (nij - e) / (m - e)
w, o, t = read(sys.argv[1], 1), read(sys.argv[2], 1), read(sys.argv[3], 1)
print(f"{ari(w, o):.4f} {ari(o, t):.4f} {ari(w, t):.4f}")
PYEOF
)
echo "== Pearson ${CF} x ${CS}"
"${PY[@]}" bench/peers/numpy_corr.py "$CF" "$CS" 3 | tee "$W/np.log"
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx8g -cp "$BENCH" org.omx.bench.network.NetworkBench \
    corr "$CF" "$CS" threads=2 reps=5 2>/dev/null | tee "$W/omxcorr.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

npc=$(sed -n 's/^numpy corrcoef.*best \([0-9.]*\) s/\1/p' "$W/np.log")
npg=$(sed -n 's/^numpy float32 matmul.*, \([0-9.]*\) GFLOP\/s/\1/p' "$W/np.log")
oc=$(sed -n 's/^omx corr best \([0-9.]*\) s, \([0-9.]*\) GFLOP\/s.*/\1/p' "$W/omxcorr.log")
ofull=$(sed -n 's/.*, \([0-9.]*\) GFLOP\/s full-matrix equivalent.*/\1/p' "$W/omxcorr.log")
og=$(sed -n 's/^omx corr best \([0-9.]*\) s, \([0-9.]*\) GFLOP\/s.*/\2/p' "$W/omxcorr.log")
echo
echo "== summary (${N} samples x ${G} genes; Pearson ${CF} x ${CS})"
awk -v wg="$wg" -v ox="$ox" -v cli="$cli" -v ari="$ari" -v npc="$npc" -v npg="$npg" -v oc="$oc" -v og="$og" -v ofull="$ofull" 'BEGIN {
  split(ari, a, " ");
  printf "pipeline: WGCNA %.2f s, omx %.2f s in-JVM (%.1fx), omx CLI %.2f s wall (%.1fx)\n", wg, ox, wg / ox, cli, wg / cli;
  printf "modules: ARI omx vs WGCNA %s, omx vs planted %s, WGCNA vs planted %s\n", a[1], a[2], a[3];
  printf "Pearson: numpy.corrcoef %.3f s, omx %.3f s (%.1fx); numpy float32 matmul %.1f GFLOP/s, omx %.1f GFLOP/s performed (%.0f%%), %.1f GFLOP/s full-matrix equivalent (%.0f%%)\n",
         npc, oc, npc / oc, npg, og, 100 * og / npg, ofull, 100 * ofull / npg }'
