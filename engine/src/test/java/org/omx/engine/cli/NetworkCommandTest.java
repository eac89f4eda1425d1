package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** {@code omx network} end to end on the WGCNA fixture, and its one-line errors on bad input. */
class NetworkCommandTest {

    @TempDir
    Path dir;

    private Path importTsv(String name, Path tsv) {
        Path store = dir.resolve(name + ".omx");
        CliRunner.Result r = CliRunner.run("import", tsv.toString(), "-o", store.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        return store;
    }

    private static void assertOneLineError(CliRunner.Result r, String... fragments) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
    }

    @Test
    void network_on_fixture_writes_modules_eigengenes_kme_table_and_params() throws Exception {
        Path store = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        Path out = dir.resolve("net");
        CliRunner.Result r = CliRunner.run("network", store.toString(), "-o", out.toString(), "--power", "6", "--power-table",
                "--min-module-size", "10", "--memory", "400k", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("4 modules"), r.out());
        for (String f : List.of("modules.tsv", "eigengenes.tsv", "kME.tsv", "soft-threshold.tsv", "params.json", "dendrogram.tsv"))
            assertTrue(Files.exists(out.resolve(f)), f);
        assertFalse(Files.exists(out.resolve("tom.omx")), "scratch TOM removed without --save-tom");
        assertTrue(Files.readString(out.resolve("params.json")).contains("\"power\": 6.000000000"));

        CliRunner.Result plan = CliRunner.run("network", store.toString(), "-o", out.toString(), "--plan", "--memory", "400k");
        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("tile plan: 150 features x 60 samples"), plan.out());
        assertTrue(plan.out().contains("FLOPs"), plan.out());
    }

    @Test
    void saved_tom_matches_wgcna_in_memory_and_tiled() throws Exception {
        // --memory 1g: adjacency (then 1 - TOM) and TOM in memory, the TOM a store only because it is saved; 400k: mapped tiles
        Path store = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        double[][] ref = org.omx.engine.network.FixtureAccess.tom("tom_unsigned_6.tsv");
        for (String memory : List.of("1g", "400k")) {
            Path out = dir.resolve("net-" + memory);
            CliRunner.Result r = CliRunner.run("network", store.toString(), "-o", out.toString(), "--power", "6",
                    "--min-module-size", "10", "--memory", memory, "--save-tom", "-q");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("4 modules"), r.out());
            try (org.omx.io.store.MatrixStore tom = org.omx.io.store.MatrixStore.open(out.resolve("tom.omx"))) {
                assertEquals(150, tom.rows());
                double max = 0;
                for (int i = 0; i < 150; i++) for (int j = 0; j < 150; j++) max = Math.max(max, Math.abs(tom.get(i, j) - ref[i][j]));
                assertTrue(max < 1e-4, memory + ": TOM max |diff| " + max);
            }
            try (var files = Files.list(out)) {
                List<String> left = files.map(f -> f.getFileName().toString())
                        .filter(name -> !name.endsWith(".tsv") && !name.equals("params.json") && !name.equals("tom.omx")).toList();
                assertTrue(left.isEmpty(), memory + ": scratch left behind " + left);
            }
        }
    }

    @Test
    void traits_edges_connectivity_and_hubs() throws Exception {
        Path store = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        Path out = dir.resolve("net");
        CliRunner.Result r = CliRunner.run("network", store.toString(), "-o", out.toString(), "--power", "6", "--min-module-size", "10",
                "--traits", "src/test/resources/fixtures/network/traits.tsv", "--edges-min-tom", "0.1", "--edges-top-k", "3", "--hubs", "2",
                "--memory", "400k", "-q");
        assertEquals(0, r.exitCode(), r.err());
        List<String> mt = Files.readAllLines(out.resolve("module-trait.tsv"));
        assertEquals("module\ttrait\tcor\tp\tn", mt.getFirst());
        assertEquals(1 + 5 * 3, mt.size(), "grey + 4 modules x 3 traits");
        assertEquals(1 + 4 * 2, Files.readAllLines(out.resolve("hubs.tsv")).size());
        assertEquals("feature_id\tmodule\tkTotal\tkWithin\tkOut\tkDiff", Files.readAllLines(out.resolve("connectivity.tsv")).getFirst());
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(out.resolve("edges.tsv.gz")))) {
            String edges = new String(in.readAllBytes());
            assertTrue(edges.startsWith("feature_a\tfeature_b\tcor\ttom\n") && edges.lines().count() > 10, edges);
        }
        String params = Files.readString(out.resolve("params.json"));
        assertTrue(params.contains("\"traits\": \"weight,age,score\"") && params.contains("TOM >= 0.1"), params);
    }

    @Test
    void correlate_two_layers_writes_fdr_filtered_pairs() throws Exception {
        Path genes = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        Path mets = importTsv("layer2", Path.of("src/test/resources/fixtures/network/layer2.tsv"));
        Path out = dir.resolve("cross");
        CliRunner.Result r = CliRunner.run("correlate", genes.toString(), mets.toString(), "-o", out.toString(), "--fdr", "0.05", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("6000 pairs over 60 samples; 67 with BH FDR <= 0.05"), r.out());
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(out.resolve("cross.tsv.gz")))) {
            assertEquals(68, new String(in.readAllBytes()).lines().count());
        }
        assertTrue(Files.readString(out.resolve("params.json")).contains("\"written\": 67"));

        Random rnd = new Random(2);
        Path other = importTsv("other", matrix("other", 5, 10, (g, s) -> Double.toString(rnd.nextGaussian())));
        assertOneLineError(CliRunner.run("correlate", genes.toString(), other.toString(), "-o", dir.resolve("x").toString(), "-q"),
                "share 0 sample IDs");
    }

    @Test
    void consensus_of_two_sets_writes_per_set_eigengenes_and_calibration() throws Exception {
        Path s1 = importTsv("set1", Path.of("src/test/resources/fixtures/network/consensus_set1.tsv"));
        Path s2 = importTsv("set2", Path.of("src/test/resources/fixtures/network/consensus_set2.tsv"));
        Path out = dir.resolve("cons");
        CliRunner.Result r = CliRunner.run("network", s1.toString(), "--consensus", s2.toString(), "-o", out.toString(), "--power", "6",
                "--min-module-size", "12", "--pam", "--memory", "400k", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("consensus of 2 sets, 130 shared features") && r.out().contains("3 modules"), r.out());
        for (String f : List.of("modules.tsv", "sets.tsv", "eigengenes-set1.tsv", "eigengenes-set2.tsv", "kME-set1.tsv", "kME-set2.tsv",
                "dendrogram.tsv", "params.json"))
            assertTrue(Files.exists(out.resolve(f)), f);
        assertFalse(Files.exists(out.resolve("tom.omx")) || Files.exists(out.resolve("set-tom.omx")), "scratch removed");
        List<String> sets = Files.readAllLines(out.resolve("sets.tsv"));
        assertEquals("set\tstore\tfeatures\tsamples\ttom_quantile\tcalibration_power", sets.getFirst());
        assertTrue(sets.get(2).contains("\t130\t38\t0.04935"), sets.get(2));
        assertTrue(Files.readString(out.resolve("params.json")).contains("\"calibrationQuantile\": 0.9500000000"));

        assertOneLineError(CliRunner.run("network", s1.toString(), "--consensus", s2.toString(), "--cross", s2.toString(), "-o",
                dir.resolve("x").toString(), "-q"), "--cross and --consensus");
        CliRunner.Result e = CliRunner.run("network", s1.toString(), "--consensus", s2.toString(), "--edges-top-k", "2", "-o",
                dir.resolve("y").toString(), "--power", "6", "-q");
        assertEquals(0, e.exitCode(), e.err());
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve("y").resolve("edges.tsv.gz")))) {
            assertTrue(new String(in.readAllBytes()).startsWith("feature_a\tfeature_b\tcor_set1\tcor_set2\ttom\n"));
        }
        assertOneLineError(CliRunner.run("network", s1.toString(), "--consensus", s2.toString(), "--consensus-quantile", "1.5", "-o",
                dir.resolve("q").toString(), "--power", "6", "-q"), "--consensus-quantile must be in [0, 1], got 1.5");
        Path genes = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        assertOneLineError(CliRunner.run("network", s1.toString(), "--consensus", genes.toString(), "-o", dir.resolve("z").toString(),
                "--power", "6", "-q"), "share 0 feature IDs");
    }

    @Test
    void network_cross_runs_the_bipartite_correlation_of_omx_correlate() throws Exception {
        Path genes = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        Path mets = importTsv("layer2", Path.of("src/test/resources/fixtures/network/layer2.tsv"));
        Path out = dir.resolve("cross");
        CliRunner.Result r = CliRunner.run("network", genes.toString(), "--cross", mets.toString(), "-o", out.toString(), "--fdr", "0.05", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("6000 pairs over 60 samples; 67 with BH FDR <= 0.05"), r.out());
        assertTrue(Files.exists(out.resolve("cross.tsv.gz")));
    }

    @Test
    void auto_power_without_scale_free_fit_names_the_cut() {
        Path store = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        CliRunner.Result r = CliRunner.run("network", store.toString(), "-o", dir.resolve("n").toString(), "-q");
        assertOneLineError(r, "no power gives a scale-free fit", "--r-squared-cut 0.85", "--power N", "soft-threshold.tsv");
        assertTrue(Files.exists(dir.resolve("n").resolve("soft-threshold.tsv")), "the table the message points to");
    }

    @Test
    void given_power_skips_the_table_and_warns_without_scale_free_fit() {
        Path store = importTsv("expr", Path.of("src/test/resources/fixtures/network/expr.tsv"));
        Path out = dir.resolve("p1");
        CliRunner.Result r = CliRunner.run("network", store.toString(), "-o", out.toString(), "--power", "1", "--min-module-size", "10",
                "--memory", "400k");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(Files.exists(out.resolve("soft-threshold.tsv")), "no power table unless --power-table");
        assertTrue(r.err().contains("warning: --power 1 gives a network without a scale-free fit") && r.err().contains("--r-squared-cut 0.85"),
                r.err());
        // power 6: WGCNA's pickSoftThreshold gives SFT.R.sq 0.7468 (sft_unsigned.tsv): a warning at the default cut, none at 0.7
        CliRunner.Result six = CliRunner.run("network", store.toString(), "-o", dir.resolve("p6").toString(), "--power", "6",
                "--min-module-size", "10", "--memory", "400k");
        assertTrue(six.err().contains("signed R^2 0.747"), six.err());
        six = CliRunner.run("network", store.toString(), "-o", dir.resolve("p6b").toString(), "--power", "6", "--r-squared-cut", "0.7",
                "--min-module-size", "10", "--memory", "400k");
        assertEquals(0, six.exitCode(), six.err());
        assertFalse(six.err().contains("warning"), six.err());
    }

    private Path matrix(String name, int genes, int samples, java.util.function.BiFunction<Integer, Integer, String> cell) throws Exception {
        StringBuilder sb = new StringBuilder("gene");
        for (int s = 0; s < samples; s++) sb.append("\tS").append(s);
        sb.append('\n');
        for (int g = 0; g < genes; g++) {
            sb.append("G").append(g);
            for (int s = 0; s < samples; s++) sb.append('\t').append(cell.apply(g, s));
            sb.append('\n');
        }
        Path p = dir.resolve(name + ".tsv");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void bad_input_gives_one_line_naming_features_or_parameter() throws Exception {
        Random rnd = new Random(1);
        Path constant = importTsv("constant", matrix("constant", 30, 20, (g, s) -> g == 7 ? "3" : Double.toString(rnd.nextGaussian())));
        assertOneLineError(CliRunner.run("network", constant.toString(), "-o", dir.resolve("a").toString(), "--power", "6", "-q"),
                "constant feature", "G7");

        Path sparse = importTsv("sparse", matrix("sparse", 30, 20, (g, s) -> g == 4 && s > 1 ? "NA" : Double.toString(rnd.nextGaussian())));
        assertOneLineError(CliRunner.run("network", sparse.toString(), "-o", dir.resolve("b").toString(), "--power", "6", "-q"),
                "too few non-missing values", "G4 (2 of 20)");

        Path holes = importTsv("holes", matrix("holes", 30, 20, (g, s) -> g == 5 && s == 3 ? "NA" : Double.toString(rnd.nextGaussian())));
        assertOneLineError(CliRunner.run("network", holes.toString(), "-o", dir.resolve("c").toString(), "--power", "6", "--corr", "spearman", "-q"),
                "missing values", "G5 (1 of 20 missing)", "pearson only");
        CliRunner.Result pw = CliRunner.run("network", holes.toString(), "-o", dir.resolve("c2").toString(), "--power", "6",
                "--min-module-size", "5", "-q");
        assertEquals(0, pw.exitCode(), "pearson with missing values: pairwise-complete " + pw.err());

        Path few = importTsv("few", matrix("few", 30, 10, (g, s) -> Double.toString(rnd.nextGaussian())));
        assertOneLineError(CliRunner.run("network", few.toString(), "-o", dir.resolve("d").toString(), "-q"),
                "needs at least 15 samples", "--power N");

        assertOneLineError(CliRunner.run("network", few.toString(), "-o", dir.resolve("e").toString(), "--power", "6", "--deep-split", "7", "-q"),
                "--deep-split must be 0..4");
        assertOneLineError(CliRunner.run("network", few.toString(), "-o", dir.resolve("f").toString(), "--corr", "kendall", "-q"),
                "--corr pearson|spearman|bicor");
        assertOneLineError(CliRunner.run("network", few.toString(), "-o", dir.resolve("g").toString(), "--memory", "1k", "-q"),
                "--memory", "too small");
    }
}
