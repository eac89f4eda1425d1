package org.omx.io.plink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes tiny PLINK 1 filesets byte by byte for tests, and decodes them the slow, obvious way to
 * check {@link BedFile} against.
 */
final class PlinkTestFiles {

    private PlinkTestFiles() {
    }

    /** Random 2-bit codes, {@code codes[variant][sample]}, with some of each kind. */
    static int[][] randomCodes(int variants, int samples, long seed) {
        Random rnd = new Random(seed);
        int[][] c = new int[variants][samples];
        for (int[] row : c) for (int s = 0; s < samples; s++) row[s] = rnd.nextInt(4);
        return c;
    }

    /**
     * Writes prefix.bed/.bim/.fam; padding bits in each variant's last byte are set to ones when
     * {@code dirtyPadding}, which a reader must ignore.
     */
    static Path write(Path prefix, int[][] codes, int samples, boolean dirtyPadding) throws IOException {
        int bpv = (samples + 3) / 4;
        byte[] bed = new byte[3 + codes.length * bpv];
        bed[0] = 0x6c;
        bed[1] = 0x1b;
        bed[2] = 0x01;
        for (int v = 0; v < codes.length; v++) {
            for (int s = 0; s < 4 * bpv; s++) {
                int code = s < samples ? codes[v][s] : dirtyPadding ? 3 : 0;
                bed[3 + v * bpv + s / 4] |= (byte) (code << (2 * (s % 4)));
            }
        }
        Files.write(sibling(prefix, ".bed"), bed);
        StringBuilder bim = new StringBuilder();
        for (int v = 0; v < codes.length; v++)
            bim.append("1\trs").append(v + 1).append("\t0\t").append(1000 + v).append("\tA\tG\n");
        Files.writeString(sibling(prefix, ".bim"), bim);
        StringBuilder fam = new StringBuilder();
        for (int s = 0; s < samples; s++) fam.append("fam").append(s + 1).append(" ind").append(s + 1).append(" 0 0 0 -9\n");
        Files.writeString(sibling(prefix, ".fam"), fam);
        return prefix;
    }

    static Path sibling(Path prefix, String ext) {
        return prefix.resolveSibling(prefix.getFileName() + ext);
    }

    /** Dosage of A1 from the raw .bed bytes, one bit pair at a time: 00 → 2, 01 → NaN, 10 → 1, 11 → 0. */
    static float plainDosage(byte[] bed, int samples, int variant, int sample) {
        int bpv = (samples + 3) / 4;
        int b = bed[3 + variant * bpv + sample / 4] & 0xff;
        int lowBit = (b >> (2 * (sample % 4))) & 1;
        int highBit = (b >> (2 * (sample % 4) + 1)) & 1;
        if (highBit == 0 && lowBit == 0) return 2;
        if (highBit == 0) return Float.NaN;
        if (lowBit == 0) return 1;
        return 0;
    }
}
