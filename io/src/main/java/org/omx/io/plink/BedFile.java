package org.omx.io.plink;

import org.omx.io.InputFormatException;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PLINK 1 binary genotype fileset ({@code .bed} + {@code .bim} + {@code .fam}) opened for
 * reading. The .bed is read with positioned reads, a chunk of variants at a time, into a small
 * per-thread buffer and decoded from there: unlike a whole-file mapping, whose touched pages count
 * in the process's resident set until unmapped (a 5 GB .bed read by a PCA pass made the RSS grow by
 * 5 GB, though the page cache holds those pages either way), the resident cost is the buffer
 * ({@link #READ_CHUNK} bytes per reading thread). Safe for concurrent readers until {@link #close()}.
 *
 * <p>Format (PLINK 1.9 documentation, "BED file format", www.cog-genomics.org/plink/1.9/formats#bed):
 * three magic bytes {@code 0x6c 0x1b 0x01} (the last one: variant-major), then for each variant
 * {@code ceil(nSamples / 4)} bytes, four samples per byte starting at the low-order bits. Each
 * two-bit code, read as written in the documentation (high bit first), means
 * {@code 00} homozygous for A1 (.bim column 5), {@code 01} missing, {@code 10} heterozygous,
 * {@code 11} homozygous for A2. Decoded dosages count A1 alleles: 2, NaN, 1, 0. Bits past the last
 * sample in each variant's last byte are padding and ignored.
 *
 * <p>Sample IDs are the .fam IIDs when those are unique, otherwise {@code FID_IID} for every
 * sample (a fileset that needs FIDs to tell samples apart gets them everywhere, not only for the
 * duplicates); if even those repeat, it is an error naming both lines.
 */
public final class BedFile implements Closeable {

    /** One .bim line. {@code allele1} (A1) is the allele whose copies the dosage counts. */
    public record Variant(String chrom, String id, double cm, long pos, String allele1, String allele2) {
    }

    /** Calls at one variant: how many samples are not missing, and the A1 frequency among them (NaN when none). */
    public record AlleleStats(int nonMissing, double a1Frequency) {
    }

    private static final byte[] MAGIC = {0x6c, 0x1b};
    private static final byte VARIANT_MAJOR = 0x01;
    static final int HEADER = 3;

    /** A1 dosage of each 2-bit code: 00 → 2, 01 → missing, 10 → 1, 11 → 0. */
    private static final float[] CODE_DOSAGE = {2f, Float.NaN, 1f, 0f};
    private static final int[] CODE_COUNT = {2, 0, 1, 0};
    private static final int[] CODE_CALLED = {1, 0, 1, 1};
    /** byte → the four dosages it holds, sample order (low bits first): {@code DOSAGES[4 * b + k]}. */
    private static final float[] DOSAGES = new float[256 * 4];
    /** byte → A1 allele count and non-missing calls over all four samples (no padding). */
    private static final byte[] A1_COUNT = new byte[256];
    private static final byte[] CALLED = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            int a1 = 0;
            int called = 0;
            for (int k = 0; k < 4; k++) {
                int code = (b >>> (2 * k)) & 3;
                DOSAGES[4 * b + k] = CODE_DOSAGE[code];
                a1 += CODE_COUNT[code];
                called += CODE_CALLED[code];
            }
            A1_COUNT[b] = (byte) a1;
            CALLED[b] = (byte) called;
        }
    }

    private final Path bed;
    private final List<Variant> variants;
    private final List<String> sampleIds;
    private final int nSamples;
    private final int bytesPerVariant;
    private final FileChannel channel;
    /** Each reading thread's chunk buffer (direct: a positioned read into it is one copy from the page cache). */
    private final ThreadLocal<ByteBuffer> chunk;

    /** Bytes read per positioned read (at least one variant's bytes): large enough that syscalls cost nothing, small enough to stay in L2/L3. */
    public static final int READ_CHUNK = 1 << 20;

    private BedFile(Path bed, List<Variant> variants, List<String> sampleIds, FileChannel channel) {
        this.bed = bed;
        this.variants = variants;
        this.sampleIds = sampleIds;
        this.nSamples = sampleIds.size();
        this.bytesPerVariant = bytesPerVariant(nSamples);
        this.channel = channel;
        int size = Math.max(READ_CHUNK, bytesPerVariant);
        this.chunk = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(size));
    }

    /** Bytes outside the Java heap each reading thread holds: its chunk buffer. */
    public long readBufferBytes() {
        return Math.max(READ_CHUNK, bytesPerVariant);
    }

    static int bytesPerVariant(int nSamples) {
        return (nSamples + 3) / 4;
    }

    /**
     * Opens {@code prefix.bed}, {@code prefix.bim} and {@code prefix.fam}; the argument may be the
     * prefix or any of the three files.
     */
    public static BedFile open(Path prefixOrBed) throws IOException, InputFormatException {
        String name = prefixOrBed.getFileName().toString();
        String base = name.endsWith(".bed") || name.endsWith(".bim") || name.endsWith(".fam")
                ? name.substring(0, name.length() - 4) : name;
        Path bed = prefixOrBed.resolveSibling(base + ".bed");
        Path bim = prefixOrBed.resolveSibling(base + ".bim");
        Path fam = prefixOrBed.resolveSibling(base + ".fam");
        for (Path p : List.of(bed, bim, fam))
            if (!Files.isRegularFile(p))
                throw new InputFormatException(p, "missing (a PLINK fileset needs " + base + ".bed, .bim and .fam side by side)");
        List<String> samples = readFam(fam);
        List<Variant> variants = readBim(bim);
        FileChannel ch = FileChannel.open(bed, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEADER, size));
            readFully(ch, head, 0);
            checkHeader(bed, head.array(), size);
            long expected = HEADER + (long) variants.size() * bytesPerVariant(samples.size());
            if (size != expected)
                throw new InputFormatException(bed, "is " + size + " bytes but " + bim.getFileName() + " (" + variants.size()
                        + " variants) and " + fam.getFileName() + " (" + samples.size() + " samples) need 3 + "
                        + variants.size() + " x " + bytesPerVariant(samples.size()) + " = " + expected
                        + " bytes; the three files do not belong together or one is truncated");
            return new BedFile(bed, variants, samples, ch);
        } catch (IOException | InputFormatException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Fills {@code buf} from {@code position} on; a file that ends first is an IOException. */
    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) throw new java.io.EOFException("unexpected end of file at byte " + p);
            p += r;
        }
    }

    private static void checkHeader(Path bed, byte[] head, long size) throws InputFormatException {
        if (size < HEADER || head[0] != MAGIC[0] || head[1] != MAGIC[1]) {
            StringBuilder found = new StringBuilder();
            for (int i = 0; i < Math.min(3, size); i++)
                found.append(i == 0 ? "" : " ").append(String.format("0x%02x", head[i]));
            throw new InputFormatException(bed, "not a PLINK 1 .bed file: expected magic bytes 0x6c 0x1b 0x01, found "
                    + (size == 0 ? "an empty file" : found.toString()));
        }
        byte mode = head[2];
        if (mode == 0)
            throw new InputFormatException(bed, "is in the old sample-major mode (third byte 0x00), which omx does not read; "
                    + "rewrite it variant-major with 'plink --bfile PREFIX --make-bed --out NEW'");
        if (mode != VARIANT_MAJOR)
            throw new InputFormatException(bed, String.format("expected mode byte 0x01 (variant-major) after the magic, found 0x%02x", mode));
    }

    /** Splits on runs of spaces and tabs. */
    private static String[] fields(String line) {
        String s = line.strip();
        return s.isEmpty() ? new String[0] : s.split("[ \t]+");
    }

    /** 1-based character column where whitespace-separated field {@code index} (0-based) starts. */
    private static int column(String line, int index) {
        int i = 0;
        int n = line.length();
        for (int f = 0; ; f++) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            if (f == index || i >= n) return i + 1;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
        }
    }

    static List<Variant> readBim(Path bim) throws IOException, InputFormatException {
        List<Variant> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(bim, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) throw new InputFormatException(bim, lineNo, 1, "6 fields 'chrom id cm pos a1 a2'", "an empty line");
                String[] f = fields(line);
                if (f.length != 6)
                    throw new InputFormatException(bim, lineNo, 1, "6 fields 'chrom id cm pos a1 a2' (this line has " + f.length + ")", line);
                double cm;
                long pos;
                try {
                    cm = Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    throw new InputFormatException(bim, lineNo, column(line, 2), "a centimorgan position (field 3)", f[2]);
                }
                try {
                    pos = Long.parseLong(f[3]);
                } catch (NumberFormatException e) {
                    throw new InputFormatException(bim, lineNo, column(line, 3), "a base-pair position (field 4)", f[3]);
                }
                out.add(new Variant(f[0], f[1], cm, pos, f[4], f[5]));
            }
        }
        return List.copyOf(out);
    }

    static List<String> readFam(Path fam) throws IOException, InputFormatException {
        List<String> fids = new ArrayList<>();
        List<String> iids = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(fam, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] f = fields(line);
                if (f.length != 6)
                    throw new InputFormatException(fam, lineNo, 1, "6 fields 'fid iid father mother sex phenotype' (this line has " + f.length + ")",
                            line.isEmpty() ? "an empty line" : line);
                fids.add(f[0]);
                iids.add(f[1]);
            }
        }
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (String iid : iids) unique &= seen.add(iid);
        if (unique) return List.copyOf(iids);
        List<String> ids = new ArrayList<>(iids.size());
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < iids.size(); i++) {
            String id = fids.get(i) + "_" + iids.get(i);
            Integer prev = first.putIfAbsent(id, i + 1);
            if (prev != null)
                throw new InputFormatException(fam, i + 1, 1, "a sample (FID and IID) not already on line " + prev,
                        fids.get(i) + " " + iids.get(i));
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    public Path bedPath() {
        return bed;
    }

    public long nVariants() {
        return variants.size();
    }

    public int nSamples() {
        return nSamples;
    }

    public List<Variant> variants() {
        return variants;
    }

    public List<String> sampleIds() {
        return sampleIds;
    }

    /**
     * Decodes variants {@code [firstVariant, firstVariant + count)} into {@code out}, variant-major:
     * {@code out[v * nSamples() + s]} is the A1 dosage (0, 1, 2) of sample s at variant
     * {@code firstVariant + v}. A missing call is NaN, or with {@code meanImpute} the variant's mean
     * dosage over its non-missing calls; a variant with no call at all stays NaN either way, since
     * there is no mean to impute and a made-up value would hide that.
     */
    public void decode(long firstVariant, int count, float[] out, boolean meanImpute) {
        if (firstVariant < 0 || count < 0 || firstVariant + count > variants.size())
            throw new IndexOutOfBoundsException("variants " + firstVariant + ".." + (firstVariant + count) + " outside 0.." + variants.size());
        if ((long) count * nSamples > out.length)
            throw new IndexOutOfBoundsException("output holds " + out.length + " values, need " + (long) count * nSamples);
        byte[] packed = new byte[bytesPerVariant];
        int fullBytes = nSamples / 4;
        int tail = nSamples % 4;
        ByteBuffer buf = chunk.get();
        int perChunk = buf.capacity() / bytesPerVariant;
        for (int v = 0; v < count; v++) {
            if (v % perChunk == 0) read(firstVariant + v, Math.min(perChunk, count - v), buf);
            buf.get(packed);
            int base = v * nSamples;
            for (int k = 0; k < fullBytes; k++) {
                int b = 4 * (packed[k] & 0xff);
                int o = base + 4 * k;
                out[o] = DOSAGES[b];
                out[o + 1] = DOSAGES[b + 1];
                out[o + 2] = DOSAGES[b + 2];
                out[o + 3] = DOSAGES[b + 3];
            }
            if (tail > 0) {
                int b = 4 * (packed[fullBytes] & 0xff);
                for (int k = 0; k < tail; k++) out[base + 4 * fullBytes + k] = DOSAGES[b + k];
            }
            if (meanImpute) {
                AlleleStats st = stats(packed);
                if (st.nonMissing() < nSamples && st.nonMissing() > 0) {
                    float mean = (float) (2 * st.a1Frequency());
                    for (int s = base; s < base + nSamples; s++) if (Float.isNaN(out[s])) out[s] = mean;
                }
            }
        }
    }

    /** Non-missing calls and A1 frequency at one variant, counted from the packed bytes with lookup tables. */
    public AlleleStats alleleStats(long variant) {
        if (variant < 0 || variant >= variants.size())
            throw new IndexOutOfBoundsException("variant " + variant + " outside 0.." + variants.size());
        byte[] packed = new byte[bytesPerVariant];
        ByteBuffer buf = chunk.get();
        read(variant, 1, buf);
        buf.get(packed);
        return stats(packed);
    }

    /** Reads the packed bytes of {@code count} variants from {@code first} on into {@code buf}, ready to get. */
    private void read(long first, int count, ByteBuffer buf) {
        buf.clear().limit(count * bytesPerVariant);
        try {
            readFully(channel, buf, HEADER + first * bytesPerVariant);
        } catch (IOException e) {
            throw new UncheckedIOException(bed + ": reading variants " + first + ".." + (first + count) + ": " + e.getMessage(), e);
        }
        buf.flip();
    }

    private AlleleStats stats(byte[] packed) {
        int fullBytes = nSamples / 4;
        long a1 = 0;
        int called = 0;
        for (int k = 0; k < fullBytes; k++) {
            int b = packed[k] & 0xff;
            a1 += A1_COUNT[b];
            called += CALLED[b];
        }
        for (int s = 4 * fullBytes; s < nSamples; s++) {
            int code = (packed[s >>> 2] >>> (2 * (s & 3))) & 3;
            a1 += CODE_COUNT[code];
            called += CODE_CALLED[code];
        }
        return new AlleleStats(called, called == 0 ? Double.NaN : a1 / (2.0 * called));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(bed + ": " + e.getMessage(), e);
        }
    }
}
