#!/usr/bin/env bash
# Normalization speed of omx against edgeR, limma and DESeq2 on the same synthetic counts, one run.
#   bench/peers/normalize_vs_r.sh [GENES] [SAMPLES] [DATA_DIR]      (default 20000 x 1000)
# Needs R with edgeR, limma, DESeq2, data.table, and bench/target/benchmarks.jar
# (./mvnw -q -o -DskipTests package). Steps:
#  1. R writes one negative-binomial counts matrix (genes x samples, TSV; seed 1); omx imports it
#     once (not timed).
#  2. R, one session, system.time of each call (elapsed, single-threaded R):
#       edgeR:   calcNormFactors(DGEList(counts)) then cpm(y, log = TRUE)      vs omx logcpm (TMM)
#       limma:   normalizeQuantiles(counts)                                     vs omx quantile
#       DESeq2:  estimateSizeFactors then varianceStabilizingTransformation(blind = TRUE,
#                fitType = "parametric") (what omx vst computes: every gene's dispersion) and, for
#                reference, vst(blind = TRUE) (DESeq2's faster version: dispersion trend from 1000
#                subsampled genes)                                              vs omx vst
#     (preprocessCore::normalize.quantiles fails on Debian 12's build, so limma is the peer.)
#  3. omx through the Java API in one JVM (org.omx.bench.normalize.NormalizeTiming; no JVM start-up
#     counted): each method run twice, cold (JIT warming) and warm; each run reads the store and
#     writes a new one.
#  Prints the times and the ratios R / omx (cold and warm).
set -euo pipefail
GENES=${1:-20000}
SAMPLES=${2:-1000}
DATA_DIR=${3:-${TMPDIR:-/tmp}/omx-normalize-bench}
THREADS=${THREADS:-$(nproc)}
MEMORY_MB=${MEMORY_MB:-2048}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$ROOT/bench/target/benchmarks.jar"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -q -o -DskipTests package" >&2; exit 1; }
mkdir -p "$DATA_DIR"
TSV="$DATA_DIR/counts-${GENES}x${SAMPLES}.tsv"
STORE="$DATA_DIR/counts-${GENES}x${SAMPLES}.omx"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); omx threads $THREADS, memory ${MEMORY_MB} MB"

# 1. data
if [ ! -f "$TSV" ]; then
  Rscript -e "
    suppressPackageStartupMessages(library(data.table)); set.seed(1)
    G <- $GENES; N <- $SAMPLES
    mu <- exp(rnorm(G, log(100), 1.8)); lib <- runif(N, 0.5, 2)
    m <- matrix(rnbinom(G * N, mu = outer(mu, lib), size = 1 / (0.05 + 1 / mu)), G, N)
    d <- data.table(gene = sprintf('G%05d', 1:G), m); setnames(d, c('gene', sprintf('S%04d', 1:N)))
    fwrite(d, '$TSV', sep = '\t')"
fi
[ -d "$STORE" ] || "$ROOT/omx" import "$TSV" -o "$STORE" --units counts -q

# 2. R
RLOG="$DATA_DIR/r-times.txt"
Rscript -e "
  suppressPackageStartupMessages({ library(data.table); library(edgeR); library(limma); library(DESeq2) })
  d <- fread('$TSV', sep = '\t'); counts <- as.matrix(d[, -1]); rownames(counts) <- d[[1]]; storage.mode(counts) <- 'integer'
  el <- function(e) unname(system.time(e)['elapsed'])
  t1 <- el({ y <- calcNormFactors(DGEList(counts), method = 'TMM'); l <- cpm(y, log = TRUE) })
  cat('edgeR', t1, '\n')
  x <- counts; storage.mode(x) <- 'double'
  t2 <- el(q <- normalizeQuantiles(x))
  cat('limma', t2, '\n')
  dds <- DESeqDataSetFromMatrix(counts, data.frame(row.names = colnames(counts), x = rep(1, ncol(counts))), ~ 1)
  t3 <- el({ dds2 <- estimateSizeFactors(dds); v <- varianceStabilizingTransformation(dds2, blind = TRUE, fitType = 'parametric') })
  cat('deseq2_vst_all', t3, '\n')
  t4 <- el({ dds3 <- estimateSizeFactors(dds); v2 <- vst(dds3, blind = TRUE) })
  cat('deseq2_vst_nsub', t4, '\n')
" 2>/dev/null | tee "$RLOG"

# 3. omx
OLOG="$DATA_DIR/omx-times.txt"
"$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.omx.bench.normalize.NormalizeTiming \
  "$STORE" "$DATA_DIR" "$THREADS" "$MEMORY_MB" logcpm,quantile,vst 2>/dev/null | tee "$OLOG"

# 4. ratios
r() { awk -v k="$1" '$1 == k { print $2 }' "$RLOG"; }
o() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$OLOG"; }
ratio() { printf '%-44s R %8.2f s  omx cold %7.2f s  warm %7.2f s  ratio cold %6.1fx  warm %6.1fx\n' \
  "$1" "$2" "$3" "$4" "$(echo "$2 / $3" | bc -l)" "$(echo "$2 / $4" | bc -l)"; }
echo "size: $GENES genes x $SAMPLES samples"
ratio "TMM + log-CPM (edgeR)" "$(r edgeR)" "$(o logcpm 2)" "$(o logcpm 3)"
ratio "quantile (limma normalizeQuantiles)" "$(r limma)" "$(o quantile 2)" "$(o quantile 3)"
ratio "size factors + VST, all genes (DESeq2)" "$(r deseq2_vst_all)" "$(o vst 2)" "$(o vst 3)"
ratio "size factors + vst() nsub=1000 (DESeq2)" "$(r deseq2_vst_nsub)" "$(o vst 2)" "$(o vst 3)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
