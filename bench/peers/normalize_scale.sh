#!/usr/bin/env bash
# Scale check: a GENES x SAMPLES counts layer (default 20,000 x 100,000: 8 GB as float32) normalized
# with a 4 GiB --memory budget: TMM + log-CPM and quantile normalization, each under /usr/bin/time -v,
# with the JVM's anonymous and file-backed resident memory sampled every second (file-backed pages
# are the memory-mapped input and output: page cache the kernel reclaims, not heap).
#   flock /tmp/omx-bench.lock bash bench/peers/normalize_scale.sh [GENES] [SAMPLES] [DIR]
# Needs ./mvnw -q -o -DskipTests package first; DIR (default /tmp/norm-scale) needs 2 x 8 GB free and
# is deleted at the end. The jar is copied to DIR so that rebuilding the worktree cannot disturb a run.
set -euo pipefail
GENES=${1:-20000}
SAMPLES=${2:-100000}
DIR=${3:-/tmp/norm-scale}
MEMORY=${MEMORY:-4g}
XMX=${XMX:-5g}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mkdir -p "$DIR/app"
cp -r "$ROOT/engine/target/omx-engine.jar" "$ROOT/engine/target/lib" "$DIR/app/"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); --memory $MEMORY, -Xmx$XMX"
"$JAVA" -cp "$DIR/app/omx-engine.jar" "$ROOT/bench/peers/ScaleCounts.java" "$DIR/counts.omx" "$GENES" "$SAMPLES" 2>/dev/null

run() { # run LABEL METHOD
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC "-Xmx$XMX" \
    -jar "$DIR/app/omx-engine.jar" normalize "$DIR/counts.omx" -o "$DIR/out.omx" -m "$2" --memory "$MEMORY" -f -q \
    2>"$DIR/$1.err" >/dev/null &
  local jp=$! anon=0 file=0 a f t0=$SECONDS
  while kill -0 $jp 2>/dev/null; do
    a=$(awk '/RssAnon/{print $2}' /proc/$jp/status 2>/dev/null || echo 0); f=$(awk '/RssFile/{print $2}' /proc/$jp/status 2>/dev/null || echo 0)
    [ "${a:-0}" -gt $anon ] && anon=$a; [ "${f:-0}" -gt $file ] && file=$f
    sleep 1
  done
  wait $jp
  printf '%-16s wall %5d s  max RssAnon %6.2f GiB  max RssFile %6.2f GiB  load %s\n' "$1" $((SECONDS - t0)) \
    "$(echo "$anon / 1048576" | bc -l)" "$(echo "$file / 1048576" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$DIR/out.omx"
}
run "TMM + log-CPM" logcpm
run "quantile" quantile
rm -rf "$DIR"
