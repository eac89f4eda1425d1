package org.omx.io.plink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.omx.io.plink.PlinkTestFiles.plainDosage;
import static org.omx.io.plink.PlinkTestFiles.randomCodes;
import static org.omx.io.plink.PlinkTestFiles.sibling;
import static org.omx.io.plink.PlinkTestFiles.write;

class BedFileTest {

    @TempDir
    Path dir;

    static void assertSameDosage(float expected, float actual, String where) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), where + ": " + expected + " vs " + actual);
    }

    @Test
    void decode_matches_plain_decoder_for_every_padding_width() throws Exception {
        for (int samples = 1; samples <= 13; samples++) {
            int variants = 7;
            Path prefix = write(dir.resolve("n" + samples), randomCodes(variants, samples, samples), samples, samples % 2 == 0);
            byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
            try (BedFile bed = BedFile.open(prefix)) {
                assertEquals(variants, bed.nVariants());
                assertEquals(samples, bed.nSamples());
                float[] out = new float[variants * samples];
                bed.decode(0, variants, out, false);
                for (int v = 0; v < variants; v++)
                    for (int s = 0; s < samples; s++)
                        assertSameDosage(plainDosage(raw, samples, v, s), out[v * samples + s], "n=" + samples + " v=" + v + " s=" + s);
            }
        }
    }

    @Test
    void decode_of_a_tile_in_the_middle_matches_plain_decoder() throws Exception {
        int samples = 37;
        Path prefix = write(dir.resolve("x"), randomCodes(50, samples, 7), samples, true);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        try (BedFile bed = BedFile.open(prefix)) {
            float[] out = new float[5 * samples + 3];
            out[5 * samples] = 42;
            bed.decode(20, 5, out, false);
            for (int v = 0; v < 5; v++)
                for (int s = 0; s < samples; s++)
                    assertSameDosage(plainDosage(raw, samples, 20 + v, s), out[v * samples + s], "v=" + v + " s=" + s);
            assertEquals(42f, out[5 * samples], "values past the tile are untouched");
            assertThrows(IndexOutOfBoundsException.class, () -> bed.decode(48, 3, out, false));
            assertThrows(IndexOutOfBoundsException.class, () -> bed.decode(0, 6, out, false));
        }
    }

    @Test
    void decode_across_read_chunks_and_from_several_threads_matches_plain_decoder() throws Exception {
        // 3,001 samples: 751 bytes per variant, so a 1 MiB read chunk holds 1,396 variants and
        // decoding 1,500 from variant 700 on crosses a chunk boundary at a variant that is no
        // multiple of anything in particular
        int samples = 3001, variants = 2300;
        Path prefix = write(dir.resolve("big"), randomCodes(variants, samples, 11), samples, true);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        assertTrue((long) 1500 * BedFile.bytesPerVariant(samples) > BedFile.READ_CHUNK, "the decode must span two chunks");
        try (BedFile bed = BedFile.open(prefix)) {
            Runnable check = () -> {
                float[] out = new float[1500 * samples];
                bed.decode(700, 1500, out, false);
                for (int v = 0; v < 1500; v++)
                    for (int s = 0; s < samples; s += 7)
                        assertSameDosage(plainDosage(raw, samples, 700 + v, s), out[v * samples + s], "v=" + (700 + v) + " s=" + s);
            };
            Thread other = new Thread(check);
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            other.setUncaughtExceptionHandler((t, e) -> failed.set(e));
            other.start();
            check.run();
            other.join();
            if (failed.get() != null) throw new AssertionError("second reader", failed.get());
            assertEquals(Math.max(BedFile.READ_CHUNK, BedFile.bytesPerVariant(samples)), bed.readBufferBytes());
        }
    }

    @Test
    void mean_impute_replaces_missing_calls_with_the_variant_mean() throws Exception {
        // codes: 00 → 2, 01 → missing, 10 → 1, 11 → 0
        int[][] codes = {{0, 1, 2, 3, 1}, {1, 1, 1, 1, 1}, {2, 2, 2, 2, 2}};
        Path prefix = write(dir.resolve("m"), codes, 5, true);
        try (BedFile bed = BedFile.open(prefix)) {
            float[] out = new float[15];
            bed.decode(0, 3, out, true);
            assertArrayEquals(new float[]{2, 1, 1, 0, 1}, java.util.Arrays.copyOfRange(out, 0, 5));
            for (int s = 5; s < 10; s++) assertTrue(Float.isNaN(out[s]), "an all-missing variant stays NaN");
            assertArrayEquals(new float[]{1, 1, 1, 1, 1}, java.util.Arrays.copyOfRange(out, 10, 15));
            bed.decode(0, 1, out, false);
            assertTrue(Float.isNaN(out[1]) && Float.isNaN(out[4]));
        }
    }

    @Test
    void allele_stats_count_calls_and_a1_frequency_ignoring_padding() throws Exception {
        int[][] codes = {{0, 1, 2, 3, 0}, {1, 1, 1, 1, 1}};
        Path prefix = write(dir.resolve("s"), codes, 5, false); // zero padding would read as hom A1
        try (BedFile bed = BedFile.open(prefix)) {
            BedFile.AlleleStats st = bed.alleleStats(0);
            assertEquals(4, st.nonMissing());
            assertEquals(5.0 / 8.0, st.a1Frequency(), 0.0);
            assertEquals(0, bed.alleleStats(1).nonMissing());
            assertTrue(Double.isNaN(bed.alleleStats(1).a1Frequency()));
        }
    }

    @Test
    void open_accepts_the_prefix_or_any_of_the_three_files_and_reads_bim_and_fam() throws Exception {
        Path prefix = write(dir.resolve("data.v1"), randomCodes(2, 3, 1), 3, false);
        for (String name : List.of("data.v1", "data.v1.bed", "data.v1.bim", "data.v1.fam")) {
            try (BedFile bed = BedFile.open(dir.resolve(name))) {
                assertEquals(List.of("ind1", "ind2", "ind3"), bed.sampleIds());
                assertEquals(new BedFile.Variant("1", "rs2", 0.0, 1001, "A", "G"), bed.variants().get(1));
            }
        }
        assertEquals(prefix, dir.resolve("data.v1"));
    }

    @Test
    void repeated_iids_make_fid_iid_sample_ids() throws Exception {
        Path prefix = write(dir.resolve("f"), randomCodes(1, 3, 1), 3, false);
        Files.writeString(sibling(prefix, ".fam"), "A 1 0 0 1 1\nB 1 0 0 2 2\nB\t2\t0\t0\t0\t-9\n");
        try (BedFile bed = BedFile.open(prefix)) {
            assertEquals(List.of("A_1", "B_1", "B_2"), bed.sampleIds());
        }
    }

    InputFormatException openFails(Path prefix, Path namedFile, long line, String... mustContain) {
        var e = assertThrows(InputFormatException.class, () -> BedFile.open(prefix).close());
        assertTrue(e.getMessage().startsWith(namedFile.toString()), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        if (line > 0) assertTrue(e.getMessage().contains("line " + line), e.getMessage());
        for (String s : mustContain) assertTrue(e.getMessage().contains(s), e.getMessage() + " lacks " + s);
        return e;
    }

    @Test
    void repeated_fid_iid_pair_names_both_lines() throws Exception {
        Path prefix = write(dir.resolve("f"), randomCodes(1, 3, 1), 3, false);
        Files.writeString(sibling(prefix, ".fam"), "A 1 0 0 1 1\nB 2 0 0 2 2\nA 1 0 0 0 -9\n");
        openFails(prefix, sibling(prefix, ".fam"), 3, "line 1");
    }

    @Test
    void bed_with_wrong_magic_names_file() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(2, 4, 1), 4, false);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        raw[1] = 0x1c;
        Files.write(sibling(prefix, ".bed"), raw);
        openFails(prefix, sibling(prefix, ".bed"), 0, "magic", "0x6c 0x1b 0x01", "0x6c 0x1c 0x01");
        Files.write(sibling(prefix, ".bed"), new byte[0]);
        openFails(prefix, sibling(prefix, ".bed"), 0, "empty");
    }

    @Test
    void sample_major_bed_is_refused_with_an_explanation() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(2, 4, 1), 4, false);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        raw[2] = 0x00;
        Files.write(sibling(prefix, ".bed"), raw);
        openFails(prefix, sibling(prefix, ".bed"), 0, "sample-major");
    }

    @Test
    void bed_with_wrong_size_names_the_three_files_and_both_sizes() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(3, 5, 1), 5, false);
        byte[] raw = Files.readAllBytes(sibling(prefix, ".bed"));
        Files.write(sibling(prefix, ".bed"), java.util.Arrays.copyOf(raw, raw.length - 1));
        openFails(prefix, sibling(prefix, ".bed"), 0, "x.bim", "x.fam", "is 8 bytes", "= 9 bytes");
    }

    @Test
    void bim_with_wrong_field_count_names_line() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(3, 5, 1), 5, false);
        Files.writeString(sibling(prefix, ".bim"), "1 rs1 0 1 A G\n1 rs2 0 2 A G\n1 rs3 0 3 A\n");
        openFails(prefix, sibling(prefix, ".bim"), 3, "6 fields", "has 5");
    }

    @Test
    void bim_with_non_numeric_position_names_line_and_column() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(2, 5, 1), 5, false);
        Files.writeString(sibling(prefix, ".bim"), "1 rs1 0 1 A G\n1  rs2 0 12x A G\n");
        var e = openFails(prefix, sibling(prefix, ".bim"), 2, "position", "'12x'");
        assertEquals(10, e.column());
    }

    @Test
    void fam_with_wrong_field_count_names_line() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(2, 2, 1), 2, false);
        Files.writeString(sibling(prefix, ".fam"), "a b 0 0 0 -9\na c 0 0 0\n");
        openFails(prefix, sibling(prefix, ".fam"), 2, "6 fields");
    }

    @Test
    void missing_fam_is_named() throws Exception {
        Path prefix = write(dir.resolve("x"), randomCodes(2, 2, 1), 2, false);
        Files.delete(sibling(prefix, ".fam"));
        openFails(prefix, sibling(prefix, ".fam"), 0, "missing");
    }
}
