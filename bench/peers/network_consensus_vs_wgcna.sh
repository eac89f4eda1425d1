#!/usr/bin/env bash
# omx network --consensus against WGCNA's consensus steps (consensusTOM with single-quantile calibration,
# hclust, cutreeDynamic with PAM respecting the dendrogram, consensus mergeCloseModules, multiSetMEs) on
# the same two simulated sets, in one run; prints both times, omx's peak RSS and the ARIs.
#   bench/peers/network_consensus_vs_wgcna.sh [GENES=5000] [SAMPLES1=200] [SAMPLES2=150]
# Needs engine/target/omx-engine.jar (./mvnw -q -o -DskipTests package), R with WGCNA, /usr/bin/python3.
# Hold the shared lock: flock /tmp/omx-bench.lock bash bench/peers/network_consensus_vs_wgcna.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
G=${1:-5000}; N1=${2:-200}; N2=${3:-150}
W=${WORK:-$(mktemp -d)}
trap '[[ -z "${WORK:-}" ]] && rm -rf "$W"' EXIT
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
Rscript bench/peers/network_consensus_wgcna.R simulate "$W/sim" "$G" "$N1" "$N2"
./omx import "$W/sim-set1.tsv" -o "$W/set1.omx" -q
./omx import "$W/sim-set2.tsv" -o "$W/set2.omx" -q
echo "== R WGCNA consensus"
Rscript bench/peers/network_consensus_wgcna.R run "$W/sim-set1.tsv" "$W/sim-set2.tsv" "$W/wgcna-modules.tsv" 2 | tee "$W/wgcna.log"
echo "== omx network --consensus (CLI wall, JVM start included)"
s=$(date +%s.%N)
/usr/bin/time -f "omx peak RSS %M KB" ./omx network "$W/set1.omx" --consensus "$W/set2.omx" -o "$W/omx" --power 6 --pam \
    --min-module-size 20 --deep-split 2 --merge-cut-height 0.15 --threads 2 --memory 1g -q
e=$(date +%s.%N); ox=$(echo "$e - $s" | bc -l)
wg=$(sed -n 's/^wgcna consensus \([0-9.]*\) s.*/\1/p' "$W/wgcna.log")
/usr/bin/python3 - "$W/wgcna-modules.tsv" "$W/omx/modules.tsv" "$W/sim-truth.tsv" <<'PYEOF'
import sys
from sklearn.metrics import adjusted_rand_score as ari
def read(p):
    rows = [l.rstrip("\n").split("\t") for l in open(p)][1:]
    return {r[0]: r[1] for r in rows}
w, o, t = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3])
k = sorted(t)
print(f"ARI omx vs WGCNA {ari([w[g] for g in k], [o[g] for g in k]):.4f}; vs planted: omx {ari([t[g] for g in k], [o[g] for g in k]):.4f}, "
      f"WGCNA {ari([t[g] for g in k], [w[g] for g in k]):.4f}")
PYEOF
printf 'consensus of 2 sets, %s genes (%s + %s samples): WGCNA %.2f s, omx CLI %.2f s, ratio %.1fx\n' "$G" "$N1" "$N2" "$wg" "$ox" "$(echo "$wg / $ox" | bc -l)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
