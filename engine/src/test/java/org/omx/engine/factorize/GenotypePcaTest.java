package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.plink.BedFile;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Genotype PCA from a .bed against plink2 --pca (exact) on fixtures/factorize/geno.* (README.md gives the call). */
class GenotypePcaTest {

    @TempDir
    Path dir;

    private Path fixtureBed() throws Exception {
        for (String ext : List.of("bed", "bim", "fam"))
            try (InputStream in = getClass().getResourceAsStream("/fixtures/factorize/geno." + ext)) {
                Files.copy(in, dir.resolve("geno." + ext));
            }
        return dir.resolve("geno.bed");
    }

    static List<String> lines(String name) throws Exception {
        try (InputStream in = GenotypePcaTest.class.getResourceAsStream("/fixtures/factorize/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void eigenvalues_and_eigenvectors_match_plink2_pca() throws Exception {
        List<String> log = new ArrayList<>();
        try (BedFile bed = BedFile.open(fixtureBed())) {
            GenotypePca.Result r = GenotypePca.compute(bed, null,
                    new RandomizedSvd.Options(10, 20, 6, RandomizedSvd.Method.BLOCK_KRYLOV, false, false, 100, 1), true,
                    FactorizeFixtures.context(1 << 20, log));
            double[] ev = r.eigenvalues();
            List<String> plinkVal = lines("plink2_pca.eigenval");
            List<String> vec = lines("plink2_pca.eigenvec");
            for (int j = 0; j < 10; j++) {
                double expected = Double.parseDouble(plinkVal.get(j));
                assertEquals(expected, ev[j], 1e-3 * expected, "eigenvalue " + (j + 1));
                double[] pc = new double[vec.size() - 1];
                for (int i = 1; i < vec.size(); i++) {
                    String[] f = vec.get(i).split("\t");
                    assertEquals(f[1], r.svd().colIds().get(i - 1));
                    pc[i - 1] = Double.parseDouble(f[2 + j]);
                }
                double c = Math.abs(FactorizeFixtures.correlation(pc, r.svd().v()[j]));
                assertTrue(c >= 0.999, "PC" + (j + 1) + " |corr| " + c);
            }
            assertEquals(999, r.divisor());
            assertTrue(log.stream().anyMatch(l -> l.contains("dropped 5 monomorphic")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("dropped 1 variants with no call")), log.toString());
        }
    }

    @Test
    void variant_list_restricts_the_variants() throws Exception {
        try (BedFile bed = BedFile.open(fixtureBed())) {
            List<String> keep = new ArrayList<>();
            for (int v = 1; v <= 1000; v += 2) keep.add("rs" + v);
            GenotypePca.Result r = GenotypePca.compute(bed, keep, new RandomizedSvd.Options(2, 10, 4, RandomizedSvd.Method.SUBSPACE, false, false, 100, 1),
                    true, FactorizeFixtures.context());
            assertTrue(r.rows().rows() <= 500 && r.rows().rows() >= 495, "rows " + r.rows().rows());
        }
    }

    @Test
    void all_missing_or_monomorphic_is_an_error() throws Exception {
        try (BedFile bed = BedFile.open(fixtureBed())) {
            var e = assertThrows(FactorizeInputException.class, () -> GenotypePca.compute(bed, List.of("rs11", "rs12", "rs21"),
                    RandomizedSvd.Options.pca(1), true, FactorizeFixtures.context()));
            assertTrue(e.getMessage().contains("no variant left"), e.getMessage());
        }
    }
}
