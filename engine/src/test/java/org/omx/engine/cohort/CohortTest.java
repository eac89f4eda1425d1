package org.omx.engine.cohort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.cohort.CohortManifest.Format;
import org.omx.io.cohort.CohortManifest.Layer;
import org.omx.io.plink.BedWriter;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Sample matching and alignment on small hand-made cohorts. */
class CohortTest {

    @TempDir
    Path dir;

    /** A store whose value at (feature f, sample s) is 100 f + the sample's number in its ID. */
    private Path store(String name, List<String> samples) throws Exception {
        Path p = dir.resolve(name + ".omx");
        try (StoreWriter w = StoreWriter.create(p, samples, StoreDescription.of(name, name, "x"), false)) {
            float[] row = new float[samples.size()];
            for (int f = 0; f < 3; f++) {
                for (int j = 0; j < row.length; j++) row[j] = 100 * f + number(samples.get(j));
                w.appendRow("F" + f, row, 0);
            }
            w.commit();
        }
        return p;
    }

    private static int number(String id) {
        String d = id.replaceAll("\\D", "");
        return d.isEmpty() ? 0 : Integer.parseInt(d);
    }

    private Path tsv(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Path covariates(String... ids) throws Exception {
        StringBuilder b = new StringBuilder("sample_id\tage\n");
        for (String id : ids) b.append(id).append('\t').append(number(id) + 40).append('\n');
        return tsv("covariates.tsv", b.toString());
    }

    @Test
    void check_reports_missing_duplicates_typos_case_and_samples_in_no_layer() throws Exception {
        Path rna = store("rna", List.of("P01", "P02", "p03", "P04", "P05"));               // p03: case
        Path prot = store("prot", List.of("L1", "L2", "L3", "L4", "L9"));                    // via map; L4 and L9 -> P04
        Path map = tsv("prot_map.tsv", "lab_id\tparticipant_id\nL1\tP01\nL2\tP02\nL3\tP03\nL4\tP04\nL9\tP04\n");
        Path metab = store("metab", List.of("P01", "P0Z", "P03", "P005", "X77"));           // P0Z: one edit from P02; X77 nothing
        Path cov = covariates("P01", "P02", "P03", "P04", "P05", "P06");                    // P06 in no layer
        CohortManifest m = new CohortManifest("c", null, List.of(
                new Layer("rna", "transcriptome", rna, Format.OMX, "counts", null),
                new Layer("prot", "proteome", prot, Format.OMX, "intensity", map),
                new Layer("metab", "metabolome", metab, Format.OMX, "intensity", null)),
                new CohortManifest.Tables(cov, null, null, null));
        CohortCheck.Report r = CohortCheck.check(m);
        String text = r.format();
        System.out.print(text);
        assertFalse(r.clean());
        assertEquals(List.of("P06"), r.inNoLayer());
        CohortCheck.SourceReport rr = r.layers().get(0);
        assertEquals(List.of("P03", "P06"), rr.missing());
        assertEquals(List.of(new CohortCheck.Suspect("p03", "P03", "differs only in case from")), rr.suspects());
        CohortCheck.SourceReport pr = r.layers().get(1);
        assertEquals(List.of("L4", "L9"), pr.duplicated().get("P04"));
        assertEquals(List.of("P01", "P02", "P03", "P04"), pr.present());
        CohortCheck.SourceReport mr = r.layers().get(2);
        assertEquals(List.of("P0Z", "P005", "X77"), mr.unmatched());
        assertEquals("P02", mr.suspects().get(0).resembles());
        assertEquals("P05", mr.suspects().get(1).resembles());   // insertion: P005 vs P05
        assertEquals(2, mr.suspects().size());
        assertTrue(text.contains("duplicated: P04 (lab IDs L4, L9)"), text);
        assertTrue(text.contains("unmatched: X77 (no similar participant)"), text);
        assertTrue(text.contains("in no layer: 1 participants: P06"), text);

        // align refuses: the duplicate first, naming the .omx and the ID
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> CohortAlign.align(m, r, dir.resolve("out"), false, false, false, s -> { }));
        assertTrue(e.getMessage().contains("prot.omx") && e.getMessage().contains("sample P04 occurs 2 times"), e.getMessage());
    }

