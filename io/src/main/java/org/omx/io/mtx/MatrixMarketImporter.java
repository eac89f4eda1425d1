package org.omx.io.mtx;

import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.compress.Compression;
import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Imports a Matrix Market coordinate file ({@code %%MatrixMarket matrix coordinate
 * real|integer|pattern general|symmetric}, plain or compressed) into a dense float32 store:
 * matrix rows are features, matrix columns are samples, and every element without an entry is 0.
 *
 * <p>Choices, following the NIST Matrix Market specification (math.nist.gov/MatrixMarket/formats.html)
 * where it speaks and being strict where it does not:
 * <ul>
 *   <li>Repeated entries for the same element are summed (as scipy.sparse and R's Matrix do when
 *       converting triplets to a matrix); the sum is accumulated in float32.</li>
 *   <li>{@code pattern} entries count as 1, so a repeated pattern entry gives 2.</li>
 *   <li>{@code symmetric} files must be square and list only entries on or below the diagonal
 *       (row &ge; column), as the specification says; each off-diagonal entry is mirrored. An entry
 *       above the diagonal is an error rather than a guess, since mirroring it too could double it.</li>
 *   <li>{@code integer} values are stored as float32, exact up to 2^24 in magnitude; {@code real}
 *       values outside the float32 range are an error. NaN and Inf (any case) are accepted in real files.</li>
 *   <li>Comment lines ({@code %...}) and blank lines may appear anywhere after the banner.</li>
 *   <li>Fewer or more entries than the size line declares is an error, as is any line whose
 *       field count does not match the field type (3 for real/integer, 2 for pattern).</li>
 * </ul>
 * Error columns are 1-based character positions in the line.
 */
public final class MatrixMarketImporter {

    private static final int PROGRESS_EVERY = 1 << 16;

    private MatrixMarketImporter() {
    }

    /**
     * Imports {@code mtx} into a new store at {@code target}.
     *
     * @param featureIdsFile one feature ID per matrix row (first tab-separated field of each line, no
     *                       header), or null for {@code row1, row2, ...}
     * @param sampleIdsFile  one sample ID per matrix column, likewise, or null for {@code col1, col2, ...}
     * @param overwrite      replace an existing store at {@code target}
     * @return the metadata of the new store
     */
    public static StoreMeta importFile(Path mtx, Path featureIdsFile, Path sampleIdsFile, Path target,
                                       boolean overwrite, StoreDescription d, Progress p)
            throws IOException, InputFormatException {
        return importFile(mtx, featureIdsFile, "feature", sampleIdsFile, "sample", target, overwrite, d, p);
    }

