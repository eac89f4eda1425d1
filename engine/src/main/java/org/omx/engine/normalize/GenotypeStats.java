package org.omx.engine.normalize;

import org.omx.io.plink.BedFile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-variant genotype statistics computed on the fly from a PLINK .bed: A1 allele frequency,
 * call rate, and the Hardy-Weinberg exact test p-value (Wigginton, Cutler and Abecasis 2005, the
 * two-sided test PLINK's {@code --hardy} reports: the sum of the probabilities of all heterozygote
 * counts no more likely than the observed one, given the allele counts).
 */
public final class GenotypeStats {

    /** Statistics of one variant; frequency and p-value are NaN without a call. */
    public record Variant(String id, int hom1, int het, int hom2, int missing, double a1Frequency, double callRate, double hweP) {
    }

    private GenotypeStats() {
    }

    /** Statistics of variant {@code v}, decoded in {@code buf} (length >= samples). */
    public static Variant of(BedFile bed, long v, float[] buf) {
        bed.decode(v, 1, buf, false);
        int n = bed.nSamples();
        int[] c = new int[3];
        int missing = 0;
        for (int s = 0; s < n; s++) {
            float d = buf[s];
            if (Float.isNaN(d)) missing++;
            else c[(int) d]++;
        }
        int called = n - missing;
        double freq = called == 0 ? Double.NaN : (2.0 * c[2] + c[1]) / (2.0 * called);
        double p = called == 0 ? Double.NaN : hweExact(c[1], c[0], c[2]);
        return new Variant(bed.variants().get((int) v).id(), c[2], c[1], c[0], missing, freq, (double) called / n, p);
    }

    /** Writes a TSV: variant_id, a1_freq, call_rate, hwe_p, genotype counts. */
    public static void write(BedFile bed, Path tsv) throws IOException {
        float[] buf = new float[bed.nSamples()];
        try (BufferedWriter w = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8)) {
            w.write("variant_id\ta1_freq\tcall_rate\thwe_p\tn_a1a1\tn_a1a2\tn_a2a2\tn_missing\n");
            for (long v = 0; v < bed.nVariants(); v++) {
                Variant s = of(bed, v, buf);
                w.write(String.format(Locale.ROOT, "%s\t%.6g\t%.6g\t%.6g\t%d\t%d\t%d\t%d%n", s.id(), s.a1Frequency(), s.callRate(),
                        s.hweP(), s.hom1(), s.het(), s.hom2(), s.missing()));
            }
        }
    }

    /** Exact HWE p-value from genotype counts (Wigginton et al. 2005, their SNPHWE algorithm). */
    public static double hweExact(int hets, int hom1, int hom2) {
        int homr = Math.min(hom1, hom2);
        int homc = Math.max(hom1, hom2);
        int rare = 2 * homr + hets;
        int genotypes = hets + homc + homr;
        if (genotypes == 0) return Double.NaN;
        double[] probs = new double[rare + 1];
        int mid = (int) ((long) rare * (2L * genotypes - rare) / (2L * genotypes));
        if ((mid & 1) != (rare & 1)) mid++;
        int currHomr = (rare - mid) / 2;
        int currHomc = genotypes - mid - currHomr;
        probs[mid] = 1;
        double sum = 1;
        for (int h = mid; h > 1; h -= 2) {
            probs[h - 2] = probs[h] * h * (h - 1.0) / (4.0 * (currHomr + 1.0) * (currHomc + 1.0));
            sum += probs[h - 2];
            currHomr++;
            currHomc++;
        }
        currHomr = (rare - mid) / 2;
        currHomc = genotypes - mid - currHomr;
        for (int h = mid; h <= rare - 2; h += 2) {
            probs[h + 2] = probs[h] * 4.0 * currHomr * currHomc / ((h + 2.0) * (h + 1.0));
            sum += probs[h + 2];
            currHomr--;
            currHomc--;
        }
        double observed = probs[hets];
        double p = 0;
        for (double q : probs) if (q <= observed) p += q / sum;
        return Math.min(1, p);
    }
}
