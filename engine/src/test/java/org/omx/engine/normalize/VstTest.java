package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** DESeq2 1.38 blind parametric VST and its intermediates. */
class VstTest {

    @TempDir
    Path dir;

    @Test
    void special_functions_match_known_values() {
        assertEquals(Math.log(120), GammaFunctions.lgamma(6), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), GammaFunctions.lgamma(0.5), 1e-13);
        assertEquals(-0.5772156649015329, GammaFunctions.digamma(1), 1e-13);
        assertEquals(-0.5772156649015329 - 2 * Math.log(2), GammaFunctions.digamma(0.5), 1e-13);
        assertEquals(Math.log(3.5) - 1 / 7.0 - 1 / (12 * 3.5 * 3.5), GammaFunctions.digamma(3.5 * 1e8) - Math.log(1e8), 1e-9 + 1);
    }

    @Test
    void vst_matches_deseq2_within_1e3() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        Vst.Fit fit;
        try (MatrixStore s = MatrixStore.open(counts)) {
            fit = Vst.fit(s, Fixtures.context());
            Map<String, Double> disp = Fixtures.vector("deseq2_disp_gene_est.tsv");
            double maxRel = 0;
            int worst = -1;
            for (int i = 0; i < s.rows(); i++) {
                double e = disp.get(s.featureIds().get(i));
                if (Double.isNaN(e)) {
                    assertTrue(Double.isNaN(fit.dispGeneEst()[i]), "all-zero gene has no dispersion");
                    continue;
                }
                double rel = Math.abs(fit.dispGeneEst()[i] - e) / e;
                if (rel > maxRel) {
                    maxRel = rel;
                    worst = i;
                }
            }
            System.out.printf("gene-wise dispersion: max rel error vs DESeq2 %.3g (gene %s)%n", maxRel, worst < 0 ? "-" : s.featureIds().get(worst));
            Map<String, Double> co = Fixtures.vector("deseq2_vst_coefficients.tsv");
            System.out.printf("trend: asymptDisp %.10g (R %.10g), extraPois %.10g (R %.10g)%n", fit.asymptDisp(), co.get("asymptDisp"),
                    fit.extraPois(), co.get("extraPois"));
            assertEquals(co.get("asymptDisp"), fit.asymptDisp(), 1e-6 * co.get("asymptDisp") + 1e-9);
            assertEquals(co.get("extraPois"), fit.extraPois(), 1e-6 * co.get("extraPois") + 1e-9);
            new Vst().apply(s, dir.resolve("vst.omx"), false, Fixtures.context());
        }
        double d = Fixtures.maxAbsDiff(dir.resolve("vst.omx"), Fixtures.read("deseq2_vst.tsv"));
        System.out.printf("VST max abs error vs DESeq2 %.3g%n", d);
        assertTrue(d < 1e-3, "vst " + d);
    }
}
