package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendUnavailableException;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.SelfCheck;

/** The provider's fallback line without a GPU; with one, the self-check and a large GEMM against the CPU. */
class CudaBackendTest {

    @Test
    void unavailable_reason_is_one_line_or_null() {
        CudaBackendProvider p = new CudaBackendProvider();
        String why = p.unavailableReason();
        if (why == null) return; // a GPU is here: the tests below cover it
        System.out.println("cuda backend unavailable here, as expected without a GPU: " + why);
        assertFalse(why.isBlank());
        assertFalse(why.contains("\n"), why);
        assertFalse(why.contains("Exception"), "no exception class names in the user's face: " + why);
        assertThrows(BackendUnavailableException.class, () -> p.open(0));
    }

    @Test
    void gpu_self_check_passes() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "GPU test skipped: " + why);
        try (Backend b = new CudaBackendProvider().open(0)) {
            System.out.println("cuda device: " + b.devices().getFirst());
            SelfCheck check = b.selfCheck();
            assertTrue(check.passed(), check.items().toString());
        }
    }

    @Test
    void gpu_gemm_matches_cpu_across_several_blocks() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "GPU test skipped: " + why);
        int m = 1000, n = 777, k = 333;
        SplittableRandom rnd = new SplittableRandom(5);
        try (Backend gpu = new CudaBackendProvider().open(0);
             Backend cpu = org.omx.kernels.cpu.CpuBackend.open(0);
             Arena arena = Arena.ofConfined()) {
            FloatMatrix a = FloatMatrix.allocate(arena, m, k);
            FloatMatrix b = FloatMatrix.allocate(arena, n, k);
            for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) a.set(i, p, (float) (2 * rnd.nextDouble() - 1));
            for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) b.set(j, p, (float) (2 * rnd.nextDouble() - 1));
            FloatMatrix c1 = FloatMatrix.allocate(arena, m, n);
            FloatMatrix c2 = FloatMatrix.allocate(arena, m, n);
            cpu.gemm(Op.N, a, Op.T, b, 1f, 0f, c1, Accumulation.FLOAT64);
            gpu.gemm(Op.N, a, Op.T, b, 1f, 0f, c2, Accumulation.FLOAT32);
            double worst = 0;
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) worst = Math.max(worst, Math.abs(c1.get(i, j) - c2.get(i, j)));
            assertTrue(worst <= 1e-5 * k, "max abs error " + worst); // |a b| <= 1 per term
        }
    }

    /** Correlation's call: a row block of Z against Z, both N/T views of one matrix (A read from the resident Z). */
    @Test
    void gpu_shared_operand_and_blocked_schedules_match_a_double_reference() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "GPU test skipped: " + why);
        int n = 1100, k = 301;
        SplittableRandom rnd = new SplittableRandom(9);
        try (Backend gpu = new CudaBackendProvider().open(0); Arena arena = Arena.ofShared()) {
            CudaBackend cuda = (CudaBackend) gpu;
            FloatMatrix z = FloatMatrix.allocate(arena, n, k);
            for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) z.set(i, p, (float) (2 * rnd.nextDouble() - 1));
            FloatMatrix a = z.rows(300, 500);
            long[] freeBytes = {1L << 30, 3L << 20, 2L << 20}; // shared resident, then too small for Z: blocked
            for (long free : freeBytes) {
                FloatMatrix c = FloatMatrix.allocate(arena, 500, n);
                cuda.gemmFloat32(Op.N, a, Op.T, z, 1f, 0f, c, free);
                double worst = 0;
                for (int i = 0; i < 500; i++)
                    for (int j = 0; j < n; j++) {
                        double want = 0;
                        for (int p = 0; p < k; p++) want += (double) a.get(i, p) * z.get(j, p);
                        worst = Math.max(worst, Math.abs(want - c.get(i, j)));
                    }
                System.out.println("cuda NT gemm, " + GemmSchedule.plan(500, n, k, 300, free).mode + ": max abs error " + worst);
                assertTrue(worst <= 1e-5 * k, "max abs error " + worst + " with " + free + " bytes free");
            }
        }
    }
}
