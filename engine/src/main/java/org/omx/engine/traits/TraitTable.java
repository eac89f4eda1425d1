package org.omx.engine.traits;

import org.omx.engine.EngineInputException;

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
 * Phenotypes and covariates for {@code --traits}: a TSV with a header, one row per sample. The
 * sample IDs are the {@code sample_id} column when the header has one, else the first column.
 * Every other column is a trait; empty, {@code NA}, {@code NaN} and {@code .} cells are missing, and
 * a column with any other non-numeric cell is categorical and skipped (the caller logs it).
 * Values come back aligned to the caller's samples; a sample without a row is missing throughout.
 *
 * @param names          numeric trait columns, in file order
 * @param values         {@code values[trait][sample]}, NaN where missing
 * @param skipped        non-numeric columns left out
 * @param matchedSamples how many of the caller's samples have a row
 */
public record TraitTable(List<String> names, double[][] values, List<String> skipped, int matchedSamples) {

    public static final String ID_COLUMN = "sample_id";

    /** Reads {@code file}, aligning values to {@code samples}; malformed files are one-line errors. */
    public static TraitTable read(Path file, List<String> samples) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) throw new EngineInputException(file + ": empty (expected a header: sample_id, then trait columns)");
        String[] header = lines.getFirst().split("\t", -1);
        int idCol = Math.max(0, Arrays.asList(header).indexOf(ID_COLUMN));
        Map<String, String[]> rows = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != header.length)
                throw new EngineInputException(String.format(Locale.ROOT, "%s: line %d has %d fields, the header has %d",
                        file, i + 1, f.length, header.length));
            if (rows.put(f[idCol], f) != null)
                throw new EngineInputException(file + ": line " + (i + 1) + ": sample " + f[idCol] + " listed twice");
        }
        int matched = (int) samples.stream().filter(rows::containsKey).count();
        List<String> names = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            if (c == idCol) continue;
            if (allRowsNumeric(rows, c)) {
                names.add(header[c]);
                values.add(column(rows, samples, c));
            } else {
                skipped.add(header[c]);
            }
        }
        if (names.isEmpty())
            throw new EngineInputException(file + ": no numeric trait column (skipped: " + String.join(", ", skipped) + ")");
        return new TraitTable(List.copyOf(names), values.toArray(double[][]::new), List.copyOf(skipped), matched);
    }

    private static double[] column(Map<String, String[]> rows, List<String> samples, int c) {
        double[] v = new double[samples.size()];
        for (int s = 0; s < v.length; s++) {
            String[] row = rows.get(samples.get(s));
            v[s] = row == null ? Double.NaN : parse(row[c]);
        }
        return v;
    }

    /** A column is a trait only if every row has a number or a missing mark, matched samples or not. */
    private static boolean allRowsNumeric(Map<String, String[]> rows, int c) {
        for (String[] row : rows.values())
            if (!isMissing(row[c]) && Double.isNaN(parse(row[c]))) return false;
        return true;
    }

    static boolean isMissing(String s) {
        String t = s.strip();
        return t.isEmpty() || t.equalsIgnoreCase("NA") || t.equalsIgnoreCase("NaN") || t.equals(".");
    }

    private static double parse(String s) {
        if (isMissing(s)) return Double.NaN;
        try {
            double x = Double.parseDouble(s.strip());
            return Double.isFinite(x) ? x : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
