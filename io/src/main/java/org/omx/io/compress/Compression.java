package org.omx.io.compress;

import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.omx.io.InputFormatException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a file for reading whatever its compression, detected by magic bytes (never by the
 * file name): gzip, bzip2, xz and zstd through commons-compress, plain text as is. gzip uses the
 * JDK's zlib inflater directly, which is the fastest on this JVM and handles multi-member files
 * (bgzip output included).
 */
public final class Compression {

    /** The formats omx recognises. */
    public enum Format { NONE, GZIP, BZIP2, XZ, ZSTD }

    private static final int BUFFER = 1 << 16;

    private Compression() {
    }

    /** The compression of a file, from its first bytes. */
    public static Format detect(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return detect(in);
        }
    }

    private static Format detect(InputStream markable) throws IOException {
        try {
            return switch (CompressorStreamFactory.detect(markable)) {
                case CompressorStreamFactory.GZIP -> Format.GZIP;
                case CompressorStreamFactory.BZIP2 -> Format.BZIP2;
                case CompressorStreamFactory.XZ -> Format.XZ;
                case CompressorStreamFactory.ZSTANDARD -> Format.ZSTD;
                default -> Format.NONE;
            };
        } catch (CompressorException e) {
            return Format.NONE;
        }
    }

    /**
     * Opens the file decompressed. Errors inside the compressed stream (truncation, corruption)
     * surface as IOExceptions while reading; wrap reads with {@link #describe} to name the file.
     */
    public static InputStream open(Path file) throws IOException, InputFormatException {
        if (!Files.isRegularFile(file)) throw new InputFormatException(file, "no such file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            Format f = detect(raw);
            return switch (f) {
                case NONE -> raw;
                case GZIP -> new GZIPInputStream(raw, BUFFER);
                case BZIP2 -> new CompressorStreamFactory().createCompressorInputStream(CompressorStreamFactory.BZIP2, raw, true);
                case XZ -> new CompressorStreamFactory().createCompressorInputStream(CompressorStreamFactory.XZ, raw, true);
                case ZSTD -> new CompressorStreamFactory().createCompressorInputStream(CompressorStreamFactory.ZSTANDARD, raw);
            };
        } catch (IOException e) {
            raw.close();
            // commons-compress wraps what went wrong (bzip2 reads its first block here, so a truncated
            // file fails now) in a CompressorException; name the cause, as describe() does for reads
            Throwable cause = e;
            while (cause.getCause() instanceof IOException inner && cause != inner) cause = inner;
            if (cause == e) throw new InputFormatException(file, "cannot open compressed stream: " + e.getMessage());
            throw describe(file, (IOException) cause);
        } catch (LinkageError e) {
            raw.close();
            throw new InputFormatException(file, "cannot decompress on this platform: " + e.getMessage());
        }
    }

    /**
     * Turns an IOException raised while reading a decompressed stream into a one-line input error:
     * "unexpected end" (truncated download) and corrupt data name the file.
     */
    public static InputFormatException describe(Path file, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.io.EOFException || msg.contains("nexpected end") || msg.contains("runcated"))
            return new InputFormatException(file, "compressed stream ends early (truncated file?)"
                    + (e.getMessage() == null ? "" : ": " + msg));
        return new InputFormatException(file, "corrupt compressed data: " + msg);
    }
}
