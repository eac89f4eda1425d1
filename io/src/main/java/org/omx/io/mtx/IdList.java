package org.omx.io.mtx;

import org.omx.io.InputFormatException;
import org.omx.io.compress.Compression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The row or column IDs of a sparse matrix, read from the first tab-separated field of each line
 * of a file without a header (the 10x {@code features.tsv} / {@code barcodes.tsv} layout), or made
 * up as {@code prefix1, prefix2, ...} when there is no file. IDs must be unique: a repeat is an
 * error naming both lines, because a store addresses features and samples by ID. Blank lines are allowed only at the end.
 *
 * @param file the file the IDs came from, or null when they were generated
 */
record IdList(Path file, List<String> ids) {

    static IdList generated(String prefix, long n) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many IDs: " + n);
        List<String> ids = new ArrayList<>((int) n);
        for (long i = 1; i <= n; i++) ids.add(prefix + i);
        return new IdList(null, ids);
    }

    /** Reads one ID per line (first tab-separated field; further fields such as gene names are ignored). */
    static IdList read(Path file, String kind) throws IOException, InputFormatException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compression.open(file), StandardCharsets.UTF_8))) {
            readLines(file, kind, r, ids, firstLine);
        }
        return new IdList(file, List.copyOf(ids));
    }

    private static void readLines(Path file, String kind, BufferedReader r, List<String> ids, Map<String, Integer> firstLine)
            throws InputFormatException {
        try {
            String line;
            int lineNo = 0;
            int firstBlank = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    // blank lines are tolerated at the end of the file only
                    if (firstBlank == 0) firstBlank = lineNo;
                    continue;
                }
                if (firstBlank != 0)
                    throw new InputFormatException(file, firstBlank, 1, "a " + kind + " ID", "an empty line");
                int tab = line.indexOf('\t');
                String id = (tab < 0 ? line : line.substring(0, tab)).strip();
                if (id.isEmpty())
                    throw new InputFormatException(file, lineNo, 1, "a " + kind + " ID", line);
                Integer prev = firstLine.putIfAbsent(id, lineNo);
                if (prev != null)
                    throw new InputFormatException(file, lineNo, 1, "a " + kind + " ID not already on line " + prev, id);
                ids.add(id);
            }
        } catch (IOException e) {
            throw Compression.describe(file, e);
        }
    }

    int size() {
        return ids.size();
    }
}
