package org.omx.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float32 micro-kernels (Vector API and scalar) against a double-precision dot product, for both
 * layouts of A they accept: interleaved panels (row stride 1, step mr) and rows copied as they are
 * (row stride kc, step 1), writing into a strip wider than one tile at an offset. Tolerance: 1e-5 of
 * sum |a b| (float rounding over kc = 37 steps is below 40 * 2^-24 ~ 2.4e-6).
 */
class MicroKernelTest {

    private static void check(CpuKernels kernels, boolean rowsAsIs) {
        int mr = kernels.mr();
        int nr = kernels.nr();
        int kc = 37;
        int aOff = 5;
        int bOff = 3;
        SplittableRandom rnd = new SplittableRandom(rowsAsIs ? 7 : 8);
        double[][] ad = new double[mr][kc];
        double[][] bd = new double[kc][nr];
        float[] a = new float[aOff + mr * kc];
        float[] b = new float[bOff + kc * nr];
        for (int i = 0; i < mr; i++)
            for (int p = 0; p < kc; p++) {
                float v = (float) rnd.nextGaussian();
                ad[i][p] = v;
                a[aOff + (rowsAsIs ? i * kc + p : p * mr + i)] = v;
            }
        for (int p = 0; p < kc; p++)
            for (int j = 0; j < nr; j++) {
                float v = (float) rnd.nextGaussian();
                bd[p][j] = v;
                b[bOff + p * nr + j] = v;
            }
        int cRow = 3 * nr;
        int cOff = nr + 2;
        float[] c = new float[cOff + mr * cRow];
        java.util.Arrays.fill(c, Float.NaN); // the tile is stored, not added: old contents must not matter
        if (rowsAsIs) kernels.gemmTile(kc, a, aOff, kc, 1, b, bOff, c, cOff, cRow);
        else kernels.gemmTile(kc, a, aOff, 1, mr, b, bOff, c, cOff, cRow);
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++) {
                double ref = 0;
                double scale = 0;
                for (int p = 0; p < kc; p++) {
                    ref += ad[i][p] * bd[p][j];
                    scale += Math.abs(ad[i][p] * bd[p][j]);
                }
                double got = c[cOff + i * cRow + j];
                assertTrue(Math.abs(got - ref) <= 1e-5 * scale, kernels.description() + " (" + i + ", " + j + "): " + got + " vs " + ref);
            }
        // Outside the tile nothing was written.
        assertTrue(Float.isNaN(c[cOff - 1]) && Float.isNaN(c[cOff + nr]), "wrote outside the tile");
    }

    @Test
    void vector_kernel_reads_both_layouts_of_a_and_stores_into_a_strip() {
        CpuKernels vector = CpuBackendProvider.kernels();
        check(vector, false);
        check(vector, true);
    }

    @Test
    void scalar_kernel_reads_both_layouts_of_a_and_stores_into_a_strip() {
        CpuKernels scalar = new ScalarCpuKernels("test");
        check(scalar, false);
        check(scalar, true);
    }

    @Test
    void rows_of_a_are_copied_as_they_are_and_the_last_panel_is_zero_padded() {
        float[] data = new float[7 * 9];
        for (int i = 0; i < data.length; i++) data[i] = i + 1;
        org.omx.kernels.api.FloatMatrix a = org.omx.kernels.api.FloatMatrix.wrap(data, 7, 9);
        float[] dst = new float[12 * 4];
        java.util.Arrays.fill(dst, Float.NaN);
        Gemm.packARows(a, 2, 5, 3, 4, 6, dst); // rows 2..6, columns 3..6, panels of 6 rows
        for (int i = 0; i < 6; i++)
            for (int p = 0; p < 4; p++)
                assertEquals(i < 5 ? a.get(2 + i, 3 + p) : 0f, dst[i * 4 + p], "row " + i + " col " + p);
    }
}
