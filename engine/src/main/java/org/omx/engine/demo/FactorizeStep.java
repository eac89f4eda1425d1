package org.omx.engine.demo;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.GenotypePca;
import org.omx.engine.factorize.Mfa;
import org.omx.engine.factorize.RandomizedSvd;
import org.omx.engine.factorize.SvdResult;
import org.omx.io.Progress;
import org.omx.io.plink.BedFile;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's factorization step: genotype PCA of the simulated .bed (do the planted populations
 * separate?) and MFA across transcriptome log-CPM, proteome and metabolome (log2 of half-minimum
 * imputed intensities; features missing in every sample dropped): does each planted module factor
 * come back as an MFA factor?
 */
final class FactorizeStep {

    private FactorizeStep() {
    }

    /** PC1-2 between/within variance ratio and leave-one-out 5-NN accuracy on PC1..(K-1) by population. */
    static void genotypePca(FactorizeContext ctx, Path bedPath, Path populationsTsv, PrintStream out)
            throws IOException, org.omx.io.InputFormatException {
        Map<String, String> pop = readColumn(populationsTsv, 1);
        int pops = (int) pop.values().stream().distinct().count();
        try (BedFile bed = BedFile.open(bedPath)) {
            int k = Math.max(2, Math.min(10, pops + 2));
            GenotypePca.Result r = GenotypePca.compute(bed, null, new RandomizedSvd.Options(k, 10, 4, RandomizedSvd.Method.SUBSPACE,
                    false, false, 100, 42), true, ctx);
            SvdResult s = r.svd();
            List<String> ids = s.colIds();
            int n = ids.size();
            String[] label = new String[n];
            for (int i = 0; i < n; i++) label[i] = pop.getOrDefault(ids.get(i), "?");
            double ratio = betweenWithin(s, label, 2);
            int dims = Math.max(2, Math.min(k, pops - 1));
            double acc = knnAccuracy(s, label, dims, 5);
            out.printf(Locale.ROOT, "   genotype PCA: %d variants x %d samples, %d passes; eigenvalues PC1 %.3g PC2 %.3g%n",
                    r.rows().rows(), n, s.passes(), r.eigenvalues()[0], r.eigenvalues()[1]);
            out.printf(Locale.ROOT, "   %d planted populations: PC1-2 between/within variance ratio %.2f; leave-one-out 5-NN accuracy on PC1-%d %.3f%n",
                    pops, ratio, dims, acc);
        }
    }

