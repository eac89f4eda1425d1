#!/usr/bin/env bash
# The correlation GEMM (X X^T, float32, C = 10000 x 10000, k = 1000) on the TornadoVM backend against
# the CPU backend, in the same run on the same cores, and their ratio (the issue's target: TornadoVM on
# PoCL, a CPU OpenCL device, within 3x of the CPU backend).
# Usage: bench/peers/tornado_vs_cpu.sh [quick] [SHAPE ...]   (from the repository root, after
#   ./mvnw -q -pl bench -am package -DskipTests with a TornadoVM SDK present)
# quick: C = 4000 x 4000, k = 1000. Both sides run GemmGflops (best and median of 3 after 2 warm-ups,
# transfers included for TornadoVM) in a JVM with TornadoVM's options, twice, alternating, keeping
# the best of each, so a burst of load from elsewhere penalizes neither side alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR=bench/target/benchmarks.jar
SDK="${TORNADOVM_HOME:-}"
[[ -z $SDK && -d ../shared/tornadovm/sdk/share/java/tornado ]] && SDK="$(cd ../shared/tornadovm/sdk && pwd)"
[[ -n $SDK && -d $SDK/share/java/tornado ]] || { echo "no TornadoVM SDK (set TORNADOVM_HOME or see ../shared/tornadovm)" >&2; exit 2; }
[[ -f $JAR ]] || { echo "missing $JAR: run ./mvnw -q -pl bench -am package -DskipTests" >&2; exit 2; }
SHAPES=(10000x10000x1000)
if [[ "${1:-}" == quick ]]; then SHAPES=(4000x4000x1000:NT); shift; fi
[[ $# -gt 0 ]] && SHAPES=("$@")
export TORNADOVM_HOME="$SDK"
# the options `tornado --printJavaFlags` prints, as ./omx passes them
. kernels/tornado/jvm-options.sh
tornado_jvm_options "$SDK"
OPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx8g "${TORNADO_OPTS[@]}")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
    for b in cpu tornado; do
        "$JAVA" "${OPTS[@]}" -cp "$JAR" org.omx.bench.kernels.GemmGflops "${SHAPES[@]}" backend=$b reps=3 2>"$out/err" \
            | sed -n "s/^gemm \([0-9x]*\) \([NT]*\) float32: best \([0-9.]*\) GFLOP\/s, median \([0-9.]*\).*/$b \1 \2 best \3 median \4/p" \
            | tee -a "$out/results" || { cat "$out/err" >&2; exit 1; }
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-18s %14s %16s %12s\n' shape "cpu GFLOP/s" "tornado GFLOP/s" "cpu/tornado"
for s in "${SHAPES[@]}"; do
    s=${s%%:*}
    c=$(awk -v s="$s" '$1 == "cpu" && $2 == s { if ($5 > b) b = $5 } END { print b + 0 }' "$out/results")
    t=$(awk -v s="$s" '$1 == "tornado" && $2 == s { if ($5 > b) b = $5 } END { print b + 0 }' "$out/results")
    awk -v s="$s" -v a="$c" -v b="$t" 'BEGIN { printf "%-18s %14.1f %16.1f %12.2f\n", s, a, b, (b > 0 ? a / b : 0) }'
done