    /** As the public method, with the words used for the IDs in error messages ("gene", "barcode"). */
    static StoreMeta importFile(Path mtx, Path featureIdsFile, String featureKind, Path sampleIdsFile, String sampleKind,
                                Path target, boolean overwrite, StoreDescription d, Progress p)
            throws IOException, InputFormatException {
        checkTarget(target, overwrite);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compression.open(mtx), StandardCharsets.US_ASCII), 1 << 16)) {
            Parser parser = new Parser(mtx, r);
            try {
                Header h = parser.header();
                IdList features = ids(featureIdsFile, featureKind, "row", h.rows(), mtx, h);
                IdList samples = ids(sampleIdsFile, sampleKind, "col", h.cols(), mtx, h);
                try (MappedStoreWriter w = MappedStoreWriter.create(target, features.ids(), samples.ids(), d, overwrite)) {
                    parser.entries(h, w, p);
                    return w.commit();
                }
            } catch (IOException e) {
                if (parser.reading) throw Compression.describe(mtx, e);
                throw e;
            }
        }
    }

    static void checkTarget(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (!overwrite && Files.exists(target))
            throw new FileAlreadyExistsException(target.toAbsolutePath() + " exists (use --force to replace it)");
    }

    private static IdList ids(Path file, String kind, String prefix, long n, Path mtx, Header h)
            throws IOException, InputFormatException {
        if (file == null) return IdList.generated(prefix, n);
        IdList ids = IdList.read(file, kind);
        if (ids.size() != n)
            throw new InputFormatException(file, "lists " + ids.size() + " " + kind + " IDs but " + mtx
                    + " declares " + n + (prefix.equals("row") ? " rows" : " columns") + " on line " + h.sizeLine());
        return ids;
    }

    enum Field { REAL, INTEGER, PATTERN }

    record Header(Field field, boolean symmetric, long rows, long cols, long entries, long sizeLine) {
    }

    /** Reads the banner, size line and entries; tracks the line number for every error. */
    private static final class Parser {
        private final Path file;
        private final BufferedReader in;
        private long lineNo;
        /** True while the decompressed stream is being read, so an IOException is the input's fault. */
        boolean reading;
        // token boundaries of the current line: up to 4 tokens are recorded, count may exceed 4
        private final int[] start = new int[4];
        private final int[] end = new int[4];
        private int tokens;

        Parser(Path file, BufferedReader in) {
            this.file = file;
            this.in = in;
        }

        private String next() throws IOException {
            reading = true;
            String s = in.readLine();
            reading = false;
            if (s != null) lineNo++;
            return s;
        }

        /** The next line that is neither a comment nor blank, tokenized; null at end of file. */
        private String nextDataLine() throws IOException {
            String s;
            while ((s = next()) != null) {
                tokenize(s);
                if (tokens > 0 && s.charAt(start[0]) != '%') return s;
            }
            return null;
        }

        private void tokenize(String s) {
            tokens = 0;
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
                if (i >= n) return;
                int b = i;
                while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') i++;
                if (tokens < 4) {
                    start[tokens] = b;
                    end[tokens] = i;
                }
                tokens++;
            }
        }

        Header header() throws IOException, InputFormatException {
            String banner = next();
            String expected = "'%%MatrixMarket matrix coordinate real|integer|pattern general|symmetric'";
            if (banner == null) throw new InputFormatException(file, 1, 1, expected, "an empty file");
            String[] t = banner.strip().toLowerCase(Locale.ROOT).split("[ \t]+");
            if (t.length != 5 || !t[0].equals("%%matrixmarket") || !t[1].equals("matrix"))
                throw new InputFormatException(file, 1, 1, expected, banner);
            if (!t[2].equals("coordinate"))
                throw new InputFormatException(file, 1, 1, "a coordinate (sparse) matrix", t[2]);
            Field field = switch (t[3]) {
                case "real" -> Field.REAL;
                case "integer" -> Field.INTEGER;
                case "pattern" -> Field.PATTERN;
                default -> throw new InputFormatException(file, 1, 1, "field real, integer or pattern", t[3]);
            };
            boolean symmetric = switch (t[4]) {
                case "general" -> false;
                case "symmetric" -> true;
                default -> throw new InputFormatException(file, 1, 1, "symmetry general or symmetric", t[4]);
            };
            String size = nextDataLine();
            if (size == null) throw new InputFormatException(file, lineNo + 1, 1, "a size line 'rows columns entries'", "end of file");
            if (tokens != 3) throw new InputFormatException(file, lineNo, 1, "a size line with 3 numbers 'rows columns entries'", size);
            long rows = count(size, 0, "row count");
            long cols = count(size, 1, "column count");
            long entries = count(size, 2, "entry count");
            if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE)
                throw new InputFormatException(file, lineNo, 1, "at most 2^31-1 rows and columns", size);
            if (symmetric && rows != cols)
                throw new InputFormatException(file, lineNo, 1, "a square shape for a symmetric matrix", size);
            return new Header(field, symmetric, rows, cols, entries, lineNo);
        }

        private long count(String s, int token, String what) throws InputFormatException {
            long v = parseUnsigned(s, start[token], end[token]);
            if (v < 0) throw new InputFormatException(file, lineNo, start[token] + 1, "a " + what, s.substring(start[token], end[token]));
            return v;
        }

        void entries(Header h, MappedStoreWriter w, Progress p) throws IOException, InputFormatException {
            int fields = h.field() == Field.PATTERN ? 2 : 3;
            String fieldsWord = h.field() == Field.PATTERN ? "2 fields 'row column' (pattern matrix)"
                    : "3 fields 'row column value'";
            long n = 0;
            String s;
            p.update(0, h.entries());
            while ((s = nextDataLine()) != null) {
                if (tokens != fields) throw new InputFormatException(file, lineNo, 1, fieldsWord, s);
                if (n == h.entries())
                    throw new InputFormatException(file, lineNo, 1, "no more than the " + h.entries()
                            + " entries declared on line " + h.sizeLine(), s);
                long row = index(s, 0, h.rows(), "row");
                long col = index(s, 1, h.cols(), "column");
                float v = h.field() == Field.PATTERN ? 1f : value(s, h.field());
                if (h.symmetric() && row < col)
                    throw new InputFormatException(file, lineNo, start[0] + 1,
                            "an entry on or below the diagonal (row >= column) in a symmetric matrix", s);
                w.set(row - 1, (int) (col - 1), w.get(row - 1, (int) (col - 1)) + v);
                if (h.symmetric() && row != col) w.set(col - 1, (int) (row - 1), w.get(col - 1, (int) (row - 1)) + v);
                if (++n % PROGRESS_EVERY == 0) p.update(n, h.entries());
            }
            if (n != h.entries())
                throw new InputFormatException(file, h.sizeLine(), 1, h.entries() + " entries as declared on this line",
                        "only " + n + " before the end of the file at line " + lineNo);
            p.update(n, h.entries());
        }

        private long index(String s, int token, long max, String what) throws InputFormatException {
            long v = parseUnsigned(s, start[token], end[token]);
            if (v < 1 || v > max)
                throw new InputFormatException(file, lineNo, start[token] + 1, "a " + what + " index from 1 to " + max,
                        s.substring(start[token], end[token]));
            return v;
        }

        private float value(String s, Field field) throws InputFormatException {
            int b = start[2];
            int e = end[2];
            if (field == Field.INTEGER) {
                long v = parseSigned(s, b, e);
                if (v == Long.MIN_VALUE) throw new InputFormatException(file, lineNo, b + 1, "an integer value", s.substring(b, e));
                return (float) v;
            }
            long fast = parseSigned(s, b, e);
            if (fast != Long.MIN_VALUE) return (float) fast;
            String tok = s.substring(b, e);
            if (!isReal(tok)) throw new InputFormatException(file, lineNo, b + 1, "a real value", tok);
            double d = Double.parseDouble(normalizeSpecial(tok));
            float f = (float) d;
            if (Float.isInfinite(f) && !Double.isInfinite(d))
                throw new InputFormatException(file, lineNo, b + 1, "a value within the float32 range (|x| < 3.4e38)", tok);
            return f;
        }
    }

    /** Digits only, at most 18 of them; -1 otherwise. */
    static long parseUnsigned(String s, int b, int e) {
        if (e <= b || e - b > 18) return -1;
        long v = 0;
        for (int i = b; i < e; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** An optionally signed integer of at most 18 digits; Long.MIN_VALUE when not one. */
    static long parseSigned(String s, int b, int e) {
        boolean neg = false;
        if (b < e && (s.charAt(b) == '-' || s.charAt(b) == '+')) {
            neg = s.charAt(b) == '-';
            b++;
        }
        long v = parseUnsigned(s, b, e);
        if (v < 0) return Long.MIN_VALUE;
        return neg ? -v : v;
    }

    /**
     * A decimal number in the C/Fortran notation the specification allows ({@code -1.5e-3}, {@code .5},
     * {@code 2.}), or NaN/Inf/Infinity in any case. Stricter than Double.parseDouble, which would also
     * take Java's {@code 1f}, {@code 2d} and hexadecimal forms.
     */
    static boolean isReal(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        String rest = t.substring(i).toLowerCase(Locale.ROOT);
        if (rest.equals("nan") || rest.equals("inf") || rest.equals("infinity")) return true;
        int digits = 0;
        while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') { i++; digits++; }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
            int exp = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == n;
    }

    private static String normalizeSpecial(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "nan", "+nan", "-nan" -> "NaN";
            case "inf", "+inf", "infinity", "+infinity" -> "Infinity";
            case "-inf", "-infinity" -> "-Infinity";
            default -> t;
        };
    }
}