    @Test
    void align_refuses_a_typo_unless_told_then_drops_it() throws Exception {
        Path rna = store("rna", List.of("P01", "P02", "p03"));
        Path cov = covariates("P01", "P02", "P03");
        CohortManifest m = new CohortManifest("c", null, List.of(new Layer("rna", "transcriptome", rna, Format.OMX, null, null)),
                new CohortManifest.Tables(cov, null, null, null));
        CohortCheck.Report r = CohortCheck.check(m);
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> CohortAlign.align(m, r, dir.resolve("out"), false, false, false, s -> { }));
        assertTrue(e.getMessage().contains("rna.omx") && e.getMessage().contains("sample ID p03")
                && e.getMessage().contains("differs only in case from participant P03"), e.getMessage());
        List<String> log = new ArrayList<>();
        CohortAlign.align(m, r, dir.resolve("out"), false, true, false, log::add);
        try (MatrixStore s = MatrixStore.open(dir.resolve("out/rna.omx"))) {
            assertEquals(List.of("P01", "P02"), s.sampleIds());
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("1 IDs match no participant and are left out: p03")), log.toString());
    }

    @Test
    void align_intersection_and_union_reference_an_aligned_store_and_reorder_the_rest() throws Exception {
        Path rna = store("rna", List.of("P01", "P02", "P03"));                                  // already in order
        Path prot = store("prot", List.of("L3", "L1", "L4", "L2"));                              // mapped, shuffled, extra P04
        Path map = tsv("prot_map.tsv", "lab_id\tparticipant_id\nL1\tP01\nL2\tP02\nL3\tP03\nL4\tP04\n");
        Path fam = dir.resolve("geno");
        try (BedWriter w = BedWriter.create(fam, List.of(BedWriter.Sample.founder("P04", 1), BedWriter.Sample.founder("P02", 2),
                BedWriter.Sample.founder("P01", 1), BedWriter.Sample.founder("P03", 2)), false)) {
            w.appendVariant(new BedWriter.Variant("1", "rs1", 0, 100, "A", "G"), new byte[] {2, 1, 0, BedWriter.MISSING});
            w.commit();
        }
        Path cov = covariates("P01", "P02", "P03", "P04", "P05");                                // P05 in no layer
        CohortManifest m = new CohortManifest("c", null, List.of(
                new Layer("rna", "transcriptome", rna, Format.OMX, "counts", null),
                new Layer("prot", "proteome", prot, Format.OMX, "intensity", map),
                new Layer("geno", "genome", BedWriter.bedPath(fam), Format.PLINK, "dosage", null)),
                new CohortManifest.Tables(cov, null, null, null));
        Path manifest = dir.resolve("cohort.yaml");
        m.write(manifest);
        CohortManifest read = CohortManifest.read(manifest);
        CohortCheck.Report r = CohortCheck.check(read);
        List<String> log = new ArrayList<>();
        List<CohortAlign.Outcome> out = CohortAlign.align(read, r, dir.resolve("aligned"), false, false, false, log::add);
        assertTrue(out.get(0).referenced());
        assertFalse(out.get(1).referenced());
        assertTrue(log.stream().anyMatch(l -> l.contains("1 participants are in no layer and are left out: P05")), log.toString());
        CohortManifest am = CohortManifest.read(dir.resolve("aligned/cohort.yaml"));
        assertEquals(rna.toAbsolutePath().normalize(), am.layer("rna").orElseThrow().path());
        for (Layer l : am.layers()) {
            if (l.name().equals("rna")) continue;
            assertNull(l.sampleIdMap());
            try (MatrixStore s = MatrixStore.open(l.path())) {
                assertEquals(List.of("P01", "P02", "P03"), s.sampleIds(), l.name());
                assertEquals("cohort:align", s.meta().provenance().getLast().step());
                if (l.name().equals("prot")) assertEquals(102f, s.get(1, 1));   // L2 -> P02, feature F1
                else {
                    assertEquals(0f, s.get(0, 0));   // P01 had dosage 0
                    assertEquals(1f, s.get(0, 1));
                    assertTrue(Float.isNaN(s.get(0, 2)));
                }
            }
        }
        assertEquals("sample_id\tage\nP01\t41\nP02\t42\nP03\t43\n", Files.readString(dir.resolve("aligned/covariates.tsv")));

        CohortAlign.align(read, r, dir.resolve("union"), true, false, false, s -> { });
        try (MatrixStore s = MatrixStore.open(dir.resolve("union/rna.omx"))) {
            assertEquals(List.of("P01", "P02", "P03", "P04"), s.sampleIds());
            assertTrue(Float.isNaN(s.get(0, 3)));
            assertEquals(3f, s.get(0, 2));
        }
        assertTrue(Files.readString(dir.resolve("union/covariates.tsv")).endsWith("P04\t44\n"));
    }

    @Test
    void cohort_without_tables_flags_an_id_seen_once_that_resembles_another() throws Exception {
        Path a = store("a", List.of("S1", "S2", "S3"));
        Path b = store("b", List.of("S1", "s2", "S3"));
        CohortManifest m = new CohortManifest("c", null, List.of(new Layer("a", "x", a, Format.OMX, null, null),
                new Layer("b", "y", b, Format.OMX, null, null)), null);
        CohortCheck.Report r = CohortCheck.check(m);
        System.out.print(r.format());
        assertFalse(r.clean());
        assertEquals(List.of(new CohortCheck.Suspect("s2", "S2", "differs only in case from")), r.layers().get(1).suspects());
        assertEquals(List.of(new CohortCheck.Suspect("S2", "s2", "differs only in case from")), r.layers().get(0).suspects());
    }

    @Test
    void a_map_listing_a_lab_id_twice_is_an_error_naming_file_line_and_id() throws Exception {
        Path map = tsv("m.tsv", "lab\tpid\nL1\tP01\nL1\tP02\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> SampleSource.readMap(map));
        assertTrue(e.getMessage().contains("m.tsv") && e.getMessage().contains("lab ID L1 again"), e.getMessage());
    }

    @Test
    void edit_distance_one() {
        assertTrue(CohortCheck.editDistanceIsOne("P01", "P02"));
        assertTrue(CohortCheck.editDistanceIsOne("P01", "P001"));
        assertTrue(CohortCheck.editDistanceIsOne("P001", "P01"));
        assertFalse(CohortCheck.editDistanceIsOne("P01", "P01"));
        assertFalse(CohortCheck.editDistanceIsOne("P01", "Q02"));
        assertFalse(CohortCheck.editDistanceIsOne("P01", "P0123"));
    }
}
