package org.omx.io.mtx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.omx.io.mtx.MatrixMarketImporterTest.D;
import static org.omx.io.mtx.MatrixMarketImporterTest.assertNoOutput;
import static org.omx.io.mtx.MatrixMarketImporterTest.write;
import static org.omx.io.mtx.MatrixMarketImporterTest.writeGz;

class TenxImporterTest {

    @TempDir
    Path dir;

    static final String MTX = """
            %%MatrixMarket matrix coordinate integer general
            %metadata_json: {"software_version": "test"}
            3 2 4
            1 1 5
            3 1 1
            2 2 2
            3 2 7
            """;

    Path tenx(String name) throws Exception {
        Path d = Files.createDirectory(dir.resolve(name));
        writeGz(d.resolve("matrix.mtx.gz"), MTX);
        writeGz(d.resolve("features.tsv.gz"), """
                ENSG01\tTP53\tGene Expression
                ENSG02\tMT-1\tGene Expression
                ENSG03\tMT-1\tGene Expression
                """);
        writeGz(d.resolve("barcodes.tsv.gz"), "AAAC-1\nAAAG-1\n");
        return d;
    }

    InputFormatException fails(Path d, String... mustContain) throws Exception {
        Path target = dir.resolve("out.omx");
        var e = assertThrows(InputFormatException.class,
                () -> TenxImporter.importDirectory(d, target, false, D, Progress.NONE));
        for (String s : mustContain) assertTrue(e.getMessage().contains(s), e.getMessage() + " lacks " + s);
        assertNoOutput(target);
        return e;
    }

    @Test
    void cellranger3_gzipped_directory_uses_feature_ids_and_barcodes() throws Exception {
        Path d = tenx("v3");
        TenxImporter.importDirectory(d, dir.resolve("t.omx"), false, D, Progress.NONE);
        try (MatrixStore s = MatrixStore.open(dir.resolve("t.omx"))) {
            assertEquals(List.of("ENSG01", "ENSG02", "ENSG03"), s.featureIds());
            assertEquals(List.of("AAAC-1", "AAAG-1"), s.sampleIds());
            float[] row = new float[2];
            s.copyRow(0, row, 0);
            assertArrayEquals(new float[]{5, 0}, row);
            s.copyRow(1, row, 0);
            assertArrayEquals(new float[]{0, 2}, row);
            s.copyRow(2, row, 0);
            assertArrayEquals(new float[]{1, 7}, row);
        }
    }

    @Test
    void cellranger2_plain_directory_with_genes_tsv_imports() throws Exception {
        Path d = Files.createDirectory(dir.resolve("v2"));
        write(d.resolve("matrix.mtx"), MTX);
        write(d.resolve("genes.tsv"), "G1\ta\nG2\tb\nG3\tc\n");
        write(d.resolve("barcodes.tsv"), "B1\nB2\n");
        var meta = TenxImporter.importDirectory(d, dir.resolve("t.omx"), false, D, Progress.NONE);
        assertEquals(3, meta.rows());
        assertEquals(2, meta.cols());
    }

    @Test
    void duplicate_feature_id_names_both_lines() throws Exception {
        Path d = tenx("dup");
        writeGz(d.resolve("features.tsv.gz"), "ENSG01\tA\nENSG02\tB\nENSG01\tC\n");
        var e = fails(d, "features.tsv.gz", "line 3", "line 1", "ENSG01");
        assertEquals(3, e.line());
    }

    @Test
    void duplicate_barcode_names_both_lines() throws Exception {
        Path d = tenx("dupb");
        writeGz(d.resolve("barcodes.tsv.gz"), "AAAC-1\nAAAC-1\n");
        fails(d, "barcodes.tsv.gz", "line 2", "line 1");
    }

    @Test
    void barcode_count_differing_from_matrix_names_both_files() throws Exception {
        Path d = tenx("count");
        writeGz(d.resolve("barcodes.tsv.gz"), "A\nB\nC\n");
        fails(d, "barcodes.tsv.gz", "matrix.mtx.gz", "3 barcode IDs", "2 columns", "line 3");
    }

    @Test
    void feature_count_differing_from_matrix_names_both_files() throws Exception {
        Path d = tenx("fcount");
        writeGz(d.resolve("features.tsv.gz"), "A\tx\nB\ty\n");
        fails(d, "features.tsv.gz", "matrix.mtx.gz", "2 feature IDs", "3 rows");
    }

    @Test
    void missing_barcodes_is_named() throws Exception {
        Path d = tenx("missing");
        Files.delete(d.resolve("barcodes.tsv.gz"));
        fails(d, "barcodes.tsv");
    }

    @Test
    void plain_and_gzipped_copies_of_one_file_are_ambiguous() throws Exception {
        Path d = tenx("both");
        write(d.resolve("matrix.mtx"), MTX);
        fails(d, "matrix.mtx and matrix.mtx.gz");
    }

    @Test
    void bad_entry_in_matrix_names_mtx_line() throws Exception {
        Path d = tenx("bad");
        writeGz(d.resolve("matrix.mtx.gz"), MTX.replace("2 2 2", "2 9 2"));
        var e = fails(d, "matrix.mtx.gz", "line 6");
        assertEquals(6, e.line());
    }
}
