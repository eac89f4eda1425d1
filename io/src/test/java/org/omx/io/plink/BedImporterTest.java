package org.omx.io.plink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.omx.io.plink.PlinkTestFiles.plainDosage;
import static org.omx.io.plink.PlinkTestFiles.randomCodes;
import static org.omx.io.plink.PlinkTestFiles.sibling;
import static org.omx.io.plink.PlinkTestFiles.write;

class BedImporterTest {

    static final StoreDescription D = StoreDescription.of("genotypes", "genome", "dosage");

    @TempDir
    Path dir;

    @Test
    void import_writes_variants_by_samples_a1_dosages() throws Exception {
        int samples = 11;
        Path prefix = write(dir.resolve("g"), randomCodes(9, samples, 3), samples, true);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        Path target = dir.resolve("g.omx");
        var meta = BedImporter.importBed(prefix, target, false, false, D, Progress.NONE);
        assertEquals(9, meta.rows());
        assertEquals(samples, meta.cols());
        try (MatrixStore s = MatrixStore.open(target)) {
            assertEquals("rs1", s.featureIds().get(0));
            assertEquals("ind11", s.sampleIds().get(10));
            for (int v = 0; v < 9; v++)
                for (int j = 0; j < samples; j++)
                    BedFileTest.assertSameDosage(plainDosage(raw, samples, v, j), s.get(v, j), "v=" + v + " s=" + j);
            assertEquals(List.of(), s.verify(r -> { }));
        }
    }

    @Test
    void mean_imputed_import_has_no_missing_values_except_all_missing_variants() throws Exception {
        int[][] codes = {{0, 1, 3}, {1, 1, 1}};
        Path prefix = write(dir.resolve("g"), codes, 3, false);
        Files.writeString(sibling(prefix, ".bim"), "1 rs1 0 10 A G\n2 . 0.5 20 C T\n");
        BedImporter.importBed(prefix, dir.resolve("g.omx"), true, false, D, Progress.NONE);
        try (MatrixStore s = MatrixStore.open(dir.resolve("g.omx"))) {
            assertEquals(List.of("rs1", "2:20:C:T"), s.featureIds());
            assertEquals(1f, s.get(0, 1));
            assertTrue(Float.isNaN(s.get(1, 0)));
        }
    }

    @Test
    void bad_input_leaves_no_store_or_temporary_directory() throws Exception {
        Path prefix = write(dir.resolve("g"), randomCodes(2, 3, 1), 3, false);
        Files.writeString(sibling(prefix, ".bim"), "1 rs1 0 10 A G\n1 rs2 0 20 A\n");
        Path target = dir.resolve("g.omx");
        var e = assertThrows(InputFormatException.class,
                () -> BedImporter.importBed(prefix, target, false, false, D, Progress.NONE));
        assertTrue(e.getMessage().contains("g.bim: line 2"), e.getMessage());
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp")).toList());
        }
    }

    @Test
    void existing_store_is_kept_without_overwrite() throws Exception {
        Path prefix = write(dir.resolve("g"), randomCodes(2, 3, 1), 3, false);
        Path target = dir.resolve("g.omx");
        BedImporter.importBed(prefix, target, false, false, D, Progress.NONE);
        assertThrows(FileAlreadyExistsException.class,
                () -> BedImporter.importBed(prefix, target, false, false, D, Progress.NONE));
        BedImporter.importBed(prefix, target, true, true, D, Progress.NONE);
    }
}
