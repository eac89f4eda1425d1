package org.omx.engine.factorize;

import org.omx.engine.traits.TraitTable;

import org.omx.engine.network.StudentT;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Factors against phenotypes and covariates: Pearson correlation of every factor's scores with every
 * numeric trait over the samples that have both, a two-sided Student t test on n - 2 degrees of
 * freedom ({@code t = r sqrt((n - 2) / (1 - r^2))}), and Benjamini-Hochberg q-values across the whole
 * factor x trait table. Traits come from a {@link TraitTable}.
 */
public final class FactorTraits {

    public record Row(String factor, String trait, int n, double r, double t, double p, double q) {
    }

    private FactorTraits() {
    }

    /**
     * @param scores [factor][sample], samples in the order of {@code sampleIds}
     * @param traits read for the same {@code sampleIds}
     */
    public static List<Row> correlate(List<String> sampleIds, List<String> factorNames, double[][] scores, TraitTable traits) {
        List<Row> out = new ArrayList<>();
        for (int f = 0; f < scores.length; f++)
            for (int t = 0; t < traits.names().size(); t++) {
                double sx = 0, sy = 0;
                int n = 0;
                double[] x = new double[sampleIds.size()], y = new double[sampleIds.size()];
                for (int i = 0; i < sampleIds.size(); i++) {
                    double v = traits.values()[t][i];
                    if (!Double.isFinite(v) || !Double.isFinite(scores[f][i])) continue;
                    x[n] = scores[f][i];
                    y[n] = v;
                    sx += x[n];
                    sy += y[n];
                    n++;
                }
                double r = Double.NaN, tt = Double.NaN, p = Double.NaN;
                if (n >= 3) {
                    double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
                    for (int i = 0; i < n; i++) {
                        sxy += (x[i] - mx) * (y[i] - my);
                        sxx += (x[i] - mx) * (x[i] - mx);
                        syy += (y[i] - my) * (y[i] - my);
                    }
                    if (sxx > 0 && syy > 0) {
                        r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
                        tt = Math.abs(r) == 1 ? Math.copySign(Double.POSITIVE_INFINITY, r) : r * Math.sqrt((n - 2) / (1 - r * r));
                        p = Double.isInfinite(tt) ? 0 : StudentT.twoSidedP(tt, n - 2);
                    }
                }
                out.add(new Row(factorNames.get(f), traits.names().get(t), n, r, tt, p, Double.NaN));
            }
        double[] q = benjaminiHochberg(out.stream().mapToDouble(Row::p).toArray());
        List<Row> withQ = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Row r = out.get(i);
            withQ.add(new Row(r.factor(), r.trait(), r.n(), r.r(), r.t(), r.p(), q[i]));
        }
        return withQ;
    }

    /** BH q-values over the finite p-values (NaN stays NaN and is not counted). */
    static double[] benjaminiHochberg(double[] p) {
        Integer[] idx = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) if (!Double.isNaN(p[i])) idx[m++] = i;
        Integer[] order = Arrays.copyOf(idx, m);
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        double min = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            min = Math.min(min, p[i] * m / rank);
            q[i] = min;
        }
        return q;
    }

    public static void write(Path file, List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("factor\ttrait\tn\tr\tt\tp\tq_bh\n");
            for (Row r : rows)
                w.write(String.format(Locale.ROOT, "%s\t%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g%n", r.factor(), r.trait(), r.n(), r.r(), r.t(), r.p(), r.q()));
        }
    }
}
