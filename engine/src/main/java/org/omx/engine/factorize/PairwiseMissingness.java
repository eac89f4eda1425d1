package org.omx.engine.factorize;

/**
 * plink2's missingness correction of the GRM, in a form a streamed low-rank method can apply.
 *
 * <p>plink2 {@code --pca} (checked against plink2 v2.00a3.5 on fixtures/factorize/geno.*, see the
 * README there) computes {@code GRM_ij = sum_v z_vi z_vj / M_ij} with z the standardized dosage (0
 * where missing) and {@code M_ij} the number of variants called in both samples (monomorphic
 * variants included: they add 0 to the numerator and 1 to M_ij). That elementwise division has no
 * low-rank form, but with calls missing independently {@code M_ij ~ M (1 - r_i)(1 - r_j)} off the
 * diagonal and {@code M_ii = M (1 - r_i)}, r_i the missing fraction of sample i. So
 * {@code M * GRM ~ D Z^T Z D + E} with {@code D = diag(1 / (1 - r_i))} and E the diagonal that makes
 * the diagonal exact: {@code E_ii = s_i / (1 - r_i) - s_i / (1 - r_i)^2}, {@code s_i = sum_v z_vi^2}.
 * On the fixture (1 % missing) the top-10 eigenvalues agree with plink2 to 2e-5 relative; without
 * the correction they are 2 % low. With no missing call, D = I and E = 0 and the operator is
 * exactly {@code Z^T Z}.
 *
 * <p>The statistics are gathered during the source's first pass; the methods below are valid after it.
 */
public interface PairwiseMissingness {

    /** Whether the correction is on (and the statistics will be gathered). */
    boolean correctsMissingness();

    /** {@code 1 / (1 - r_i)}. */
    double[] sampleWeights();

    /** {@code E_ii}. */
    double[] diagonalCorrection();

    /** The trace of the corrected operator: {@code sum_i s_i / (1 - r_i)} = M times the trace of the GRM. */
    double correctedTrace();

    /** M: the variants with at least one call, monomorphic ones included (plink2's divisor). */
    long calledVariants();
}
