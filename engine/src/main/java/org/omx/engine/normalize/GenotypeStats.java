package org.omx.engine.normalize;

import org.omx.io.plink.BedFile;

import org.omx.io.PendingFile;
import org.omx.io.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-variant genotype statistics computed on the fly from a PLINK .bed: A1 allele frequency (A1 is
 * the .bim's fifth column, plink2's ALT), call rate, and the Hardy-Weinberg exact test p-value
 * (Wigginton, Cutler and Abecasis 2005, the two-sided test plink2's {@code --hardy} reports without
 * {@code midp}: the sum of the probabilities of all heterozygote counts no more likely than the
 * observed one, given the allele counts). Agrees with {@code plink2 --freq --missing --hardy} to
 * the six significant digits plink2 prints. A variant with no call has frequency and p-value NaN
 * (plink2 prints frequency nan and p 1).
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

    /**
     * Writes a TSV (temporary name, renamed when complete): variant_id, a1, a2, a1_freq, call_rate,
     * hwe_p, genotype counts; values with 8 significant digits, NaN as NA.
     */
    public static void write(BedFile bed, Path tsv, boolean overwrite, Progress progress) throws IOException {
        float[] buf = new float[bed.nSamples()];
        PendingFile.writeText(tsv, overwrite, w -> {
            w.write("variant_id\ta1\ta2\ta1_freq\tcall_rate\thwe_p\tn_a1a1\tn_a1a2\tn_a2a2\tn_missing\n");
            for (long v = 0; v < bed.nVariants(); v++) {
                Variant s = of(bed, v, buf);
                BedFile.Variant info = bed.variants().get((int) v);
                w.write(s.id() + "\t" + info.allele1() + "\t" + info.allele2() + "\t" + num(s.a1Frequency()) + "\t" + num(s.callRate())
                        + "\t" + num(s.hweP()) + "\t" + s.hom1() + "\t" + s.het() + "\t" + s.hom2() + "\t" + s.missing() + "\n");
                if ((v & 1023) == 0) progress.update(v, bed.nVariants());
            }
            progress.update(bed.nVariants(), bed.nVariants());
        });
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "NA" : String.format(Locale.ROOT, "%.8g", x);
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
