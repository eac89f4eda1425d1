package org.omx.io.plink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BedWriterTest {

    @TempDir
    Path dir;

    private static List<BedWriter.Sample> samples(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> BedWriter.Sample.founder("S" + i, 1 + i % 2)).toList();
    }

    @Test
    void codes_and_padding_follow_the_plink1_layout() throws IOException {
        Path prefix = dir.resolve("g");
        try (BedWriter w = BedWriter.create(prefix, samples(5), false)) {
            // A1 dosages 2, 1, 0, missing | 1 -> codes 00 10 11 01 | 10 (+ zero padding)
            w.appendVariant(new BedWriter.Variant("1", "rs1", 0, 100, "A", "G"), new byte[] {2, 1, 0, -1, 1});
            w.appendVariant(new BedWriter.Variant("1", "rs2", 0.5, 200, "C", "T"), new byte[] {0, 0, 0, 0, 2});
            w.commit();
        }
        byte[] bed = Files.readAllBytes(BedWriter.bedPath(prefix));
        // byte = s0 | s1<<2 | s2<<4 | s3<<6 = 0b01_11_10_00
        assertArrayEquals(new byte[] {0x6c, 0x1b, 0x01, (byte) 0b01111000, 0b10, (byte) 0xff, 0b00}, bed);
        List<String> bim = Files.readAllLines(BedWriter.bimPath(prefix));
        assertEquals(List.of("1\trs1\t0\t100\tA\tG", "1\trs2\t0.5\t200\tC\tT"), bim);
        List<String> fam = Files.readAllLines(BedWriter.famPath(prefix));
        assertEquals(5, fam.size());
        assertEquals("S0 S0 0 0 1 -9", fam.get(0));
    }

    @Test
    void close_without_commit_leaves_nothing() throws IOException {
        Path prefix = dir.resolve("g");
        try (BedWriter w = BedWriter.create(prefix, samples(3), false)) {
            w.appendVariant(new BedWriter.Variant("1", "rs1", 0, 1, "A", "G"), new byte[] {0, 1, 2});
            try (Stream<Path> s = Files.list(dir)) {
                assertFalse(Files.exists(BedWriter.bedPath(prefix)));
                assertEquals(3, s.count(), "three temporary files while writing");
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void rejects_bad_dosage_and_existing_target() throws IOException {
        Path prefix = dir.resolve("g");
        try (BedWriter w = BedWriter.create(prefix, samples(2), false)) {
            var v = new BedWriter.Variant("1", "rs1", 0, 1, "A", "G");
            assertThrows(IllegalArgumentException.class, () -> w.appendVariant(v, new byte[] {0, 3}));
            assertThrows(IllegalArgumentException.class, () -> w.appendVariant(v, new byte[] {0}));
            w.appendVariant(v, new byte[] {0, 2});
            w.commit();
        }
        assertTrue(Files.exists(BedWriter.famPath(prefix)));
        assertThrows(FileAlreadyExistsException.class, () -> BedWriter.create(prefix, samples(2), false));
        try (BedWriter w = BedWriter.create(prefix, samples(2), true)) {
            w.commit();
        }
        assertEquals(3, Files.size(BedWriter.bedPath(prefix)));
    }
}
