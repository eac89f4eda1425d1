#!/usr/bin/env bash
# SGEMM: numpy/OpenBLAS against omx's CPU backend at the same shapes, in the same run.
# Usage: bench/peers/gemm_vs_numpy.sh [quick]   (from the repository root, after
#   ./mvnw -q -pl bench -am package -DskipTests)
# The omx side runs GemmBenchmark with JMH (throughput, 3 x 4 s warm-up, 5 x 4 s measurement) and
# reads its gflops secondary metric; with "quick" it uses GemmGflops instead (best/median of 5 after
# 2 warm-ups, like the numpy side). Threads: all cores on both sides (numpy: OpenBLAS' default).
# The machine may be shared: the script runs the two sides twice, alternating, and reports the
# best of each, so a burst of load from elsewhere penalizes neither side alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR=bench/target/benchmarks.jar
SHAPES=(4096x4096x4096 10000x10000x1000)
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
[[ -f $JAR ]] || { echo "missing $JAR: run ./mvnw -q -pl bench -am package -DskipTests" >&2; exit 2; }
"${PY[@]}" -c 'import numpy' 2>/dev/null || { echo "/usr/bin/python3 cannot import numpy (see /tmp/reftools.log)" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
nproc_=$(nproc)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
    "${PY[@]}" bench/peers/numpy_sgemm.py "${SHAPES[@]}" | tee -a "$out/numpy"
    if [[ "${1:-}" != quick ]]; then
        "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" GemmBenchmark -p threads=0 \
            -p shape="$(IFS=,; echo "${SHAPES[*]}")" -rf csv -rff "$out/jmh$round.csv" >"$out/jmh$round.log" 2>&1
        # secondary metric rows ("...gemm:gflops"): Score is GFLOP/s; the shape is the "Param: shape" column
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /Param: shape/) col = i; next }
                 $1 ~ /gflops/ { gsub(/"/, ""); print "omx", $col, "jmh", "best", $5, "median", $5 }' \
            "$out/jmh$round.csv" | tee -a "$out/omx"
    else
        "$JAVA" --add-modules jdk.incubator.vector -Xmx8g -cp "$JAR" org.omx.bench.kernels.GemmGflops "${SHAPES[@]}" \
            2>/dev/null | sed -n 's/^gemm \([0-9x]*\) \([NT]*\) float32: best \([0-9.]*\) GFLOP\/s, median \([0-9.]*\).*/omx \1 \2 best \3 median \4/p' \
            | tee -a "$out/omx"
    fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-18s %14s %14s %8s\n' shape "numpy GFLOP/s" "omx GFLOP/s" ratio
for s in "${SHAPES[@]}"; do
    np_=$(awk -v s="$s" '$2 == s { if ($5 > b) b = $5 } END { print b + 0 }' "$out/numpy")
    ox=$(awk -v s="$s" '$2 == s { if ($(NF-2) > b) b = $(NF-2) } END { print b + 0 }' "$out/omx")
    awk -v s="$s" -v a="$np_" -v b="$ox" 'BEGIN { printf "%-18s %14.1f %14.1f %8.2f\n", s, a, b, (a > 0 ? b / a : 0) }'
done
