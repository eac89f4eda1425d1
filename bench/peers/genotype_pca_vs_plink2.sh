#!/usr/bin/env bash
# omx factorize pca of a PLINK .bed against plink2 --pca approx on the same fileset, in the same run;
# prints the times, the ratio and the agreement of the eigenvalues.
# Usage: bench/peers/genotype_pca_vs_plink2.sh [SAMPLES VARIANTS THREADS]
#   defaults: the issue's shape, 5,000 samples x 100,000 variants, 10 PCs, 2 threads for both.
# The fileset is simulated by omx simulate (population structure planted, some calls missing).
# omx's time is its 'done in' line (the factorization; JVM start excluded), plink2's the wall time
# of the whole command (it reads the .bed, computes allele frequencies and the PCA). Both compute the
# missingness-corrected GRM's top eigenpairs by a randomized method; plink2 --pca (exact) is also run
# on request (EXACT=1) as the accuracy reference. The machine may be shared: the load is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}; M=${2:-100000}; T=${3:-2}
out=${OUTDIR:-$(mktemp -d)}
[ -n "${OUTDIR:-}" ] || trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$out/cohort/genotypes.bed" ]; then
  ./omx simulate -o "$out/cohort" --samples "$N" --variants "$M" --genes 10 --proteins 10 --metabolites 10 --taxa 10 >/dev/null
fi
prefix="$out/cohort/genotypes"
plink=$( { /usr/bin/time -f "wall %e peakrss_kb %M" plink2 --bfile "$prefix" --pca approx 10 --threads "$T" --out "$out/plink" >/dev/null; } 2>&1 )
echo "plink2 --pca approx 10 --threads $T: $plink"
omx=$( { /usr/bin/time -f "peakrss_kb %M" ./omx factorize pca "$prefix" -k 10 --threads "$T" -o "$out/omx"; } 2>&1 )
echo "$omx" | grep -E 'plan|passes|done in|wrote|peakrss'
if [ -n "${EXACT:-}" ]; then
  plink2 --bfile "$prefix" --pca 10 --threads "$T" --out "$out/exact" >/dev/null
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
t_plink=$(echo "$plink" | sed -n 's/.*wall \([0-9.]*\).*/\1/p')
t_omx=$(echo "$omx" | sed -n 's/.*factorize pca done in \([0-9.]*\)s.*/\1/p')
printf '%-48s %10s %10s %8s\n' task "plink2 s" "omx s" "speedup"
printf '%-48s %10s %10s %8.2f\n' "genotype PCA 10 PCs ${N}x${M}, $T threads" "$t_plink" "$t_omx" "$(echo "$t_plink / $t_omx" | bc -l)"
ref="$out/plink.eigenval"; [ -f "$out/exact.eigenval" ] && ref="$out/exact.eigenval"
paste <(head -10 "$ref") <(awk 'NR > 1 && NR <= 11 {print $3}' "$out/omx/variance.tsv") |
  awk -v r="$(basename "$ref")" '{d = ($2 - $1) / $1; if (d < 0) d = -d; if (d > m) m = d; printf "PC%d %s %.6g omx %.6g\n", NR, r, $1, $2}
       END {printf "max relative difference of the 10 eigenvalues: %.3g\n", m}'
