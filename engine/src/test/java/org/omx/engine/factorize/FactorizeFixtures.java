package org.omx.engine.factorize;

import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test data for factorizations: stores from arrays, fixture tables, a backend and a context. */
final class FactorizeFixtures {

    static final Backend BACKEND = Backends.open("cpu", 2, s -> { });

    private FactorizeFixtures() {
    }

    static FactorizeContext context(long memoryBytes, List<String> log) {
        return new FactorizeContext(BACKEND, memoryBytes, (d, t) -> { }, log::add);
    }

    static FactorizeContext context() {
        return context(64L << 20, new ArrayList<>());
    }

    /** A store of {@code a} (features x samples) with IDs f0.., s0... */
    static Path store(Path dir, String name, double[][] a) throws IOException {
        List<String> samples = new ArrayList<>();
        for (int j = 0; j < a[0].length; j++) samples.add("s" + j);
        return store(dir, name, a, samples);
    }

    static Path store(Path dir, String name, double[][] a, List<String> samples) throws IOException {
        Path p = dir.resolve(name + ".omx");
        try (StoreWriter w = StoreWriter.create(p, samples, StoreDescription.of(name, "transcriptome", "log"), false)) {
            float[] row = new float[a[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < row.length; j++) row[j] = (float) a[i][j];
                w.appendRow("f" + i, row, 0);
            }
            w.commit();
        }
        return p;
    }

    /** Low rank with decaying spectrum plus noise and feature offsets, values exactly float32. */
    static double[][] lowRank(int m, int n, int rank, double decay, double noise, long seed) {
        Random r = new Random(seed);
        double[][] a = new double[m][n];
        for (int c = 0; c < rank; c++) {
            double s = 10 * Math.pow(decay, c);
            double[] u = new double[m], v = new double[n];
            for (int i = 0; i < m; i++) u[i] = r.nextGaussian();
            for (int j = 0; j < n; j++) v[j] = r.nextGaussian();
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[i][j] += s * u[i] * v[j] / Math.sqrt(m + n);
        }
        for (int i = 0; i < m; i++) {
            double offset = 5 + r.nextDouble();
            for (int j = 0; j < n; j++) a[i][j] = (float) (a[i][j] + offset + noise * r.nextGaussian());
        }
        return a;
    }

    /** Centers (and optionally scales by the sample standard deviation) each row, in double. */
    static double[][] centered(double[][] a, boolean scale) {
        int n = a[0].length;
        double[][] c = new double[a.length][n];
        for (int i = 0; i < a.length; i++) {
            double mu = 0;
            for (double x : a[i]) mu += x;
            mu /= n;
            double ss = 0;
            for (int j = 0; j < n; j++) {
                c[i][j] = a[i][j] - mu;
                ss += c[i][j] * c[i][j];
            }
            double sd = Math.sqrt(ss / (n - 1));
            if (scale) for (int j = 0; j < n; j++) c[i][j] = sd > 0 ? c[i][j] / sd : 0;
        }
        return c;
    }

    /** A tab-separated numeric table under fixtures/factorize with a header line and a leading ID column. */
    static double[][] table(String name) throws IOException {
        try (InputStream in = FactorizeFixtures.class.getResourceAsStream("/fixtures/factorize/" + name)) {
            if (in == null) throw new IOException("no fixture " + name);
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            double[][] v = new double[lines.size() - 1][];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t");
                v[i - 1] = new double[f.length - 1];
                for (int j = 1; j < f.length; j++) v[i - 1][j - 1] = Double.parseDouble(f[j]);
            }
            return v;
        }
    }

    static double[] column(double[][] t, int j) {
        double[] c = new double[t.length];
        for (int i = 0; i < t.length; i++) c[i] = t[i][j];
        return c;
    }

    static double correlation(double[] x, double[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
