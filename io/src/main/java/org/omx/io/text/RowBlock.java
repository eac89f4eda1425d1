package org.omx.io.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One chunk of whole lines and, once parsed, its rows: the ID and the values of each data line.
 * Blocks are recycled through a pool, so their arrays are reused from chunk to chunk. A parse error
 * is recorded (relative line, column, what was expected and found) rather than thrown, so that the
 * importer reports the first error in file order however the chunks were scheduled.
 */
final class RowBlock {

    final LineChunkReader.Chunk chunk;
    /** Where parsing starts in the chunk: after the header line for the first chunk. */
    int start;
    /** Lines skipped before {@link #start} (the header). */
    int linesBeforeStart;

    float[] values = new float[0];
    String[] ids = new String[0];
    /** 0-based line of each row relative to the chunk's first line. */
    int[] rowLines = new int[0];
    int rows;
    /** Lines in the chunk, blank ones included. */
    int lines;

    int errorLine = -1;
    int errorColumn;
    String errorExpected;
    String errorFound;

    RowBlock(int chunkBytes) {
        chunk = new LineChunkReader.Chunk(chunkBytes);
    }

    void reset() {
        start = 0;
        linesBeforeStart = 0;
        rows = 0;
        lines = 0;
        errorLine = -1;
        errorExpected = null;
        errorFound = null;
    }

    boolean failed() {
        return errorLine >= 0;
    }

    /**
     * Parses every line of the chunk as {@code ID <delim> v1 <delim> ... v_n}. Blank lines are
     * skipped. Missing values (NA, NaN, nan, empty, '.') become NaN; Inf/-Inf/Infinity are accepted.
     */
    void parse(byte delim, int valuesPerRow) {
        byte[] b = chunk.bytes;
        int end = chunk.length;
        int p = start;
        int line = linesBeforeStart;
        int capacityRows = Math.max(16, (end - p) / Math.max(2, 2 * valuesPerRow + 2) + 16);
        ensureRows(capacityRows);
        float[] v = values;
        int off = 0;
        while (p < end) {
            int lineStart = p;
            int c = b[p];
            if (c == '\n') {
                p++;
                line++;
                continue;
            }
            if (c == '\r' && b[p + 1] == '\n') {
                p += 2;
                line++;
                continue;
            }
            // the ID field
            String id;
            if (c == '"') {
                int q = p + 1;
                StringBuilder sb = null;
                int from = q;
                while (true) {
                    int ch = b[q];
                    if (ch == '\n') {
                        error(line, 1, "a closing quote in the ID", text(b, lineStart, q));
                        return;
                    }
                    if (ch == '"') {
                        if (b[q + 1] == '"') {
                            if (sb == null) sb = new StringBuilder();
                            sb.append(new String(b, from, q + 1 - from, StandardCharsets.UTF_8));
                            q += 2;
                            from = q;
                            continue;
                        }
                        break;
                    }
                    q++;
                }
                String last = new String(b, from, q - from, StandardCharsets.UTF_8);
                id = sb == null ? last : sb.append(last).toString();
                p = q + 1;
            } else {
                int q = p;
                while (c != delim && c != '\n') c = b[++q];
                int idEnd = q;
                if (c == '\n' && idEnd > p && b[idEnd - 1] == '\r') idEnd--;
                id = new String(b, p, idEnd - p, StandardCharsets.UTF_8);
                p = q;
            }
            if (b[p] != delim) {
                raggedError(b, lineStart, line, delim, valuesPerRow);
                return;
            }
            p++;
            if (rows == ids.length) {
                ensureRows(rows * 2);
                v = values;
            }
            if (off + valuesPerRow > v.length) {
                values = v = Arrays.copyOf(v, Math.max(off + valuesPerRow, v.length * 2));
            }
            for (int j = 0; j < valuesPerRow; j++) {
                long parsed = DecimalFloatParser.parse(b, p);
                int q = DecimalFloatParser.end(parsed);
                float x;
                if (q != DecimalFloatParser.NOT_A_NUMBER && isFieldEnd(b, q, delim)) {
                    x = DecimalFloatParser.value(parsed);
                } else {
                    q = fieldEnd(b, p, delim);
                    x = special(b, p, q);
                    if (Float.isNaN(x) && !isMissing(b, p, q)) {
                        error(line, j + 2, "a number (or NA, NaN, Inf, '.', empty)", text(b, p, q));
                        return;
                    }
                }
                v[off + j] = x;
                int t = b[q];
                if (t == delim) {
                    if (j == valuesPerRow - 1) {
                        raggedError(b, lineStart, line, delim, valuesPerRow);
                        return;
                    }
                    p = q + 1;
                } else {
                    // '\n' or "\r\n"
                    if (j != valuesPerRow - 1) {
                        raggedError(b, lineStart, line, delim, valuesPerRow);
                        return;
                    }
                    p = t == '\r' ? q + 2 : q + 1;
                }
            }
            ids[rows] = id;
            rowLines[rows] = line;
            rows++;
            off += valuesPerRow;
            line++;
        }
        lines = line;
    }