    /** MFA of the three layers; max |corr| of each planted module factor with any MFA factor. */
    static void mfa(FactorizeContext ctx, Path dir, Path logCpm, Path proteome, Path metabolome, Path moduleFactors, PrintStream out)
            throws IOException, org.omx.io.InputFormatException {
        Path work = Files.createDirectories(dir.resolve("factorize"));
        Path prot = logImputed(proteome, work.resolve("proteome.log2.omx"), "proteome");
        Path met = logImputed(metabolome, work.resolve("metabolome.log2.omx"), "metabolome");
        try (MatrixStore a = MatrixStore.open(logCpm); MatrixStore b = MatrixStore.open(prot); MatrixStore c = MatrixStore.open(met)) {
            int k = 10;
            Mfa.Result r = Mfa.fit(List.of(new Mfa.Layer("transcriptome", a), new Mfa.Layer("proteome", b), new Mfa.Layer("metabolome", c)),
                    new Mfa.Options(k, true, 10, 4, 42), ctx);
            StringBuilder ve = new StringBuilder();
            for (int j = 0; j < 3; j++) {
                ve.append(j == 0 ? "" : ";").append(" F").append(j + 1);
                for (int l = 0; l < 3; l++) ve.append(String.format(Locale.ROOT, " %s %.0f%%", r.layerNames().get(l), 100 * r.varianceExplained()[j][l]));
            }
            out.printf(Locale.ROOT, "   MFA (scaled, 1/sigma1^2 weights) of %d samples in common; variance explained%s%n", r.sampleIds().size(), ve);
            List<String> lines = Files.readAllLines(moduleFactors);
            String[] header = lines.getFirst().split("\t");
            Map<String, String[]> rows = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                rows.put(f[0], f);
            }
            for (int m = 1; m < header.length; m++) {
                double best = 0, r2 = 0;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    List<double[]> pairs = new ArrayList<>();
                    for (int i = 0; i < r.sampleIds().size(); i++) {
                        String[] f = rows.get(r.sampleIds().get(i));
                        if (f != null) pairs.add(new double[]{r.score(i, j), Double.parseDouble(f[m])});
                    }
                    double c0 = Math.abs(corr(pairs));
                    r2 += c0 * c0; // MFA scores are centered and mutually orthogonal: R^2 of M on all k is the sum
                    if (c0 > best) {
                        best = c0;
                        arg = j;
                    }
                }
                out.printf(Locale.ROOT, "   planted module factor %s: max |r| with an MFA factor %.3f (F%d); multiple R on all %d factors %.3f%n",
                        header[m], best, arg + 1, k, Math.sqrt(Math.min(1, r2)));
            }
        }
    }

    /** log2 of intensities with each feature's missing values set to half its observed minimum; all-missing features dropped. */
    static Path logImputed(Path in, Path outPath, String name) throws IOException, org.omx.io.InputFormatException {
        try (MatrixStore s = MatrixStore.open(in);
             StoreWriter w = StoreWriter.create(outPath, s.sampleIds(), StoreDescription.of(name, name, "log2 intensity, half-minimum imputed"), true)) {
            int n = s.cols();
            float[] row = new float[n];
            for (long i = 0; i < s.rows(); i++) {
                s.copyRow(i, row, 0);
                double min = Double.POSITIVE_INFINITY;
                for (float x : row) if (Float.isFinite(x) && x > 0) min = Math.min(min, x);
                if (min == Double.POSITIVE_INFINITY) continue;
                for (int j = 0; j < n; j++) row[j] = (float) (Math.log(Float.isFinite(row[j]) && row[j] > 0 ? row[j] : min / 2) / Math.log(2));
                w.appendRow(s.featureIds().get((int) i), row, 0);
            }
            w.commit();
        }
        return outPath;
    }

    static double betweenWithin(SvdResult s, String[] label, int dims) {
        int n = label.length;
        Map<String, double[]> sum = new HashMap<>();
        Map<String, Integer> cnt = new HashMap<>();
        double[] all = new double[dims];
        for (int i = 0; i < n; i++) {
            double[] m = sum.computeIfAbsent(label[i], x -> new double[dims]);
            cnt.merge(label[i], 1, Integer::sum);
            for (int d = 0; d < dims; d++) {
                m[d] += s.score(i, d);
                all[d] += s.score(i, d) / n;
            }
        }
        double between = 0, within = 0;
        for (var e : sum.entrySet()) {
            int c = cnt.get(e.getKey());
            for (int d = 0; d < dims; d++) {
                double mu = e.getValue()[d] / c;
                between += c * (mu - all[d]) * (mu - all[d]);
            }
        }
        for (int i = 0; i < n; i++) {
            double[] m = sum.get(label[i]);
            int c = cnt.get(label[i]);
            for (int d = 0; d < dims; d++) {
                double x = s.score(i, d) - m[d] / c;
                within += x * x;
            }
        }
        return between / within;
    }

    static double knnAccuracy(SvdResult s, String[] label, int dims, int k) {
        int n = label.length, right = 0;
        for (int i = 0; i < n; i++) {
            double[] dist = new double[n];
            Integer[] idx = new Integer[n];
            for (int j = 0; j < n; j++) {
                idx[j] = j;
                double d2 = 0;
                for (int d = 0; d < dims; d++) {
                    double x = s.score(i, d) - s.score(j, d);
                    d2 += x * x;
                }
                dist[j] = j == i ? Double.POSITIVE_INFINITY : d2;
            }
            java.util.Arrays.sort(idx, (a, b) -> Double.compare(dist[a], dist[b]));
            Map<String, Integer> votes = new HashMap<>();
            for (int j = 0; j < Math.min(k, n - 1); j++) votes.merge(label[idx[j]], 1, Integer::sum);
            String best = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (best.equals(label[i])) right++;
        }
        return (double) right / n;
    }

    private static double corr(List<double[]> p) {
        double mx = 0, my = 0;
        for (double[] x : p) {
            mx += x[0];
            my += x[1];
        }
        mx /= p.size();
        my /= p.size();
        double sxy = 0, sxx = 0, syy = 0;
        for (double[] x : p) {
            sxy += (x[0] - mx) * (x[1] - my);
            sxx += (x[0] - mx) * (x[0] - mx);
            syy += (x[1] - my) * (x[1] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
    }

    private static Map<String, String> readColumn(Path tsv, int col) throws IOException {
        Map<String, String> m = new HashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            m.put(f[0], f[col]);
        }
        return m;
    }

    static FactorizeContext context(org.omx.kernels.api.Backend backend, long memoryBytes, Progress p, Consumer<String> log) {
        return new FactorizeContext(backend, memoryBytes, p, log);
    }
}
