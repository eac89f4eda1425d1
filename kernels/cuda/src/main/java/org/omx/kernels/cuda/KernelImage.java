package org.omx.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled kernels as the jar carries them: PTX for a virtual architecture (any newer GPU
 * JIT-compiles it at load) and a cubin for sm_90 (H100/H200 load it as is, and so do drivers too
 * old for the PTX's ISA version). Built from src/main/cuda by build-kernels.sh.
 *
 * @param ptx          the PTX text
 * @param ptxIsa       its {@code .version}, e.g. "9.0"
 * @param target       its {@code .target}, e.g. "sm_75"
 * @param sourceSha256 the SHA-256 of the .cu it was generated from, from its first line
 */
record KernelImage(String ptx, String ptxIsa, String target, String sourceSha256) {

    static final String PTX_RESOURCE = "omx_kernels.ptx";
    static final String CUBIN_SM90_RESOURCE = "omx_kernels.sm_90.cubin";

    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*\\.version\\s+(\\d+\\.\\d+)");
    private static final Pattern TARGET = Pattern.compile("(?m)^\\s*\\.target\\s+(\\w+)");
    private static final Pattern SOURCE = Pattern.compile("^// omx-source: \\S+ sha256=([0-9a-f]{64})");

    static KernelImage load() {
        return parse(new String(resource(PTX_RESOURCE), StandardCharsets.US_ASCII));
    }

    static KernelImage parse(String ptx) {
        Matcher v = VERSION.matcher(ptx);
        Matcher t = TARGET.matcher(ptx);
        Matcher s = SOURCE.matcher(ptx);
        if (!v.find() || !t.find()) throw new IllegalStateException("PTX without .version or .target header");
        return new KernelImage(ptx, v.group(1), t.group(1), s.find() ? s.group(1) : null);
    }

    /** The PTX as the driver wants it: NUL-terminated bytes. */
    byte[] ptxBytes() {
        byte[] text = ptx.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    /** The CUDA driver version (1000 * major + 10 * minor) that first accepts this PTX ISA version. */
    int minimumDriverForPtx() {
        String[] mm = ptxIsa.split("\\.");
        int major = Integer.parseInt(mm[0]);
        int minor = Integer.parseInt(mm[1]);
        // PTX ISA 9.x came with CUDA 13.x, 8.x with CUDA 12.x (ISA 8.0 = CUDA 12.0 ... 8.8 = 12.9).
        if (major >= 9) return 13000 + 10 * minor;
        if (major == 8) return 12000 + 10 * minor;
        return 11000;
    }

    static byte[] resource(String name) {
        try (InputStream in = KernelImage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("kernel resource " + name + " missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
