package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The selection-based order statistics and TMM trimming give exactly what sorting and ranking
 * give: the same quantiles and medians, and the same TMM factor as the rank-based trimming
 * (edgeR's {@code rank(ties = "average")} bounds), on data with many ties.
 */
class SelectionTest {

    @Test
    void selectionMatchesSorting() {
        Random r = new Random(7);
        for (int t = 0; t < 2000; t++) {
            int n = 1 + r.nextInt(t < 1000 ? 40 : 3000);
            int distinct = 1 + r.nextInt(t % 3 == 0 ? 5 : 100000);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt(distinct) * 0.5 - 3;
            if (t % 7 == 0) Arrays.sort(v);
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            int k = r.nextInt(n);
            assertEquals(sorted[k], Ranks.select(v.clone(), n, k));
            assertEquals(Ranks.median(sorted.clone(), n), Ranks.medianSelect(v.clone(), n));
            for (double p : new double[]{0, 0.25, 0.5, 0.75, 0.9, 1})
                assertEquals(Ranks.quantile7(sorted.clone(), n, p), Ranks.quantile7Select(v.clone(), n, p));
        }
    }

    @Test
    void tmmTrimmingMatchesRankTrimming() {
        Random r = new Random(11);
        for (int t = 0; t < 300; t++) {
            int g = 5 + r.nextInt(t < 150 ? 60 : 3000);
            double[] obs = new double[g];
            double[] ref = new double[g];
            int max = 1 + r.nextInt(t % 2 == 0 ? 4 : 500);
            for (int i = 0; i < g; i++) {
                obs[i] = r.nextInt(max + 1);
                ref[i] = r.nextInt(max + 1);
            }
            if (t % 5 == 0) for (int i = 0; i < g; i++) obs[i] = ref[i] * 2; // every ratio tied
            double nO = Arrays.stream(obs).sum() + 1;
            double nR = Arrays.stream(ref).sum() + 1;
            assertEquals(rankBased(obs, ref, nO, nR), TmmFactors.factor(obs, ref, nO, nR), "case " + t);
        }
    }

    /** The former implementation: average ranks by sorting, then the bounds on ranks. */
    private static double rankBased(double[] obs, double[] ref, double nO, double nR) {
        int g = obs.length;
        double[] logR = new double[g];
        double[] absE = new double[g];
        double[] v = new double[g];
        int m = 0;
        double maxAbs = 0;
        for (int i = 0; i < g; i++) {
            double lr = log2((obs[i] / nO) / (ref[i] / nR));
            double ae = (log2(obs[i] / nO) + log2(ref[i] / nR)) / 2;
            if (!Double.isFinite(lr) || !Double.isFinite(ae)) continue;
            logR[m] = lr;
            absE[m] = ae;
            v[m] = (nO - obs[i]) / nO / obs[i] + (nR - ref[i]) / nR / ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(lr));
            m++;
        }
        if (m == 0 || maxAbs < 1e-6) return 1;
        double loL = Math.floor(m * TmmFactors.LOGRATIO_TRIM) + 1;
        double hiL = m + 1 - loL;
        double loS = Math.floor(m * TmmFactors.SUM_TRIM) + 1;
        double hiS = m + 1 - loS;
        double[] rankR = new double[m];
        double[] rankE = new double[m];
        Ranks.average(logR, m, rankR);
        Ranks.average(absE, m, rankE);
        double num = 0;
        double den = 0;
        for (int i = 0; i < m; i++) {
            if (rankR[i] >= loL && rankR[i] <= hiL && rankE[i] >= loS && rankE[i] <= hiS) {
                num += logR[i] / v[i];
                den += 1 / v[i];
            }
        }
        double f = num / den;
        if (Double.isNaN(f)) f = 0;
        return Math.pow(2, f);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
