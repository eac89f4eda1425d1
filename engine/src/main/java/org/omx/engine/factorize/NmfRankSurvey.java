package org.omx.engine.factorize;

import org.omx.engine.network.HierarchicalClustering;
import org.omx.kernels.api.FloatMatrix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rank selection help for NMF (Brunet et al. 2004, PNAS 101:4164): for each rank, several runs from
 * random starts (seeds seed, seed + 1, ...); each run assigns every sample to the factor with its
 * largest H entry; the consensus matrix is the share of runs in which two samples share a factor;
 * the cophenetic correlation is the Pearson correlation between {@code 1 - consensus} and the
 * cophenetic distances of its average-linkage dendrogram (1 = perfectly stable clustering; the usual
 * choice is the rank before it drops). The reconstruction error (best and mean over runs) is reported
 * beside it. The consensus is samples x samples (4 n^2 bytes).
 */
public final class NmfRankSurvey {

    public record Row(int rank, double bestError, double meanError, double cophenetic, int runs) {
    }

    private NmfRankSurvey() {
    }

    public static List<Row> survey(RowSource source, int[] ranks, int runs, Nmf.Options base, FactorizeContext ctx) {
        if (runs < 2) throw new FactorizeInputException("rank survey needs at least 2 runs per rank, not " + runs);
        int n = source.cols();
        if ((long) n * n > Integer.MAX_VALUE) throw new FactorizeInputException("rank survey: " + n + " samples is too many for the consensus matrix");
        List<Row> out = new ArrayList<>();
        for (int k : ranks) {
            float[] consensus = new float[n * n];
            double best = Double.POSITIVE_INFINITY, sum = 0;
            for (int r = 0; r < runs; r++) {
                Nmf.Options o = new Nmf.Options(k, base.solver(), Nmf.Init.RANDOM, base.iterations(), base.tolerance(), 1, base.seed() + r);
                Nmf.Result res = Nmf.fit(source, o, ctx);
                best = Math.min(best, res.reconstructionError());
                sum += res.reconstructionError();
                int[] label = new int[n];
                for (int j = 0; j < n; j++) {
                    int arg = 0;
                    for (int a = 1; a < k; a++) if (res.h()[a * n + j] > res.h()[arg * n + j]) arg = a;
                    label[j] = arg;
                }
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) if (label[i] == label[j]) consensus[i * n + j] += 1f / runs;
            }
            double coph = cophenetic(consensus, n);
            out.add(new Row(k, best, sum / runs, coph, runs));
            ctx.log().accept(String.format(Locale.ROOT, "NMF rank %d: reconstruction error best %.6g, mean %.6g; cophenetic correlation %.4f", k, best, sum / runs, coph));
        }
        return out;
    }

    /** Pearson correlation of {@code 1 - C} and the cophenetic distances of its average-linkage tree (i < j). */
    static double cophenetic(float[] consensus, int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n * n; i++) d[i] = 1 - consensus[i];
        for (int i = 0; i < n; i++) d[i * n + i] = 0;
        float[] original = d.clone();
        HierarchicalClustering.Tree tree = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(d, n, n));
        double[] coph = new double[n * n];
        int[][] members = new int[n - 1][];
        for (int s = 0; s < n - 1; s++) {
            int[] a = side(tree.merge()[s][0], members), b = side(tree.merge()[s][1], members);
            for (int i : a) for (int j : b) coph[i * n + j] = coph[j * n + i] = tree.height()[s];
            int[] m = new int[a.length + b.length];
            System.arraycopy(a, 0, m, 0, a.length);
            System.arraycopy(b, 0, m, a.length, b.length);
            members[s] = m;
        }
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long cnt = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double x = original[i * n + j], y = coph[i * n + j];
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                cnt++;
            }
        double cov = sxy - sx * sy / cnt, vx = sxx - sx * sx / cnt, vy = syy - sy * sy / cnt;
        return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 1; // constant consensus (one stable clustering): 1
    }

    private static int[] side(int label, int[][] members) {
        return label < 0 ? new int[]{-label - 1} : members[label - 1];
    }

    public static void write(Path file, List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("rank\treconstruction_error_best\treconstruction_error_mean\tcophenetic_correlation\truns\n");
            for (Row r : rows)
                w.write(String.format(Locale.ROOT, "%d\t%.6g\t%.6g\t%.6f\t%d%n", r.rank(), r.bestError(), r.meanError(), r.cophenetic(), r.runs()));
        }
    }
}
