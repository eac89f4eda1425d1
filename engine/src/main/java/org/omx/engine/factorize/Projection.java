package org.omx.engine.factorize;

import org.omx.io.plink.BedFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Projects new samples onto saved components ({@code loadings.tsv} of a genotype PCA): each sample's
 * genotypes are standardized with the reference's allele frequencies, missing calls and variants
 * absent from the new fileset count as the reference mean (0), and the score on PC j is
 * {@code d * sum_v z_v u_vj} with {@code d = 1 / (1 - r)} (r the sample's missing fraction, the same
 * correction the reference PCA made). A reference sample projected this way gets its own score back.
 * Variants are matched by ID; when A1 and A2 are swapped the dosage is flipped ({@code 2 - g}).
 */
public final class Projection {

    /** Scores: samples x k, row-major. */
    public record Result(List<String> sampleIds, int rank, double[] scores, int matchedVariants, int flipped) {
    }

    private Projection() {
    }

    public static Result projectGenotypes(Path loadings, BedFile bed, Consumer<String> log) throws IOException {
        List<String> lines = Files.readAllLines(loadings, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.getFirst().startsWith("feature_id\tallele1\tallele2\tcenter\tscale\t"))
            throw new FactorizeInputException(loadings + ": not a loadings.tsv written by omx factorize pca");
        int k = lines.getFirst().split("\t").length - 5;
        Map<String, Integer> index = new HashMap<>();
        List<BedFile.Variant> vs = bed.variants();
        for (int v = 0; v < vs.size(); v++) index.putIfAbsent(vs.get(v).id(), v);
        int n = bed.nSamples();
        double[] scores = new double[n * k];
        int[] missing = new int[n];
        float[] g = new float[n];
        int matched = 0, flipped = 0, used = 0;
        for (int li = 1; li < lines.size(); li++) {
            String[] f = lines.get(li).split("\t");
            used++;
            Integer v = index.get(f[0]);
            if (v == null) {
                for (int i = 0; i < n; i++) missing[i]++;
                continue;
            }
            BedFile.Variant var = vs.get(v);
            boolean flip;
            if (var.allele1().equals(f[1]) && var.allele2().equals(f[2])) flip = false;
            else if (var.allele1().equals(f[2]) && var.allele2().equals(f[1])) flip = true;
            else if (f[1].equals(".")) flip = false;
            else throw new FactorizeInputException("variant " + f[0] + " has alleles " + var.allele1() + "/" + var.allele2()
                    + " in " + bed.bedPath().getFileName() + " but " + f[1] + "/" + f[2] + " in the reference");
            matched++;
            if (flip) flipped++;
            double center = Double.parseDouble(f[3]), scale = Double.parseDouble(f[4]);
            double[] u = new double[k];
            for (int j = 0; j < k; j++) u[j] = Double.parseDouble(f[5 + j]);
            bed.decode(v, 1, g, false);
            for (int i = 0; i < n; i++) {
                float x = g[i];
                if (Float.isNaN(x)) {
                    missing[i]++;
                    continue;
                }
                double z = ((flip ? 2 - x : x) - center) * scale;
                for (int j = 0; j < k; j++) scores[i * k + j] += z * u[j];
            }
        }
        if (matched == 0) throw new FactorizeInputException("no variant of " + loadings + " is in " + bed.bedPath().getFileName());
        if (matched < used) log.accept("project: " + (used - matched) + " of " + used + " reference variants are absent and count as the mean");
        if (flipped > 0) log.accept("project: " + flipped + " variants with A1/A2 swapped were flipped");
        for (int i = 0; i < n; i++) {
            double d = 1 / (1 - Math.min(missing[i] / (double) used, 0.999));
            for (int j = 0; j < k; j++) scores[i * k + j] *= d;
        }
        return new Result(bed.sampleIds(), k, scores, matched, flipped);
    }

    public static void write(Path file, Result r) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder b = new StringBuilder("sample_id\t").append(FactorizeOutput.header("PC", r.rank())).append('\n');
        for (int i = 0; i < r.sampleIds().size(); i++) {
            b.append(r.sampleIds().get(i));
            for (int j = 0; j < r.rank(); j++) b.append('\t').append(r.scores()[i * r.rank() + j]);
            b.append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }
}
