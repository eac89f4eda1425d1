package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** HWE exact test and standardized dosage. */
class GenotypeTest {

    @TempDir
    Path dir;

    @Test
    void hwe_exact_p_values() {
        // equilibrium: 25/50/25 is the most likely table, p = 1
        assertEquals(1.0, GenotypeStats.hweExact(50, 25, 25), 1e-12);
        // no heterozygotes among 100 with allele frequency 0.5: far from equilibrium
        assertTrue(GenotypeStats.hweExact(0, 50, 50) < 1e-25);
        // hand-enumerated: n = 3, one copy of the rare allele -> only 1 het possible, p = 1
        assertEquals(1.0, GenotypeStats.hweExact(1, 2, 0), 1e-12);
        // n = 2, two rare copies: tables (het 0: hom 1/1) P = 1/3, (het 2) P = 2/3; observed 0 hets -> p = 1/3
        assertEquals(1 / 3.0, GenotypeStats.hweExact(0, 1, 1), 1e-12);
        // symmetric in the homozygotes
        assertEquals(GenotypeStats.hweExact(10, 40, 5), GenotypeStats.hweExact(10, 5, 40), 0);
    }

    @Test
    void standardized_dosage_by_definition_with_missing_and_monomorphic() throws Exception {
        double[][] g = {{0, 1, 2, Double.NaN}, {2, 2, 2, 2}};
        Path in = Fixtures.store(dir, "geno", new Fixtures.Table(List.of("rs1", "rs2"), List.of("a", "b", "c", "d"), g), "dosage");
        List<String> log = new ArrayList<>();
        try (var s = org.omx.io.store.MatrixStore.open(in)) {
            new StandardizedDosage().apply(s, dir.resolve("z.omx"), false, Fixtures.context(1 << 20, log));
        }
        try (var z = org.omx.io.store.MatrixStore.open(dir.resolve("z.omx"))) {
            double p = 0.5;
            double sd = Math.sqrt(2 * p * (1 - p));
            assertEquals((0 - 2 * p) / sd, z.get(0, 0), 1e-6);
            assertEquals((2 - 2 * p) / sd, z.get(0, 2), 1e-6);
            assertEquals(0, z.get(0, 3), 0);
            assertEquals(0, z.get(1, 0), 0);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("1 monomorphic")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("1 missing calls")), log.toString());
    }

    private static java.util.Map<String, String[]> plink2(String file) throws Exception {
        java.util.Map<String, String[]> m = new java.util.HashMap<>();
        try (var in = GenotypeTest.class.getResourceAsStream("/fixtures/normalize/" + file)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                m.put(f[1], f);
            }
        }
        return m;
    }

    /** |a - e| within 1e-5 relative (plink2 prints six significant digits) or 1e-12 absolute. */
    private static void close(double e, double a, String what) {
        assertTrue(Math.abs(a - e) <= Math.max(1e-5 * Math.abs(e), 1e-12), what + ": plink2 " + e + ", omx " + a);
    }

    @Test
    void frequencies_call_rates_and_hwe_match_plink2() throws Exception {
        Path bed = Path.of(getClass().getResource("/fixtures/factorize/geno.bed").toURI());
        var afreq = plink2("plink2_geno.afreq");
        var vmiss = plink2("plink2_geno.vmiss");
        var hardy = plink2("plink2_geno.hardy");
        int compared = 0;
        double worstP = 0;
        try (org.omx.io.plink.BedFile b = org.omx.io.plink.BedFile.open(bed)) {
            float[] buf = new float[b.nSamples()];
            for (long v = 0; v < b.nVariants(); v++) {
                GenotypeStats.Variant s = GenotypeStats.of(b, v, buf);
                String[] f = afreq.get(s.id());
                assertEquals(b.variants().get((int) v).allele1(), f[3], "A1 is plink2's ALT");
                close(1 - Double.parseDouble(vmiss.get(s.id())[4]), s.callRate(), s.id() + " call rate");
                String[] h = hardy.get(s.id());
                // hardy's A1 is plink2's REF (our A2): HOM_A1_CT is our n_a2a2
                assertEquals(Integer.parseInt(h[4]), s.hom2(), s.id());
                assertEquals(Integer.parseInt(h[5]), s.het(), s.id());
                assertEquals(Integer.parseInt(h[6]), s.hom1(), s.id());
                if (f[4].equals("nan")) {   // the no-call variant: plink2 prints p = 1, omx NaN (stated)
                    assertTrue(Double.isNaN(s.a1Frequency()) && Double.isNaN(s.hweP()) && s.callRate() == 0, s.id());
                    continue;
                }
                close(Double.parseDouble(f[4]), s.a1Frequency(), s.id() + " frequency");
                double p = Double.parseDouble(h[9]);
                close(p, s.hweP(), s.id() + " HWE p");
                worstP = Math.max(worstP, Math.abs(s.hweP() - p) / p);
                compared++;
            }
        }
        System.out.printf("genotype stats vs plink2: %d variants, worst HWE p relative error %.2g%n", compared, worstP);
        assertEquals(999, compared);
    }

    @Test
    void standardized_dosage_from_the_bed_matches_the_formula_with_plink2_frequencies() throws Exception {
        Path bed = Path.of(getClass().getResource("/fixtures/factorize/geno.bed").toURI());
        var afreq = plink2("plink2_geno.afreq");
        List<String> log = new ArrayList<>();
        try (org.omx.io.plink.BedFile b = org.omx.io.plink.BedFile.open(bed)) {
            new StandardizedDosage().apply(b, dir.resolve("z.omx"), false, Fixtures.context(1 << 16, log));
            float[] g = new float[b.nSamples()];
            try (var z = org.omx.io.store.MatrixStore.open(dir.resolve("z.omx"))) {
                assertEquals(b.nVariants(), z.rows());
                assertEquals(b.sampleIds(), z.sampleIds());
                for (long v = 0; v < b.nVariants(); v++) {
                    b.decode(v, 1, g, false);
                    String[] f = afreq.get(z.featureIds().get((int) v));
                    double p = f[4].equals("nan") ? Double.NaN : Double.parseDouble(f[4]);
                    double sd = Math.sqrt(2 * p * (1 - p));
                    for (int j = 0; j < g.length; j++) {
                        // plink2's six digits of p limit the reference to about 1e-5 relative
                        double expected = Float.isNaN(g[j]) || !(sd > 0) ? 0 : (g[j] - 2 * p) / sd;
                        assertEquals(expected, z.get(v, j), 1e-4 * Math.max(1, Math.abs(expected)), z.featureIds().get((int) v));
                    }
                }
                assertTrue(z.meta().provenance().getLast().step().equals("normalize:standardize-dosage"));
            }
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("6 monomorphic variants set to 0")), log.toString());
    }
}
