package org.omx.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both float micro-tiles against a plain double loop over the same packed panels, whichever the machine
 * uses (the 6-row tile runs only where vectors are narrower than 512 bits, so CI on an AVX-512 machine
 * would not reach it through the GEMM): depths 1, 7 and 513, panels at an offset. Tolerance 1e-5 of
 * the sum of |terms| (float32 FMAs).
 */
class VectorCpuKernelsTest {

    @Test
    void both_tiles_match_a_double_loop() {
        int nr = 2 * FloatVector.SPECIES_PREFERRED.length();
        Random rng = new Random(8);
        for (int mr : new int[]{6, 8})
            for (int kc : new int[]{1, 7, 513}) {
                int aOff = 3, bOff = 5;
                float[] a = new float[aOff + kc * mr], b = new float[bOff + kc * nr], tile = new float[mr * nr];
                for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
                if (mr == 8) VectorCpuKernels.tile8(kc, a, aOff, b, bOff, tile);
                else VectorCpuKernels.tile6(kc, a, aOff, b, bOff, tile);
                for (int r = 0; r < mr; r++)
                    for (int j = 0; j < nr; j++) {
                        double s = 0, mag = 0;
                        for (int p = 0; p < kc; p++) {
                            double t = (double) a[aOff + p * mr + r] * b[bOff + p * nr + j];
                            s += t;
                            mag += Math.abs(t);
                        }
                        assertEquals(s, tile[r * nr + j], 1e-5 * mag, mr + " rows, depth " + kc + ", at " + r + "," + j);
                    }
            }
    }
}
