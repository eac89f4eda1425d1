package org.omx.io.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class MappedStoreWriterPublishTest {

    @TempDir
    Path dir;

    @Test
    void failed_publish_onto_existing_target_closes_cleanly_and_removes_temp() throws Exception {
        Path target = Files.createDirectory(dir.resolve("x.omx"));
        var d = StoreDescription.of("t", "x", "x");
        var e = assertThrows(FileAlreadyExistsException.class, () -> {
            try (MappedStoreWriter w = MappedStoreWriter.create(target, List.of("f"), List.of("s"), d, false)) {
                w.set(0, 0, 1f);
                w.commit();
            }
        });
        assertEquals(0, e.getSuppressed().length, "close() after a failed commit must not throw");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
