package org.omx.io.store;

import org.omx.io.OmxVersion;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The files of a store directory and the rules for writing them: everything goes into a temporary
 * sibling directory that is renamed over the target only when complete, so a crash never leaves a
 * store that looks whole.
 */
public final class StoreLayout {

    public static final String MATRIX = "matrix.npy";
    public static final String FEATURES = "features.tsv";
    public static final String SAMPLES = "samples.tsv";
    public static final String META = "meta.json";

    /** Rows per checksum block aim at about this many bytes, so verification can name a small region. */
    static final long CHECKSUM_BLOCK_BYTES = 4L << 20;

    private StoreLayout() {
    }

    /** Rows per CRC32C block for a matrix with this many columns. */
    static long checksumBlockRows(int cols) {
        return Math.max(1, CHECKSUM_BLOCK_BYTES / (4L * Math.max(1, cols)));
    }

    /** A new empty temporary directory beside {@code target}. */
    static Path createTemp(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        String name = abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return Files.createDirectory(parent.resolve(name));
    }

    /**
     * Moves a complete temporary directory to {@code target}. An existing target is replaced only
     * when {@code overwrite} is set, and only after the new one is complete.
     */
    static void publish(Path temp, Path target, boolean overwrite) throws IOException {
        target = target.toAbsolutePath();
        Path old = null;
        if (Files.exists(target)) {
            if (!overwrite) throw new FileAlreadyExistsException(target + " exists (use --force to replace it)");
            old = target.resolveSibling(target.getFileName() + ".old-" + ProcessHandle.current().pid());
            move(target, old);
        }
        move(temp, target);
        if (old != null) deleteTree(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes a directory tree, quietly ignoring what is already gone. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is named as such
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Checks that an ID can be stored in a one-column TSV: not empty, no tab or line break. */
    static void checkId(String kind, String id) {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("empty " + kind + " ID");
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch == '\t' || ch == '\n' || ch == '\r')
                throw new IllegalArgumentException(kind + " ID contains a tab or line break: " + id);
        }
    }

    static void writeIds(Path file, String header, List<String> ids) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header);
            w.write('\n');
            for (String id : ids) {
                w.write(id);
                w.write('\n');
            }
        }
    }

    static void writeMeta(Path dir, StoreDescription d, long rows, long cols, long blockRows, List<Integer> crcs)
            throws IOException {
        HexFormat hex = HexFormat.of();
        List<String> blocks = crcs.stream().map(c -> hex.toHexDigits(c)).toList();
        StoreMeta meta = new StoreMeta(StoreMeta.FORMAT, StoreMeta.FORMAT_VERSION, d.layer(), d.omicsType(), d.units(),
                rows, cols, OmxVersion.get(), new StoreMeta.Checksums("CRC32C", blockRows, blocks),
                d.provenance(), d.annotations());
        StoreMetaJson.write(dir.resolve(META), meta);
    }
}
