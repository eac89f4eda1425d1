package org.omx.engine.factorize;

import org.omx.io.plink.BedFile;
import org.omx.kernels.api.FloatMatrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Standardized genotypes decoded from a PLINK .bed tile by tile, never stored: row i is variant
 * {@code v_i}, {@code z = (g - 2p) / sqrt(2p(1 - p))} with g the A1 dosage and p the A1 frequency
 * over the variant's non-missing calls (Yang et al. 2011; plink2 {@code --pca} and {@code --make-rel}
 * standardize the same way). A missing call becomes 0 after standardization, i.e. the variant mean
 * (mean imputation, as plink2 and GCTA do). Variants that are monomorphic or have no call at all are
 * dropped (they carry no information and their standardization divides by zero) and counted in the log.
 * Construction reads the packed .bed once for the frequencies: that is a pass over the data.
 */
public final class GenotypeRows implements RowSource, PairwiseMissingness {

    private final BedFile bed;
    private final int[] variants;
    private final float[] center;
    private final float[] scale;
    private final double[] frequency;
    private final List<String> ids;
    private final long calledVariants;
    private boolean correctMissingness = true;
    private int[] missingPerSample;
    private double[] sumSquaresPerSample;
    private boolean statsDone;

    /**
     * Uses the variants of {@code bed} whose IDs are in {@code keep} (all when {@code null}: for an
     * LD-pruned list, e.g. plink's {@code .prune.in}), minus monomorphic and all-missing ones.
     */
    public GenotypeRows(BedFile bed, Collection<String> keep, Consumer<String> log) {
        this.bed = bed;
        Set<String> wanted = keep == null ? null : new HashSet<>(keep);
        List<BedFile.Variant> all = bed.variants();
        int[] chosen = new int[all.size()];
        List<String> names = new ArrayList<>();
        double[] freqs = new double[all.size()];
        int used = 0, listed = 0, mono = 0, allMissing = 0;
        for (int v = 0; v < all.size(); v++) {
            if (wanted != null && !wanted.contains(all.get(v).id())) continue;
            listed++;
            BedFile.AlleleStats st = bed.alleleStats(v);
            if (st.nonMissing() == 0) {
                allMissing++;
                continue;
            }
            double p = st.a1Frequency();
            if (p <= 0 || p >= 1) {
                mono++;
                continue;
            }
            chosen[used] = v;
            freqs[used] = p;
            names.add(all.get(v).id());
            used++;
        }
        if (wanted != null) {
            int unknown = wanted.size() - listed;
            if (unknown > 0) log.accept("genotype PCA: " + unknown + " IDs of the variant list are not in " + bed.bedPath().getFileName());
        }
        if (mono > 0) log.accept("genotype PCA: dropped " + mono + " monomorphic variants");
        if (allMissing > 0) log.accept("genotype PCA: dropped " + allMissing + " variants with no call");
        if (used == 0)
            throw new FactorizeInputException(bed.bedPath() + ": no variant left to factorize (" + listed + " selected, "
                    + mono + " monomorphic, " + allMissing + " with every call missing)");
        this.variants = java.util.Arrays.copyOf(chosen, used);
        this.frequency = java.util.Arrays.copyOf(freqs, used);
        this.center = new float[used];
        this.scale = new float[used];
        for (int i = 0; i < used; i++) {
            double p = frequency[i];
            center[i] = (float) (2 * p);
            scale[i] = (float) (1 / Math.sqrt(2 * p * (1 - p)));
        }
        this.ids = List.copyOf(names);
        this.calledVariants = used + mono;
    }

    /** Turns plink2's missingness correction off (then the operator is the plain {@code Z^T Z}). */
    public GenotypeRows withoutMissingnessCorrection() {
        correctMissingness = false;
        return this;
    }

    @Override
    public boolean correctsMissingness() {
        return correctMissingness;
    }

    private void requireStats() {
        if (!statsDone) throw new IllegalStateException("per-sample statistics are known after the first pass");
    }

    @Override
    public double[] sampleWeights() {
        requireStats();
        double[] d = new double[cols()];
        for (int i = 0; i < d.length; i++) d[i] = 1 / (1 - missingFraction(i));
        return d;
    }

    private double missingFraction(int i) {
        return Math.min(missingPerSample[i] / (double) variants.length, 0.999);
    }

    @Override
    public double[] diagonalCorrection() {
        requireStats();
        double[] e = new double[cols()];
        for (int i = 0; i < e.length; i++) {
            double f = 1 - missingFraction(i);
            e[i] = sumSquaresPerSample[i] / f - sumSquaresPerSample[i] / (f * f);
        }
        return e;
    }

    @Override
    public double correctedTrace() {
        requireStats();
        double t = 0;
        for (int i = 0; i < cols(); i++) t += sumSquaresPerSample[i] / (1 - missingFraction(i));
        return t;
    }

    @Override
    public long calledVariants() {
        return calledVariants;
    }

    public BedFile bed() {
        return bed;
    }

    /** Index in the .bed of row i. */
    public int variantIndex(int row) {
        return variants[row];
    }

    /** A1 frequency of row i. */
    public double frequency(int row) {
        return frequency[row];
    }

    @Override
    public long rows() {
        return variants.length;
    }

    @Override
    public int cols() {
        return bed.nSamples();
    }

    @Override
    public List<String> rowIds() {
        return ids;
    }

    @Override
    public List<String> colIds() {
        return bed.sampleIds();
    }

    @Override
    public long bytesPerTileRow() {
        return 2 * 4L * bed.nSamples();
    }

    /** The .bed is read with positioned reads on the calling thread: one chunk buffer, no mapping. */
    @Override
    public long offHeapBytes() {
        return bed.readBufferBytes();
    }

    @Override
    public void forEachTile(int tileRows, TileVisitor visitor) {
        int n = bed.nSamples();
        float[] raw = new float[tileRows * n];
        float[] tile = new float[tileRows * n];
        int m = variants.length;
        boolean gather = !statsDone;
        int[] miss = gather ? new int[n] : null;
        double[] ss = gather ? new double[n] : null;
        for (int r0 = 0; r0 < m; r0 += tileRows) {
            int t = Math.min(tileRows, m - r0);
            int i = 0;
            while (i < t) {
                // decode the longest run of consecutive .bed variants at once
                int first = variants[r0 + i];
                int run = 1;
                while (i + run < t && variants[r0 + i + run] == first + run) run++;
                bed.decode(first, run, raw, false);
                for (int k = 0; k < run; k++) standardize(raw, k * n, tile, (i + k) * n, n, r0 + i + k);
                if (gather)
                    for (int k = 0; k < run; k++)
                        for (int j = 0; j < n; j++) {
                            if (Float.isNaN(raw[k * n + j])) miss[j]++;
                            float z = tile[(i + k) * n + j];
                            ss[j] += z * z;
                        }
                i += run;
            }
            visitor.accept(FloatMatrix.wrap(tile, t, n), r0);
        }
        if (gather) {
            missingPerSample = miss;
            sumSquaresPerSample = ss;
            statsDone = true;
        }
    }

    private void standardize(float[] src, int from, float[] dst, int to, int n, int row) {
        float c = center[row], s = scale[row];
        for (int j = 0; j < n; j++) {
            float g = src[from + j];
            dst[to + j] = g != g ? 0f : (g - c) * s;
        }
    }

    @Override
    public String describe() {
        return bed.bedPath() + " (" + variants.length + " variants used x " + bed.nSamples() + " samples)";
    }
}
