package org.omx.io.text;

import org.omx.io.InputFormatException;
import org.omx.io.OmxVersion;
import org.omx.io.Progress;
import org.omx.io.compress.Compression;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Imports a delimited text matrix (TSV, CSV; plain, gzip, bzip2, xz or zstd) into a store.
 *
 * <p>Layout: the first line is the header, the first column holds IDs. With samples in columns
 * (the default) the header names the samples and every line is a feature; otherwise every line is
 * a sample and the importer transposes out of core. When the header has exactly one field fewer
 * than the data lines, as R's {@code write.table} writes it, every header field is a column ID;
 * otherwise the first header field is a corner label and is ignored. IDs may be quoted
 * ({@code "x"}, with {@code ""} for a quote inside).
 *
 * <p>Values: decimal numbers as {@link DecimalFloatParser} accepts them; {@code NA}, {@code NaN}
 * (any case), {@code .} and an empty field are missing (NaN); {@code Inf}, {@code -Inf},
 * {@code Infinity} (any case) are infinities. Lines end in {@code \n} or {@code \r\n}; blank lines
 * are skipped.
 *
 * <p>Errors are {@link InputFormatException}s naming the file, the 1-based line and column, what was
 * expected and what was found; the first error in file order is reported. An empty file and a file
 * with a header but no data lines are errors (an empty store is never what the user meant). Nothing
 * is left behind on error: the target does not appear and temporary files are removed.
 *
 * <p>Threads: one reader thread decompresses and cuts the input into line-aligned chunks,
 * {@link TextImportOptions#threads()} parser threads turn chunks into float rows, and the calling
 * thread checks IDs and writes rows in file order. Memory is bounded by a fixed pool of chunks.
 */
public final class DelimitedImporter {

    /** Bytes per chunk handed to a parser thread; package-private so tests can force many chunks. */
    static int chunkBytes = 4 << 20;

    private static final Object END = new Object();

    private DelimitedImporter() {
    }

    /**
     * Reads {@code input} and writes the store {@code target}. Reports decompressed bytes read to
     * {@code progress}; the total is the file size for uncompressed input and -1 otherwise.
     */
    public static StoreMeta importFile(Path input, Path target, TextImportOptions opts, Progress progress)
            throws IOException, InputFormatException {
        if (Files.exists(target) && !opts.overwrite())
            throw new FileAlreadyExistsException(target + " exists (use --force to replace it)");
        Compression.Format format = Files.isRegularFile(input) ? Compression.detect(input) : Compression.Format.NONE;
        long total = format == Compression.Format.NONE && Files.isRegularFile(input) ? Files.size(input) : -1;
        try (InputStream in = Compression.open(input)) {
            return new Run(input, target, opts, progress, format, total, in).run();
        }
    }

    /** The state of one import. */
    private static final class Run {
        private final Path input;
        private final Path target;
        private final TextImportOptions opts;
        private final Progress progress;
        private final Compression.Format format;
        private final long total;
        private final LineChunkReader reader;
        private final BlockingQueue<RowBlock> pool;
        private final BlockingQueue<Object> parsed = new LinkedBlockingQueue<>();

        Run(Path input, Path target, TextImportOptions opts, Progress progress, Compression.Format format, long total,
            InputStream in) {
            this.input = input;
            this.target = target;
            this.opts = opts;
            this.progress = progress;
            this.format = format;
            this.total = total;
            this.reader = new LineChunkReader(in);
            // a block holds a chunk and up to about twice its size in floats (IDs aside), so a block
            // costs about 3 chunks; at least threads + 2 blocks keep the reader and writer busy
            int minBlocks = opts.threads() + 2;
            int chunk = (int) Math.min(chunkBytes, Math.max(64 << 10, opts.memoryBytes() / (3L * minBlocks)));
            int blocks = (int) Math.max(minBlocks, Math.min(2L * opts.threads() + 4, opts.memoryBytes() / (3L * chunk)));
            this.pool = new ArrayBlockingQueue<>(blocks);
            for (int i = 0; i < blocks; i++) pool.add(new RowBlock(chunk));
        }

        StoreMeta run() throws IOException, InputFormatException {
            // header and first data line, read on this thread
            List<RowBlock> first = new ArrayList<>();
            RowBlock head = take();
            if (!read(head)) throw new InputFormatException(input, "empty file (expected a header line and data lines)");
            first.add(head);
            byte[] b = head.chunk.bytes;
            // spreadsheet programs start UTF-8 CSV with a byte order mark; it is not part of an ID
            int headerStart = head.chunk.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF ? 3 : 0;
            int headerEnd = indexOf(b, '\n', headerStart);
            int headerLength = headerEnd > headerStart && b[headerEnd - 1] == '\r' ? headerEnd - 1 : headerEnd;
            if (headerLength == headerStart)
                throw new InputFormatException(input, 1, 0, "a header line with sample or feature IDs", "an empty line");
            byte delim = opts.delimiter() != null ? (byte) (char) opts.delimiter()
                    : indexOf(b, '\t', headerStart, headerLength) >= 0 ? (byte) '\t' : (byte) ',';
            List<String> header = splitFields(b, headerStart, headerLength, delim);
            head.start = headerEnd + 1;
            head.linesBeforeStart = 1;

            // the first non-blank data line decides whether the header has a corner field
            int dataFields = -1;
            long dataLine = 2;
            RowBlock cur = head;
            int p = head.start;
            while (dataFields < 0) {
                byte[] cb = cur.chunk.bytes;
                while (p < cur.chunk.length) {
                    int e = indexOf(cb, '\n', p);
                    int len = e > p && cb[e - 1] == '\r' ? e - 1 - p : e - p;
                    if (len > 0) {
                        dataFields = countFields(cb, p, p + len, delim);
                        break;
                    }
                    p = e + 1;
                    dataLine++;
                }
                if (dataFields >= 0) break;
                cur = take();
                if (!read(cur)) {
                    pool.add(cur);
                    throw new InputFormatException(input, dataLine, 0, "data lines after the header", "end of file");
                }
                first.add(cur);
                p = 0;
            }
            int m = header.size();
            List<String> columnIds;
            if (dataFields == m) columnIds = header.subList(1, m);
            else if (dataFields == m + 1) columnIds = header;
            else throw new InputFormatException(input, dataLine, 0,
                        m + " fields like the header (or " + (m + 1) + " when the header has no corner field, as R writes)",
                        dataFields + " fields");
            String columnKind = opts.samplesInColumns() ? "sample" : "feature";
            if (columnIds.isEmpty())
                throw new InputFormatException(input, 1, 0, "an ID column and at least one " + columnKind + " column",
                        "one field");
            checkHeaderIds(columnIds, columnKind, dataFields == m ? 2 : 1);

            StoreDescription description = describe(delim);
            RowSink sink = opts.samplesInColumns()
                    ? RowSink.direct(StoreWriter.create(target, columnIds, description, opts.overwrite()))
                    : new TransposingRowSink(target, columnIds, description, opts.overwrite(), opts.memoryBytes());
            ExecutorService parsers = Executors.newFixedThreadPool(opts.threads(), r -> {
                Thread t = new Thread(r, "omx-text-parser");
                t.setDaemon(true);
                return t;
            });
            int values = columnIds.size();
            Thread readerThread = Thread.ofPlatform().name("omx-text-reader").daemon().unstarted(() -> readAll(parsers, delim, values));
            try (sink) {
                for (RowBlock blk : first) parsed.add(parsers.submit(() -> parse(blk, delim, values)));
                readerThread.start();
                writeAll(sink, values, opts.samplesInColumns() ? "feature" : "sample");
                return sink.commit();
            } finally {
                readerThread.interrupt();
                parsers.shutdownNow();
                try {
                    readerThread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static RowBlock parse(RowBlock blk, byte delim, int values) {
            blk.parse(delim, values);
            return blk;
        }

        /** The reader thread: chunks into the parser pool, futures into {@link #parsed} in file order. */
        private void readAll(ExecutorService parsers, byte delim, int values) {
            try {
                while (true) {
                    RowBlock blk = pool.take();
                    blk.reset();
                    if (!reader.next(blk.chunk)) {
                        parsed.put(END);
                        return;
                    }
                    parsed.put(parsers.submit(() -> parse(blk, delim, values)));
                }
            } catch (InterruptedException e) {
                // the import stopped
            } catch (IOException | RuntimeException e) {
                parsed.add(e);
            }
        }

        /** This thread: rows in file order, IDs checked, into the sink. */
        private void writeAll(RowSink sink, int values, String rowKind) throws IOException, InputFormatException {
            Map<String, Long> seen = new HashMap<>();
            long lineBase = 0;
            while (true) {
                Object item = takeParsed();
                if (item == END) break;
                if (item instanceof IOException e) throw readError(e);
                if (item instanceof RuntimeException e) throw e;
                RowBlock blk = result(item);
                if (blk.failed())
                    throw new InputFormatException(input, lineBase + blk.errorLine + 1, blk.errorColumn,
                            blk.errorExpected, blk.errorFound);
                for (int r = 0; r < blk.rows; r++) {
                    String id = blk.ids[r];
                    long line = lineBase + blk.rowLines[r] + 1;
                    checkId(id, rowKind, line, 1);
                    Long previous = seen.putIfAbsent(id, line);
                    if (previous != null)
                        throw new InputFormatException(input, line, 1,
                                "a unique " + rowKind + " ID ('" + id + "' is already at line " + previous + ")", id);
                    sink.accept(id, blk.values, r * values);
                }
                lineBase += blk.lines;
                progress.update(reader.bytesRead(), total);
                pool.add(blk);
            }
        }

        private InputFormatException readError(IOException e) {
            if (format == Compression.Format.NONE) return new InputFormatException(input, "cannot read: " + e.getMessage());
            return Compression.describe(input, e);
        }

        private boolean read(RowBlock blk) throws IOException, InputFormatException {
            blk.reset();
            try {
                return reader.next(blk.chunk);
            } catch (IOException e) {
                if (format == Compression.Format.NONE) throw e;
                throw Compression.describe(input, e);
            }
        }

        private RowBlock take() throws InterruptedIOException {
            try {
                return pool.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("import interrupted");
            }
        }

        private Object takeParsed() throws InterruptedIOException {
            try {
                return parsed.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("import interrupted");
            }
        }

        private static RowBlock result(Object item) throws InterruptedIOException {
            try {
                return (RowBlock) ((Future<?>) item).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("import interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }

        private void checkHeaderIds(List<String> ids, String kind, int firstColumn) throws InputFormatException {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                int column = firstColumn + i;
                checkId(id, kind, 1, column);
                Integer previous = seen.putIfAbsent(id, column);
                if (previous != null)
                    throw new InputFormatException(input, 1, column,
                            "a unique " + kind + " ID ('" + id + "' is already in column " + previous + ")", id);
            }
        }

        private void checkId(String id, String kind, long line, long column) throws InputFormatException {
            if (id.isEmpty()) throw new InputFormatException(input, line, column, "a " + kind + " ID", "an empty field");
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (c == '\t' || c == '\n' || c == '\r')
                    throw new InputFormatException(input, line, column, "a " + kind + " ID without tabs or line breaks", id);
            }
        }

        private StoreDescription describe(byte delim) {
            StoreDescription base = opts.description();
            if (base == null) {
                String name = input.getFileName().toString();
                int dot = name.indexOf('.');
                base = StoreDescription.of(dot > 0 ? name.substring(0, dot) : name, "unknown", "unknown");
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("delimiter", delim == '\t' ? "tab" : String.valueOf((char) delim));
            parameters.put("samples_in_columns", String.valueOf(opts.samplesInColumns()));
            parameters.put("compression", format.name().toLowerCase(java.util.Locale.ROOT));
            return base.withStep(new Provenance("import-delimited", input.toAbsolutePath().toString(),
                    Map.copyOf(parameters), Instant.now().toString(), OmxVersion.get()));
        }
    }

    private static int indexOf(byte[] b, char c, int from) {
        int i = from;
        while (b[i] != c) i++;
        return i;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    /** Number of fields in {@code b[from, to)}; delimiters inside double quotes do not count. */
    static int countFields(byte[] b, int from, int to, byte delim) {
        int n = 1;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            if (b[i] == '"') quoted = !quoted;
            else if (b[i] == delim && !quoted) n++;
        }
        return n;
    }

    /** The fields of one line, quotes removed ({@code ""} inside quotes is one quote). */
    static List<String> splitFields(byte[] b, int from, int to, byte delim) {
        List<String> fields = new ArrayList<>();
        int i = from;
        while (true) {
            StringBuilder sb = new StringBuilder();
            if (i < to && b[i] == '"') {
                int s = i + 1;
                int j = s;
                while (j < to) {
                    if (b[j] == '"') {
                        if (j + 1 < to && b[j + 1] == '"') {
                            sb.append(new String(b, s, j + 1 - s, StandardCharsets.UTF_8));
                            j += 2;
                            s = j;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                sb.append(new String(b, s, j - s, StandardCharsets.UTF_8));
                i = Math.min(j + 1, to);
                // text after the closing quote up to the delimiter is kept as is
                int e = i;
                while (e < to && b[e] != delim) e++;
                sb.append(new String(b, i, e - i, StandardCharsets.UTF_8));
                i = e;
            } else {
                int e = i;
                while (e < to && b[e] != delim) e++;
                sb.append(new String(b, i, e - i, StandardCharsets.UTF_8));
                i = e;
            }
            fields.add(sb.toString());
            if (i >= to) return fields;
            i++; // the delimiter
        }
    }
}
