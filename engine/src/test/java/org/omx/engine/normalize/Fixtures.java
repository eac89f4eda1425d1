package org.omx.engine.normalize;

import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the R reference fixtures (see fixtures/normalize/README.md) and builds stores from them. */
final class Fixtures {

    static final Backend BACKEND = Backends.open("cpu", 2, s -> { });

    record Table(List<String> rows, List<String> cols, double[][] values) {
        double[] column(int j) {
            double[] c = new double[values.length];
            for (int i = 0; i < c.length; i++) c[i] = values[i][j];
            return c;
        }
    }

    private Fixtures() {
    }

    static Table read(String name) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/normalize/" + name)) {
            if (in == null) throw new IOException("no fixture " + name);
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            String[] head = lines.getFirst().split("\t");
            List<String> cols = List.of(head).subList(1, head.length);
            List<String> rows = new ArrayList<>();
            double[][] v = new double[lines.size() - 1][];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t");
                rows.add(f[0]);
                v[i - 1] = new double[f.length - 1];
                for (int j = 1; j < f.length; j++) v[i - 1][j - 1] = f[j].equals("NA") ? Double.NaN : Double.parseDouble(f[j]);
            }
            return new Table(rows, cols, v);
        }
    }

    /** A one-column fixture (id, value) as a map. */
    static Map<String, Double> vector(String name) throws IOException {
        Table t = read(name);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < t.rows().size(); i++) m.put(t.rows().get(i), t.values()[i][0]);
        return m;
    }

    static Path store(Path dir, String name, Table t, String units) throws IOException {
        Path p = dir.resolve(name + ".omx");
        try (StoreWriter w = StoreWriter.create(p, t.cols(), StoreDescription.of(name, "transcriptome", units), false)) {
            float[] row = new float[t.cols().size()];
            for (int i = 0; i < t.rows().size(); i++) {
                for (int j = 0; j < row.length; j++) row[j] = (float) t.values()[i][j];
                w.appendRow(t.rows().get(i), row, 0);
            }
            w.commit();
        }
        return p;
    }

    static Path store(Path dir, String name, String fixture) throws IOException {
        return store(dir, name, read(fixture), "counts");
    }

    static NormalizeContext context(long memoryBytes, List<String> log) {
        return new NormalizeContext(BACKEND, memoryBytes, (d, t) -> { }, log::add);
    }

    static NormalizeContext context() {
        return context(64L << 20, new ArrayList<>());
    }

    /** Max absolute difference between a store and a fixture table (same IDs and order); NA must meet NA. */
    static double maxAbsDiff(Path store, Table expected) throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            assertEquals(expected.rows(), s.featureIds());
            assertEquals(expected.cols(), s.sampleIds());
            double max = 0;
            for (int i = 0; i < s.rows(); i++)
                for (int j = 0; j < s.cols(); j++) {
                    double e = expected.values()[i][j];
                    if (Double.isNaN(e) && Float.isNaN(s.get(i, j))) continue;
                    double d = Math.abs(s.get(i, j) - e);
                    assertTrue(!Double.isNaN(d), "NaN at " + i + "," + j);
                    max = Math.max(max, d);
                }
            return max;
        }
    }

    /** Max relative difference |a - e| / max(|e|, 1). */
    static double maxRelDiff(Path store, Table expected) throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            double max = 0;
            for (int i = 0; i < s.rows(); i++)
                for (int j = 0; j < s.cols(); j++) {
                    double e = expected.values()[i][j];
                    max = Math.max(max, Math.abs(s.get(i, j) - e) / Math.max(1, Math.abs(e)));
                }
            return max;
        }
    }
}
