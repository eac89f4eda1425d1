package org.omx.io.plink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.omx.io.plink.PlinkTestFiles.randomCodes;
import static org.omx.io.plink.PlinkTestFiles.write;

/**
 * Compares {@link BedFile#decode} with PLINK 2's own decoder, {@code plink2 --export A}, when
 * plink2 is installed (skipped otherwise).
 *
 * <p>Allele convention, checked with PLINK v2.00a3.5: plink2 reads .bim column 5 (A1) as ALT and
 * column 6 (A2) as REF, and {@code --export A} counts REF alleles by default, i.e. it writes
 * {@code 2 - } omx's A1 dosage. With {@code --export-allele} naming A1 for every variant it writes
 * exactly omx's dosage. The counted allele is the suffix of each column name ({@code rs1_G}).
 */
class Plink2ComparisonTest {

    @TempDir
    Path dir;

    static Path plink2() {
        Path usr = Path.of("/usr/bin/plink2");
        if (Files.isExecutable(usr)) return usr;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "plink2");
            if (!d.isEmpty() && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Runs plink2 --export A and returns the .raw lines. */
    List<String> exportA(Path plink2, Path prefix, Path alleleFile, String out) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(plink2.toString(), "--bfile", prefix.toString(),
                "--export", "A", "--threads", "1", "--memory", "1024", "--out", dir.resolve(out).toString()));
        if (alleleFile != null) cmd.addAll(List.of("--export-allele", alleleFile.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(out + ".stdout").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "plink2 did not finish in 60 s");
        assertEquals(0, p.exitValue(), () -> "plink2 failed: " + readQuietly(dir.resolve(out + ".stdout")));
        return Files.readAllLines(dir.resolve(out + ".raw"));
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void dosages_match_plink2_export_a_for_both_counted_alleles() throws Exception {
        Path plink2 = plink2();
        Assumptions.assumeTrue(plink2 != null, "plink2 not installed (/usr/bin/plink2 or on PATH); skipping comparison with PLINK 2");
        int samples = 23;
        int variants = 17;
        Path prefix = write(dir.resolve("cmp"), randomCodes(variants, samples, 11), samples, true);
        StringBuilder a1 = new StringBuilder();
        try (BedFile bed = BedFile.open(prefix)) {
            for (BedFile.Variant v : bed.variants()) a1.append(v.id()).append('\t').append(v.allele1()).append('\n');
        }
        Path a1File = Files.writeString(dir.resolve("a1.txt"), a1);

        List<String> ref = exportA(plink2, prefix, null, "ref");
        List<String> alt = exportA(plink2, prefix, a1File, "a1");
        try (BedFile bed = BedFile.open(prefix)) {
            float[] d = new float[variants * samples];
            bed.decode(0, variants, d, false);
            compare(bed, d, ref, false);
            compare(bed, d, alt, true);
        }
    }

    private static void compare(BedFile bed, float[] d, List<String> raw, boolean countsA1) {
        int n = bed.nSamples();
        String[] header = raw.get(0).split("\t");
        assertEquals(6 + bed.nVariants(), header.length);
        for (int v = 0; v < bed.nVariants(); v++) {
            BedFile.Variant var = bed.variants().get(v);
            String counted = countsA1 ? var.allele1() : var.allele2();
            assertEquals(var.id() + "_" + counted, header[6 + v], "counted allele in plink2's header");
        }
        assertEquals(n + 1, raw.size());
        for (int s = 0; s < n; s++) {
            String[] f = raw.get(s + 1).split("\t");
            assertEquals(bed.sampleIds().get(s), f[1]);
            for (int v = 0; v < bed.nVariants(); v++) {
                float ours = d[v * n + s];
                String theirs = f[6 + v];
                if (Float.isNaN(ours)) {
                    assertEquals("NA", theirs, "v=" + v + " s=" + s);
                } else {
                    float expected = countsA1 ? ours : 2 - ours;
                    assertEquals(expected, Float.parseFloat(theirs), 0f, "v=" + v + " s=" + s);
                }
            }
        }
    }
}
