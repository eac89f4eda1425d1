package org.omx.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A single file written under a temporary sibling name and renamed over its target only when
 * complete, so that a crash or an error never leaves a file that looks whole. {@link #close()}
 * without {@link #commit()} deletes the temporary file. The directory-sized counterpart for
 * stores is {@code StoreLayout}.
 */
public final class PendingFile implements Closeable {

    /** Writes the body of a text file. */
    @FunctionalInterface
    public interface TextBody {
        void write(BufferedWriter out) throws IOException;
    }

    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean committed;

    private PendingFile(Path target, boolean overwrite) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        if (!overwrite && Files.exists(this.target))
            throw new FileAlreadyExistsException(this.target + " exists (use --force to replace it)");
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        String name = "." + this.target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        this.temp = Files.createFile(parent.resolve(name));
    }

    /**
     * Starts a file at {@code target}. Fails at once when the target exists and {@code overwrite}
     * is not set (and again at commit, should it have appeared in the meantime).
     */
    public static PendingFile create(Path target, boolean overwrite) throws IOException {
        return new PendingFile(target, overwrite);
    }

    /** Writes a whole UTF-8 text file in one go: temporary name, body, rename. */
    public static void writeText(Path target, boolean overwrite, TextBody body) throws IOException {
        try (PendingFile f = create(target, overwrite)) {
            try (BufferedWriter w = f.newWriter()) {
                body.write(w);
            }
            f.commit();
        }
    }

    public Path target() {
        return target;
    }

    /** Where the content goes until commit. */
    public Path temp() {
        return temp;
    }

    public OutputStream newOutputStream() throws IOException {
        return Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public BufferedWriter newWriter() throws IOException {
        return Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Moves the finished temporary file to the target. Streams on it must be closed first. */
    public void commit() throws IOException {
        if (committed) throw new IllegalStateException("already committed: " + target);
        if (!overwrite && Files.exists(target))
            throw new FileAlreadyExistsException(target + " exists (use --force to replace it)");
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Without a prior commit, deletes the temporary file. */
    @Override
    public void close() throws IOException {
        if (!committed) Files.deleteIfExists(temp);
    }
}
