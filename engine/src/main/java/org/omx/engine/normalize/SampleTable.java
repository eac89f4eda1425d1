package org.omx.engine.normalize;

import org.omx.io.InputFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tab-separated table of sample annotations (batch, covariates): a header whose first column
 * holds sample IDs, then one line per sample. Columns are looked up by name and aligned to a
 * store's sample order; every error names the file, the line or the ID.
 */
public final class SampleTable {

    private final Path file;
    private final List<String> header;
    private final Map<String, String[]> rows;

    private SampleTable(Path file, List<String> header, Map<String, String[]> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    public static SampleTable read(Path file) throws IOException, InputFormatException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) throw new InputFormatException(file, "empty (expected a header: sample_id, then annotation columns)");
        List<String> header = List.of(lines.getFirst().split("\t", -1));
        Map<String, String[]> rows = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != header.size())
                throw new InputFormatException(file, i + 1, 0, header.size() + " tab-separated fields", f.length + " fields");
            if (rows.put(f[0], f) != null) throw new InputFormatException(file, i + 1, 1, "a sample listed once", "duplicate ID " + f[0]);
        }
        return new SampleTable(file, header, rows);
    }

    /** The values of {@code column} for the given samples, in their order. */
    public List<String> column(String column, List<String> samples) throws InputFormatException {
        int c = header.indexOf(column);
        if (c < 1) throw new InputFormatException(file, "no column '" + column + "' (have: " + String.join(", ", header.subList(1, header.size())) + ")");
        List<String> out = new ArrayList<>(samples.size());
        for (String s : samples) {
            String[] row = rows.get(s);
            if (row == null) throw new InputFormatException(file, "sample " + s + " of the store is not in the table");
            if (row[c].isEmpty() || row[c].equals("NA"))
                throw new InputFormatException(file, "sample " + s + " has no value in column '" + column + "'");
            out.add(row[c]);
        }
        return out;
    }
}
