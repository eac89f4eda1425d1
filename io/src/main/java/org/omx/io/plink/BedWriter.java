package org.omx.io.plink;

import org.omx.io.PendingFile;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams a PLINK 1 binary fileset ({@code PREFIX.bed}, {@code .bim}, {@code .fam}) one variant at
 * a time; only one packed variant is held in memory. The .bed is variant-major (SNP-major) with the
 * magic bytes {@code 6c 1b 01}; each sample takes two bits, the first sample in the low bits of
 * the first byte, and each variant starts on a fresh byte (the last byte padded with zero bits).
 * Codes, with A1 the allele in column 5 of the .bim: {@code 00} two copies of A1, {@code 10} one,
 * {@code 11} none, {@code 01} missing — as in the PLINK 1.9 file-format reference.
 *
 * <p>All three files are written under temporary names and renamed at {@link #commit()} (.fam and
 * .bim first, the .bed last, so a .bed in place means a complete fileset). {@link #close()}
 * without commit deletes them.
 */
public final class BedWriter implements Closeable {

    /** The first three bytes of a variant-major PLINK 1 .bed. */
    public static final byte[] MAGIC = {0x6c, 0x1b, 0x01};

    /** The dosage value that marks a missing call. */
    public static final byte MISSING = -1;

    /** 2-bit code by A1 dosage 0, 1, 2. */
    private static final int[] CODE = {0b11, 0b10, 0b00};
    private static final int CODE_MISSING = 0b01;

    /**
     * One line of the .fam.
     *
     * @param sex       1 male, 2 female, 0 unknown
     * @param phenotype as PLINK reads it: "-9" (or "0") missing, "1"/"2" control/case, or a number
     */
    public record Sample(String familyId, String individualId, String fatherId, String motherId, int sex,
                         String phenotype) {
        public Sample {
            checkToken("family ID", familyId);
            checkToken("individual ID", individualId);
            checkToken("father ID", fatherId);
            checkToken("mother ID", motherId);
            checkToken("phenotype", phenotype);
            if (sex < 0 || sex > 2) throw new IllegalArgumentException("sex must be 0, 1 or 2: " + sex);
        }

        /** An unrelated founder whose family ID is its individual ID, phenotype missing. */
        public static Sample founder(String id, int sex) {
            return new Sample(id, id, "0", "0", sex, "-9");
        }
    }

    /**
     * One line of the .bim.
     *
     * @param allele1 A1, the allele whose copies the dosage counts (usually the minor allele)
     * @param allele2 A2, the other allele
     */
    public record Variant(String chromosome, String id, double centimorgans, long position, String allele1,
                          String allele2) {
        public Variant {
            checkToken("chromosome", chromosome);
            checkToken("variant ID", id);
            checkToken("allele 1", allele1);
            checkToken("allele 2", allele2);
            if (position < 0) throw new IllegalArgumentException("negative position for " + id);
        }
    }

    private final PendingFile bed;
    private final PendingFile bim;
    private final PendingFile fam;
    private final OutputStream bedOut;
    private final BufferedWriter bimOut;
    private final int samples;
    private final byte[] packed;
    private long variants;
    private boolean committed;

    private BedWriter(Path prefix, List<Sample> samples, boolean overwrite) throws IOException {
        this.samples = samples.size();
        this.packed = new byte[(this.samples + 3) / 4];
        PendingFile bedFile = null;
        PendingFile bimFile = null;
        PendingFile famFile = null;
        OutputStream out = null;
        try {
            bedFile = PendingFile.create(bedPath(prefix), overwrite);
            bimFile = PendingFile.create(bimPath(prefix), overwrite);
            famFile = PendingFile.create(famPath(prefix), overwrite);
            try (BufferedWriter w = famFile.newWriter()) {
                for (Sample s : samples) {
                    w.write(s.familyId() + ' ' + s.individualId() + ' ' + s.fatherId() + ' ' + s.motherId() + ' '
                            + s.sex() + ' ' + s.phenotype() + '\n');
                }
            }
            out = new BufferedOutputStream(bedFile.newOutputStream(), 1 << 16);
            out.write(MAGIC);
            this.bimOut = bimFile.newWriter();
        } catch (IOException | RuntimeException e) {
            if (out != null) out.close();
            for (PendingFile f : new PendingFile[] {bedFile, bimFile, famFile}) if (f != null) f.close();
            throw e;
        }
        this.bed = bedFile;
        this.bim = bimFile;
        this.fam = famFile;
        this.bedOut = out;
    }

    /**
     * Starts the fileset {@code prefix.bed/.bim/.fam} for these samples, in this order. With
     * {@code overwrite} unset, an existing file of the set is an error.
     */
    public static BedWriter create(Path prefix, List<Sample> samples, boolean overwrite) throws IOException {
        return new BedWriter(prefix, samples, overwrite);
    }

    public static Path bedPath(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".bed");
    }

    public static Path bimPath(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".bim");
    }

    public static Path famPath(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".fam");
    }

    public int samples() {
        return samples;
    }

    public long variantsWritten() {
        return variants;
    }

    /**
     * Appends a variant: {@code dosages[i]} is the number of copies of A1 (0, 1, 2) carried by
     * sample i, or {@link #MISSING}.
     */
    public void appendVariant(Variant variant, byte[] dosages) throws IOException {
        if (committed) throw new IllegalStateException("already committed");
        if (dosages.length != samples)
            throw new IllegalArgumentException("variant " + variant.id() + ": " + dosages.length + " dosages for "
                    + samples + " samples");
        java.util.Arrays.fill(packed, (byte) 0);
        for (int i = 0; i < samples; i++) {
            int d = dosages[i];
            int code;
            if (d == MISSING) code = CODE_MISSING;
            else if (d >= 0 && d <= 2) code = CODE[d];
            else throw new IllegalArgumentException("variant " + variant.id() + ", sample " + i + ": dosage " + d
                        + " (expected 0, 1, 2 or -1 for missing)");
            packed[i >>> 2] |= (byte) (code << ((i & 3) << 1));
        }
        bedOut.write(packed);
        bimOut.write(variant.chromosome() + '\t' + variant.id() + '\t' + formatCm(variant.centimorgans()) + '\t'
                + variant.position() + '\t' + variant.allele1() + '\t' + variant.allele2() + '\n');
        variants++;
    }

    private static String formatCm(double cm) {
        return cm == Math.rint(cm) && Math.abs(cm) < 1e15 ? Long.toString((long) cm) : Double.toString(cm);
    }

    /** Closes the files and renames them into place: .fam, .bim, then .bed. */
    public void commit() throws IOException {
        if (committed) throw new IllegalStateException("already committed");
        bedOut.close();
        bimOut.close();
        fam.commit();
        bim.commit();
        bed.commit();
        committed = true;
    }

    /** Without a prior commit, deletes everything written. */
    @Override
    public void close() throws IOException {
        if (committed) return;
        try {
            bedOut.close();
            bimOut.close();
        } finally {
            bed.close();
            bim.close();
            fam.close();
        }
    }

    private static void checkToken(String what, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("empty " + what);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i)))
                throw new IllegalArgumentException(what + " contains whitespace: '" + value + "'");
        }
    }
}
