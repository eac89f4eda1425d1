package org.omx.io.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a (decompressed) byte stream into chunks that end on a line boundary, so that each chunk can
 * be parsed on its own thread. Every chunk ends with {@code '\n'} (one is added after a last line
 * that lacks it), which lets the parser scan without bounds checks. A line longer than the chunk
 * size grows the chunk; nothing else allocates.
 */
final class LineChunkReader {

    /** Bytes kept free at the end of a chunk buffer: a newline, and 8-byte reads past the data. */
    static final int SLACK = 32;

    private final InputStream in;
    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean eof;
    private long bytesRead;

    LineChunkReader(InputStream in) {
        this.in = in;
    }

    /** Decompressed bytes consumed so far. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * Fills {@code chunk} with whole lines: the bytes left over from the previous call, then as much
     * of the stream as fits, cut after the last newline. Returns false at the end of the input.
     */
    boolean next(Chunk chunk) throws IOException {
        if (eof && carryLength == 0) return false;
        byte[] buf = chunk.bytes;
        if (buf.length < carryLength + 2 * SLACK) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, carryLength + 2 * SLACK));
        System.arraycopy(carry, 0, buf, 0, carryLength);
        int filled = carryLength;
        int searchFrom = carryLength;
        carryLength = 0;
        while (true) {
            // keep room for a newline appended at the end of the input and for the parser's 8-byte reads
            while (!eof && filled < buf.length - SLACK) {
                int n = in.read(buf, filled, buf.length - SLACK - filled);
                if (n < 0) {
                    eof = true;
                } else {
                    filled += n;
                    bytesRead += n;
                }
            }
            int lastNewline = lastIndexOf(buf, '\n', searchFrom, filled);
            if (eof) {
                if (filled == 0) return false;
                if (lastNewline != filled - 1) buf[filled++] = '\n';
                chunk.set(buf, filled);
                return true;
            }
            if (lastNewline >= 0) {
                int tail = filled - (lastNewline + 1);
                if (carry.length < tail) carry = new byte[Math.max(tail, carry.length * 2)];
                System.arraycopy(buf, lastNewline + 1, carry, 0, tail);
                carryLength = tail;
                chunk.set(buf, lastNewline + 1);
                return true;
            }
            // one line longer than the whole chunk: grow and keep reading
            searchFrom = filled;
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
    }

    private static int lastIndexOf(byte[] b, char ch, int from, int to) {
        for (int i = to - 1; i >= from; i--) if (b[i] == ch) return i;
        return -1;
    }

    /** A buffer of whole lines and its position in the file. */
    static final class Chunk {
        byte[] bytes;
        int length;

        Chunk(int capacity) {
            bytes = new byte[Math.max(capacity, 2 * SLACK)];
        }

        void set(byte[] buf, int length) {
            this.bytes = buf;
            this.length = length;
        }
    }
}
