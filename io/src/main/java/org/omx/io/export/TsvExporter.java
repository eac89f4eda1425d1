package org.omx.io.export;

import org.omx.io.PendingFile;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a store as a tab-separated text matrix that R ({@code read.delim}), pandas
 * ({@code read_csv(sep="\t")}) and omx's own TSV importer read back to the same float32 values.
 *
 * <p>Layout: a header line {@code feature_id<TAB>sample1<TAB>...} then one line per feature; with
 * {@code transpose}, {@code sample_id<TAB>feature1<TAB>...} then one line per sample. gzip-compressed
 * when the output name ends in {@code .gz}. The file is written under a temporary sibling name and
 * renamed when complete, replacing any existing file of that name; on failure nothing is left.
 *
 * <p>Values: the shortest decimal that parses back to exactly the same float32
 * ({@link Float#toString}, shortest-repr since JDK 19), with a trailing {@code .0} dropped so that
 * counts read as integers ({@code 3}, not {@code 3.0}); large and tiny magnitudes keep Java's
 * exponent form ({@code 1.0E7}, {@code 1.0E-5}), which all of the above parse. NaN is written
 * {@code NA}, infinities {@code Inf} and {@code -Inf} (R's spelling, also accepted by Python's
 * float()); negative zero as {@code -0}.
 */
public final class TsvExporter {

    /** Floats buffered per column strip when transposing: 32 MiB of heap whatever the shape. */
    private static final long STRIP_FLOATS = 8L << 20;
    private static final int OUT_BUFFER = 1 << 20;

    private TsvExporter() {
    }

    /**
     * Writes {@code store} to {@code out}; {@code transpose} writes samples as rows. Reports lines
     * written (excluding the header) of the total to {@code p}.
     */
    public static void export(MatrixStore store, Path out, boolean transpose, Progress p) throws IOException {
        export(store, out, transpose, p, STRIP_FLOATS);
    }

    /**
     * Writes {@code store} as uncompressed TSV to a stream the caller owns (standard output for
     * pipes into R or Python); the stream is flushed, not closed.
     */
    public static void export(MatrixStore store, OutputStream out, boolean transpose, Progress p) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), OUT_BUFFER);
        if (transpose) writeSamplesAsRows(store, w, p, STRIP_FLOATS);
        else writeFeaturesAsRows(store, w, p);
        w.flush();
    }

    /** As above with the strip size in floats, so tests can force many strips. */
    static void export(MatrixStore store, Path out, boolean transpose, Progress p, long stripFloats) throws IOException {
        boolean gzip = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        try (PendingFile file = PendingFile.create(out, true)) {
            OutputStream raw = new BufferedOutputStream(file.newOutputStream(), OUT_BUFFER);
            if (gzip) raw = new GZIPOutputStream(raw, 1 << 16);
            try (Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), OUT_BUFFER)) {
                if (transpose) writeSamplesAsRows(store, w, p, stripFloats);
                else writeFeaturesAsRows(store, w, p);
            }
            file.commit();
        }
    }

    private static void header(Writer w, String corner, List<String> ids) throws IOException {
        w.write(corner);
        for (String id : ids) {
            w.write('\t');
            w.write(id);
        }
        w.write('\n');
    }

    private static void writeFeaturesAsRows(MatrixStore store, Writer w, Progress p) throws IOException {
        long rows = store.rows();
        int cols = store.cols();
        header(w, "feature_id", store.sampleIds());
        float[] row = new float[cols];
        p.update(0, rows);
        for (long r = 0; r < rows; r++) {
            store.copyRow(r, row, 0);
            w.write(store.featureIds().get((int) r));
            writeValues(w, row, 0, cols);
            if ((r & 1023) == 1023) p.update(r + 1, rows);
        }
        p.update(rows, rows);
    }

    /**
     * Samples as rows without holding the matrix: read a strip of {@code width} columns for all
     * features (one pass over the mapping, row by row, so the page cache sees sequential reads),
     * then write one line per column of the strip.
     */
    private static void writeSamplesAsRows(MatrixStore store, Writer w, Progress p, long stripFloats) throws IOException {
        long rowsL = store.rows();
        int cols = store.cols();
        header(w, "sample_id", store.featureIds());
        p.update(0, cols);
        if (cols == 0) return;
        // featureIds() is a List, so rows fit an int; the strip holds width x rows floats, at most
        // stripFloats unless a single column is longer than that
        int rows = (int) rowsL;
        int width = (int) Math.max(1, Math.min(cols, stripFloats / Math.max(1, rowsL)));
        float[] strip = new float[Math.multiplyExact(width, Math.max(rows, 1))];
        float[] piece = new float[width];
        MemorySegment data = store.data();
        for (int c0 = 0; c0 < cols; c0 += width) {
            int n = Math.min(width, cols - c0);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * ((long) r * cols + c0), piece, 0, n);
                for (int b = 0; b < n; b++) strip[b * rows + r] = piece[b];
            }
            for (int b = 0; b < n; b++) {
                w.write(store.sampleIds().get(c0 + b));
                writeValues(w, strip, b * rows, rows);
            }
            p.update(c0 + n, cols);
        }
    }

    /** Writes {@code '\t' value} for each of {@code values[from .. from + n)}, then the line end. */
    private static void writeValues(Writer w, float[] values, int from, int n) throws IOException {
        for (int i = from; i < from + n; i++) {
            w.write('\t');
            w.write(format(values[i]));
        }
        w.write('\n');
    }

    /** The text of one value; see the class comment. {@code Float.parseFloat} reads it back exactly except NA and ±Inf. */
    static String format(float v) {
        if (Float.isNaN(v)) return "NA";
        if (v == Float.POSITIVE_INFINITY) return "Inf";
        if (v == Float.NEGATIVE_INFINITY) return "-Inf";
        String s = Float.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
