#!/usr/bin/env bash
# Import speed of DelimitedImporter against plain decompression, on the same files in the same run.
#   bench/peers/import_vs_gzip.sh [SIZE_MB] [DATA_DIR]
# Needs bench/target/benchmarks.jar (./mvnw -q -o -DskipTests package). Prints uncompressed import
# MB/s, gzip import MB/s, `gzip -dc` time (best of 3) and the ratio import_time / gzip_time.
set -euo pipefail
SIZE_MB=${1:-256}
DATA_DIR=${2:-${TMPDIR:-/tmp}/omx-import-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/bench/target/benchmarks.jar"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -q -o -DskipTests package" >&2; exit 1; }

# 1. input files (kept in DATA_DIR between runs)
"$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.omx.bench.io.ImportBenchmark "$DATA_DIR" "$SIZE_MB" >/dev/null 2>&1
TSV="$DATA_DIR/expr-${SIZE_MB}MB.tsv"
GZ="$TSV.gz"
BYTES=$(stat -c %s "$TSV")
echo "input: $TSV ($BYTES bytes), $GZ ($(stat -c %s "$GZ") bytes)"

# 2. gzip -dc, best of 3 (after one run to warm the page cache)
gzip -dc "$GZ" >/dev/null
best=""
for _ in 1 2 3; do
  s=$(date +%s.%N); gzip -dc "$GZ" >/dev/null; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
printf 'gzip -dc: %.3f s (best of 3)\n' "$best"

# 3. JMH: SingleShotTime in ms per import
CSV=$(mktemp --suffix=.csv)
"$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" ImportBenchmark \
  -p sizeMb="$SIZE_MB" -p dataDir="$DATA_DIR" -rf csv -rff "$CSV" ${JMH_ARGS:-}

# 4. figures: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: compression",...
for c in plain gzip; do
  ms=$(awk -F, -v c="$c" '{ gsub(/"/, "") } $8 == c { print $5 }' "$CSV")
  [ -n "$ms" ] || continue
  mbs=$(echo "$BYTES / 1000000 / ($ms / 1000)" | bc -l)
  printf 'import %-5s: %8.1f ms  %7.1f MB/s (uncompressed bytes / time)\n' "$c" "$ms" "$mbs"
  if [ "$c" = gzip ]; then
    printf 'ratio import_gzip_time / gzip_dc_time: %.2f\n' "$(echo "($ms / 1000) / $best" | bc -l)"
  fi
done
rm -f "$CSV"
