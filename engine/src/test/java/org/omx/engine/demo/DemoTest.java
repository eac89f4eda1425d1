package org.omx.engine.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.engine.simulate.SimulationSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demo_runs_end_to_end_and_finds_planted_modules() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        SimulationSpec d = SimulationSpec.defaults();
        SimulationSpec spec = d.withShape(120, 300, 400, 40, 30, 30);
        Demo demo = new Demo(dir.resolve("omx-demo"), out, line -> { }, (t, u) -> new Demo.ProgressSink() {
            public void update(long done, long total) { }
            public void close() { }
        }, "cpu", 2, 1L << 30);
        demo.run(spec);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("identical, bit for bit"), text);
        // cohort step: the planted typo and missing sample are reported, the aligned layers share one order
        assertTrue(text.contains("one edit from"), text);
        assertTrue(text.contains("  missing: "), text);
        assertTrue(text.contains("omx cohort align --drop-mismatched: 3 layers"), text);
        assertTrue(text.contains("recipe proteome    3 steps") && text.contains("ComBat batch-corrected"), text);
        assertTrue(Files.exists(dir.resolve("omx-demo/normalized/cohort/metabolome.omx/matrix.npy")));
        assertTrue(text.contains("self-check passed"), text);
        assertTrue(text.contains("VST dispersion trend"), text);
        assertTrue(Files.exists(dir.resolve("omx-demo/normalized/transcriptome.logcpm.omx/matrix.npy")));
        Matcher ari = Pattern.compile("found vs planted modules \\(0 = none in both\\): (-?[0-9.]+)").matcher(text);
        assertTrue(ari.find(), text);
        // 120 people, 400 genes: the planted modules come back with ARI about 0.85 (random labels give about 0)
        assertTrue(Double.parseDouble(ari.group(1)) > 0.8, "planted modules recovered: " + text);
        assertTrue(Files.exists(dir.resolve("omx-demo/imported/genotypes.omx/matrix.npy")));
        // planted modules: every within-module mean correlation clearly above the between-module mean
        Matcher between = Pattern.compile("between different modules: mean r (-?[0-9.]+)").matcher(text);
        assertTrue(between.find(), text);
        double b = Double.parseDouble(between.group(1));
        Matcher within = Pattern.compile("^\\s+\\d+\\s+\\d+\\s+(-?[0-9.]+)$", Pattern.MULTILINE).matcher(text);
        int modules = 0;
        while (within.find()) {
            modules++;
            assertTrue(Double.parseDouble(within.group(1)) > b + 0.2, text);
        }
        assertEquals(spec.modules(), modules, text);
        // genotype PCA: the planted populations separate on PC1-2 and are told apart by their neighbours
        Matcher pca = Pattern.compile("between/within variance ratio ([0-9.]+); leave-one-out 5-NN accuracy on PC1-\\d+ ([0-9.]+)").matcher(text);
        assertTrue(pca.find(), text);
        assertTrue(Double.parseDouble(pca.group(1)) > BETWEEN_WITHIN_BAR, "PC1-2 between/within: " + pca.group(1));
        assertTrue(Double.parseDouble(pca.group(2)) >= KNN_BAR, "5-NN accuracy: " + pca.group(2));
        // MFA: every planted module factor is matched by some MFA factor
        Matcher mod = Pattern.compile("planted module factor (\\S+): max \\|r\\| with an MFA factor ([0-9.]+) \\(F\\d+\\); multiple R on all \\d+ factors ([0-9.]+)").matcher(text);
        int found = 0;
        while (mod.find()) {
            found++;
            assertTrue(Double.parseDouble(mod.group(2)) > MODULE_BAR, mod.group(1) + ": " + mod.group(2));
            assertTrue(Double.parseDouble(mod.group(3)) > MODULE_MULTIPLE_R_BAR, mod.group(1) + " multiple R: " + mod.group(3));
        }
        assertEquals(spec.modules(), found, text);
    }

    // Bars, with what the default seed gives at 120 people (3 populations, 300 variants; 5 modules):
    /** PC1-2 between/within-population variance ratio: 16.3 measured. */
    static final double BETWEEN_WITHIN_BAR = 5;
    /** Leave-one-out 5-NN population accuracy on the PCs: 1.000 measured. */
    static final double KNN_BAR = 0.95;
    /** Each planted module factor's best single MFA factor |r|: 0.63 .. 0.95 measured (MFA factors are rotations of the modules). */
    static final double MODULE_BAR = 0.5;
    /** Each planted module factor's multiple R on all 10 MFA factors: 0.960 .. 0.988 measured. */
    static final double MODULE_MULTIPLE_R_BAR = 0.9;
}
