package org.omx.io.store;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * numpy must open matrix.npy with mmap_mode="r" and see the same numbers. Runs where a Python with
 * numpy exists (Debian python3-numpy); skips with a message elsewhere.
 */
class NumpyInteropTest {

    @TempDir
    Path dir;

    private static String pythonWithNumpy() {
        for (String py : new String[]{"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return py;
            } catch (Exception ignored) {
                // try the next one
            }
        }
        return null;
    }

    @Test
    void numpy_memory_maps_the_store_and_reads_the_same_values() throws Exception {
        String py = pythonWithNumpy();
        Assumptions.assumeTrue(py != null, "skipped: no python3 with numpy here (install python3-numpy)");
        float[][] m = MatrixStoreTest.random(17, 9, 11);
        Path store = MatrixStoreTest.write(dir.resolve("n.omx"), m, 9);
        // numpy prints every value as its float32 bit pattern; NaN compared by pattern too
        String script = String.join("\n",
                "import numpy as np, sys",
                "a = np.load(sys.argv[1], mmap_mode='r')",
                "assert isinstance(a, np.memmap), type(a)",
                "assert a.dtype == np.float32 and a.flags['C_CONTIGUOUS'], a.dtype",
                "print(a.shape[0], a.shape[1])",
                "print(' '.join(str(int(x)) for x in np.asarray(a).view(np.uint32).ravel()))");
        Path py1 = dir.resolve("check.py");
        Files.writeString(py1, script);
        Process p = new ProcessBuilder(py, py1.toString(), store.resolve("matrix.npy").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.trim().split("\n");
        assertEquals("17 9", lines[0].trim());
        String[] bits = lines[1].trim().split(" ");
        assertEquals(17 * 9, bits.length);
        for (int i = 0; i < 17; i++)
            for (int j = 0; j < 9; j++)
                assertEquals(Integer.toUnsignedLong(Float.floatToRawIntBits(m[i][j])), Long.parseLong(bits[i * 9 + j]),
                        "element (" + i + "," + j + ")");
    }
}
