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
}
