package org.omx.engine.network;

import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the WGCNA reference outputs in src/test/resources/fixtures/network (see the README there). */
final class Fixtures {

    static final Path DIR = Path.of("src/test/resources/fixtures/network");

    /** A TSV with a header line and row names in the first column (R's write.table(col.names = NA)). */
    record Table(List<String> columns, List<String> rows, double[][] values) {
        int column(String name) {
            int c = columns.indexOf(name);
            if (c < 0) throw new IllegalArgumentException("no column " + name + " in " + columns);
            return c;
        }

        double[] column(int c) {
            return Arrays.stream(values).mapToDouble(r -> r[c]).toArray();
        }
    }

    private Fixtures() {
    }

    static Table read(String name, boolean rowNames) {
        try {
            List<String> lines = Files.readAllLines(DIR.resolve(name));
            String[] header = lines.getFirst().split("\t", -1);
            List<String> cols = new ArrayList<>(Arrays.asList(header).subList(rowNames ? 1 : 0, header.length));
            List<String> rows = new ArrayList<>();
            double[][] v = new double[lines.size() - 1][];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t", -1);
                if (rowNames) rows.add(f[0]);
                int off = rowNames ? 1 : 0;
                v[i - 1] = new double[f.length - off];
                for (int j = off; j < f.length; j++) v[i - 1][j - off] = f[j].equals("NA") ? Double.NaN : Double.parseDouble(f[j]);
            }
            return new Table(cols, rows, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expression matrix, genes x samples, as float32 (as a store holds it). */
    static FloatMatrix expression() {
        Table t = read("expr.tsv", true);
        int g = t.rows().size();
        int n = t.columns().size();
        float[] data = new float[g * n];
        for (int i = 0; i < g; i++) for (int j = 0; j < n; j++) data[i * n + j] = (float) t.values()[i][j];
        return FloatMatrix.wrap(data, g, n);
    }

    static List<String> genes() {
        return read("expr.tsv", true).rows();
    }

    static double maxAbsDiff(FloatMatrix m, double[][] ref, boolean skipDiagonal) {
        double max = 0;
        for (int i = 0; i < ref.length; i++)
            for (int j = 0; j < ref[i].length; j++) {
                if (skipDiagonal && i == j) continue;
                max = Math.max(max, Math.abs(m.get(i, j) - ref[i][j]));
            }
        return max;
    }
}
