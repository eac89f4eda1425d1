package org.omx.engine.ingest;

import org.omx.io.InputFormatException;
import org.omx.io.compress.Compression;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The kinds of input {@code omx import} reads, and how to recognise each from a path. */
public enum InputKind {
    /** TSV or CSV with a header row and IDs in the first column, compressed or not. */
    DELIMITED,
    /** A MatrixMarket coordinate file. */
    MATRIX_MARKET,
    /** A 10x directory: matrix.mtx[.gz], features.tsv[.gz] or genes.tsv[.gz], barcodes.tsv[.gz]. */
    TENX,
    /** PLINK 1 binary fileset: .bed, .bim, .fam. */
    PLINK;

    /**
     * Recognises the input: a directory holding matrix.mtx is 10x; a .bed/.bim/.fam file or a
     * prefix with a .bed beside it is PLINK; a file whose first line starts with
     * {@code %%MatrixMarket} (after decompression) is MatrixMarket; anything else is delimited text.
     */
    public static InputKind detect(Path input) throws IOException, InputFormatException {
        if (Files.isDirectory(input)) {
            if (Files.exists(input.resolve("matrix.mtx")) || Files.exists(input.resolve("matrix.mtx.gz"))) return TENX;
            throw new InputFormatException(input, "a directory, but not a 10x matrix directory (no matrix.mtx or matrix.mtx.gz)");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".bed") || name.endsWith(".bim") || name.endsWith(".fam")) return PLINK;
        if (!Files.exists(input)) {
            if (Files.exists(input.resolveSibling(input.getFileName() + ".bed"))) return PLINK;
            throw new InputFormatException(input, "no such file");
        }
        try (InputStream in = Compression.open(input)) {
            byte[] head = in.readNBytes(14);
            if (new String(head, StandardCharsets.US_ASCII).equals("%%MatrixMarket")) return MATRIX_MARKET;
        } catch (IOException e) {
            throw Compression.describe(input, e);
        }
        return DELIMITED;
    }

    /** The unit the importer of this kind reports progress in ("B" for bytes of input). */
    public String progressUnit() {
        return switch (this) {
            case DELIMITED -> "B";
            case MATRIX_MARKET, TENX -> "entries";
            case PLINK -> "variants";
        };
    }

    /** Parses a --format value. */
    public static InputKind fromName(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "tsv", "csv", "text", "delimited" -> DELIMITED;
            case "mtx", "matrixmarket" -> MATRIX_MARKET;
            case "10x", "tenx" -> TENX;
            case "plink", "bed" -> PLINK;
            default -> throw new IllegalArgumentException("unknown format '" + s + "' (expected auto, tsv, csv, mtx, 10x or plink)");
        };
    }
}
