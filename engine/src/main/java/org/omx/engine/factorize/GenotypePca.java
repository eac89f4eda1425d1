package org.omx.engine.factorize;

import org.omx.io.plink.BedFile;

import java.util.Collection;

/**
 * PCA of genotypes straight from a PLINK .bed, in plink2 {@code --pca}'s convention: eigenvalues
 * and unit eigenvectors of the genomic relationship matrix {@code GRM = Z^T Z / M} (Z the
 * standardized dosages, variants x samples; M the variants with at least one call, monomorphic
 * ones included, as plink2 counts them), with plink2's correction for missing calls (see
 * {@link PairwiseMissingness}). Scores are the eigenvectors times the singular values of
 * {@code Z}, i.e. {@code sqrt(M * eigenvalue)} (what projecting a sample's standardized genotypes on
 * the loadings gives); plink2's .eigenvec holds the unit eigenvectors.
 */
public final class GenotypePca {

    /** The decomposition and the genotype bookkeeping needed to project new samples. */
    public record Result(SvdResult svd, GenotypeRows rows, long divisor) {
        /** GRM eigenvalues, plink2's .eigenval. */
        public double[] eigenvalues() {
            return svd.eigenvalues(divisor);
        }
    }

    private GenotypePca() {
    }

    /** The top-k PCs of the variants in {@code keep} (all when null). Passes include the frequency pass. */
    public static Result compute(BedFile bed, Collection<String> keep, RandomizedSvd.Options o, boolean correctMissingness,
                                 FactorizeContext ctx) {
        GenotypeRows rows = new GenotypeRows(bed, keep, ctx.log());
        if (!correctMissingness) rows.withoutMissingnessCorrection();
        ctx.log().accept("genotype PCA: " + rows.rows() + " variants x " + rows.cols() + " samples (allele frequencies: 1 pass over the packed .bed)");
        RandomizedSvd.Options g = new RandomizedSvd.Options(o.rank(), o.oversample(), o.powerIterations(), o.method(), false, false,
                o.maxPasses(), o.seed());
        ctx.log().accept(RandomizedSvd.plan(rows, g, ctx.memoryBytes(), ctx.backend().name()));
        SvdResult svd = RandomizedSvd.compute(rows, g, ctx);
        // the loadings carry the reference standardization, for projecting new samples
        double[] center = new double[(int) rows.rows()];
        double[] scale = new double[center.length];
        for (int i = 0; i < center.length; i++) {
            double p = rows.frequency(i);
            center[i] = 2 * p;
            scale[i] = 1 / Math.sqrt(2 * p * (1 - p));
        }
        svd = new SvdResult(svd.sigma(), svd.u(), svd.v(), center, scale, svd.totalSumSquares(), svd.passes() + 1, svd.trace(),
                svd.rowIds(), svd.colIds());
        return new Result(svd, rows, rows.calledVariants());
    }
}