    private void ensureRows(int n) {
        if (ids.length < n) {
            ids = Arrays.copyOf(ids, n);
            rowLines = Arrays.copyOf(rowLines, n);
        }
    }

    private static boolean isFieldEnd(byte[] b, int q, byte delim) {
        int t = b[q];
        return t == delim || t == '\n' || (t == '\r' && b[q + 1] == '\n');
    }

    /** End of the field starting at {@code p}: the delimiter, '\n', or the '\r' of "\r\n". */
    private static int fieldEnd(byte[] b, int p, byte delim) {
        int q = p;
        int c = b[q];
        while (c != delim && c != '\n') c = b[++q];
        if (c == '\n' && q > p && b[q - 1] == '\r') q--;
        return q;
    }

    /** NaN for missing-value tokens and unrecognised text (told apart by {@link #isMissing}). */
    private static float special(byte[] b, int p, int q) {
        // tolerate spaces around a value ("1, 2" in hand-written CSV) and quotes (QUOTE_ALL writers)
        while (p < q && b[p] == ' ') p++;
        while (q > p && b[q - 1] == ' ') q--;
        if (q - p >= 2 && b[p] == '"' && b[q - 1] == '"') {
            p++;
            q--;
        }
        int n = q - p;
        if (n == 0) return Float.NaN;
        boolean negative = false;
        int s = p;
        if (b[s] == '-' || b[s] == '+') {
            negative = b[s] == '-';
            s++;
        }
        if (equalsIgnoreCase(b, s, q, "inf") || equalsIgnoreCase(b, s, q, "infinity"))
            return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        long parsed = DecimalFloatParser.parse(b, p);
        if (DecimalFloatParser.end(parsed) == q) return DecimalFloatParser.value(parsed);
        return Float.NaN;
    }

    /** The tokens that mean "no value": NA, NaN (any case), '.', empty. */
    static boolean isMissing(byte[] b, int p, int q) {
        while (p < q && b[p] == ' ') p++;
        while (q > p && b[q - 1] == ' ') q--;
        if (q - p >= 2 && b[p] == '"' && b[q - 1] == '"') {
            p++;
            q--;
        }
        if (p == q) return true;
        if (q - p == 1 && b[p] == '.') return true;
        return equalsIgnoreCase(b, p, q, "na") || equalsIgnoreCase(b, p, q, "nan");
    }

    private static boolean equalsIgnoreCase(byte[] b, int p, int q, String word) {
        if (q - p != word.length()) return false;
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) b[p + i]) != word.charAt(i)) return false;
        }
        return true;
    }

    private void raggedError(byte[] b, int lineStart, int line, byte delim, int valuesPerRow) {
        int fields = 1;
        boolean quoted = false;
        int q = lineStart;
        for (; b[q] != '\n'; q++) {
            if (b[q] == '"') quoted = !quoted;
            else if (b[q] == delim && !quoted) fields++;
        }
        int expectedFields = valuesPerRow + 1;
        int column = fields < expectedFields ? fields + 1 : expectedFields + 1;
        error(line, column, expectedFields + " fields (an ID and " + valuesPerRow + " values, as the header says)",
                fields + " fields");
    }

    private void error(int line, int column, String expected, String found) {
        errorLine = line;
        errorColumn = column;
        errorExpected = expected;
        errorFound = found;
        lines = line;
    }

    private static String text(byte[] b, int p, int q) {
        return new String(b, p, Math.min(q - p, 200), StandardCharsets.UTF_8);
    }
}
