package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** omx factorize jnmf end to end: outputs, traits, and the one-line errors. */
class FactorizeJnmfCommandTest {

    @TempDir
    Path dir;

    /** Non-negative layer: features g0.. follow a gradient over the sample index (shared across layers) plus noise. */
    private Path store(String name, List<String> samples, int features, double scale, long seed, int negativeAt) throws Exception {
        Path p = dir.resolve(name + ".omx");
        Random r = new Random(seed);
        try (org.omx.io.store.StoreWriter w = org.omx.io.store.StoreWriter.create(p, samples,
                org.omx.io.store.StoreDescription.of(name, name, "counts"), false)) {
            float[] row = new float[samples.size()];
            for (int i = 0; i < features; i++) {
                for (int j = 0; j < row.length; j++) {
                    int idx = Integer.parseInt(samples.get(j).substring(1));
                    row[j] = (float) (scale * ((i % 2 == 0 ? idx / 30.0 : 1 - idx / 30.0) + 0.1 * Math.abs(r.nextGaussian())));
                }
                if (i == negativeAt) row[2] = -1;
                w.appendRow("g" + i, row, 0);
            }
            w.commit();
        }
        return p;
    }

    @Test
    void writes_scores_loadings_variance_params_and_traits_and_refuses_bad_input() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < 30; j++) ids.add("p" + j);
        Path a = store("rna", ids, 12, 1, 1, -1);
        Path b = store("protein", ids.subList(3, 30).reversed(), 8, 500, 2, -1);
        StringBuilder t = new StringBuilder("sample_id\tage\n");
        for (int j = 0; j < 30; j++) t.append("p").append(j).append('\t').append(20 + j).append('\n');
        Path traits = dir.resolve("traits.tsv");
        Files.writeString(traits, t);
        Path out = dir.resolve("jnmf");
        CliRunner.Result r = CliRunner.run("factorize", "jnmf", a.toString(), b.toString(), "-k", "2", "--restarts", "2", "--seed", "3",
                "--traits", traits.toString(), "-o", out.toString(), "--backend", "cpu", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 factors over 2 layers, 27 samples in common"), r.out());
        for (String f : List.of("scores.tsv", "loadings.tsv", "variance.tsv", "params.json", "factor-traits.tsv"))
            assertTrue(Files.exists(out.resolve(f)), f);
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
        List<String> variance = Files.readAllLines(out.resolve("variance.tsv"));
        assertEquals(List.of("factor\trna\tprotein", "F1", "F2", "all"), variance.stream().map(l -> l.startsWith("factor") ? l : l.split("\t")[0]).toList());
        for (String cell : variance.getLast().split("\t")) if (!cell.equals("all")) assertTrue(Double.parseDouble(cell) > 0.9, variance.getLast());
        assertEquals(1 + 12 + 8, Files.readAllLines(out.resolve("loadings.tsv")).size());
        assertEquals(28, Files.readAllLines(out.resolve("scores.tsv")).size());
        String params = Files.readString(out.resolve("params.json"));
        assertTrue(params.contains("\"objective_trace\"") && params.contains("\"layer_weight\" : \"frobenius\""), params);
        // one factor follows the sample-index gradient, which age follows
        double best = 0;
        for (String line : Files.readAllLines(out.resolve("factor-traits.tsv")).subList(1, 3))
            best = Math.max(best, Math.abs(Double.parseDouble(line.split("\t")[3])));
        assertTrue(best > 0.9, "best |r| with age " + best);

        Path c = store("metab", List.of("q1", "q2", "q3"), 4, 1, 3, -1);
        r = CliRunner.run("factorize", "jnmf", a.toString(), c.toString(), "-k", "2", "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("layer metab has no samples in common with layer rna"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path neg = store("neg", ids, 5, 1, 4, 3);
        r = CliRunner.run("factorize", "jnmf", a.toString(), neg.toString(), "-k", "2", "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("layer neg, feature g3, sample p2: negative value -1.0"), r.err());

        r = CliRunner.run("factorize", "jnmf", a.toString(), b.toString(), "-k", "28", "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("rank 28 is larger than the data allows"), r.err());

        r = CliRunner.run("factorize", "jnmf", a.toString(), b.toString(), "--layer-weight", "max", "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--layer-weight must be frobenius or none, not max"), r.err());
        assertFalse(Files.exists(dir.resolve("bad")));
    }
}
