package org.omx.io.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format 1.0) holding a 2-D little-endian float32 array in
 * C order. omx always writes a header of exactly {@link #LENGTH} bytes, so the data starts on a
 * 64-byte boundary and the header can be rewritten in place once a streamed matrix knows its row count.
 * See numpy/lib/format.py for the format.
 */
public record NpyHeader(long rows, long cols, long dataOffset) {

    /** Bytes reserved for magic, version, length field and the padded dict. */
    public static final int LENGTH = 128;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    /** The {@link #LENGTH}-byte header for a rows x cols float32 matrix. */
    public static byte[] encode(long rows, long cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int dictSpace = LENGTH - 10;
        if (dict.length() + 1 > dictSpace) throw new IllegalArgumentException("shape too large for header: " + dict);
        StringBuilder sb = new StringBuilder(dict);
        while (sb.length() < dictSpace - 1) sb.append(' ');
        sb.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictSpace);
        buf.put(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return buf.array();
    }

    /**
     * Parses a header from the first bytes of a file; throws IllegalArgumentException with a
     * readable reason when the file is not a 2-D little-endian float32 C-order .npy.
     */
    public static NpyHeader decode(ByteBuffer head) {
        head = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (head.remaining() < 10) throw new IllegalArgumentException("file too short for a .npy header");
        for (byte b : MAGIC)
            if (head.get() != b) throw new IllegalArgumentException("not a .npy file (magic bytes \\x93NUMPY missing)");
        int major = head.get() & 0xff;
        head.get();
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = head.getShort() & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            headerLen = head.getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        if (head.remaining() < headerLen) throw new IllegalArgumentException("truncated .npy header");
        byte[] dictBytes = new byte[(int) headerLen];
        head.get(dictBytes);
        String dict = new String(dictBytes, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict);
        if (!d.find() || !(d.group(1).equals("<f4")))
            throw new IllegalArgumentException("expected dtype '<f4' (float32 little-endian) in .npy header, found " + dict.trim());
        Matcher f = FORTRAN.matcher(dict);
        if (!f.find() || f.group(1).equals("True"))
            throw new IllegalArgumentException("expected C order (fortran_order False) in .npy header");
        Matcher s = SHAPE.matcher(dict);
        if (!s.find()) throw new IllegalArgumentException("expected a 2-D shape in .npy header, found " + dict.trim());
        return new NpyHeader(Long.parseLong(s.group(1)), Long.parseLong(s.group(2)), prefix + headerLen);
    }
}
