package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.Reduction;

/** Launch geometry, tile planning and driver checks: host logic, no GPU needed. */
class HostPlanningTest {

    @Test
    void sgemm_grid_covers_the_padded_matrix_with_256_threads() {
        LaunchGeometry g = LaunchGeometry.sgemm(20_096, 256);
        assertEquals(2, g.gridX());
        assertEquals(157, g.gridY());
        assertEquals(256, g.threads());
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.sgemm(100, 128));
        LaunchGeometry d = LaunchGeometry.dgemm(128, 64);
        assertEquals(4, d.gridX());
        assertEquals(8, d.gridY());
        assertEquals(256, d.threads());
    }

    @Test
    void row_and_column_kernels_cover_every_line() {
        assertEquals(1001, LaunchGeometry.perRow(1001).gridX());
        assertEquals(4, LaunchGeometry.perColumn(1001).gridX());
        LaunchGeometry e = LaunchGeometry.elementwise2d(7, 257);
        assertEquals(2, e.gridX());
        assertEquals(7, e.gridY());
        assertEquals(1, LaunchGeometry.gridStride(0).gridX());
        assertEquals(LaunchGeometry.MAP_MAX_BLOCKS, LaunchGeometry.gridStride(1L << 40).gridX());
    }

    @Test
    void correlation_on_an_h100_plans_overlapping_blocks_that_fit() {
        long free = 79L << 30; // an H100 80 GB with its context loaded
        GemmTilePlan p = GemmTilePlan.plan(20_000, 20_000, 100_000, free);
        assertTrue(p.deviceBytes() <= free * GemmTilePlan.MEMORY_FRACTION, p.toString());
        assertEquals(0, p.mb() % 128);
        assertEquals(0, p.nb() % 128);
        assertEquals(100_000, p.kPad());
        assertTrue((20_000 + p.mb() - 1) / p.mb() >= GemmTilePlan.MIN_BLOCKS, "too few blocks to overlap: " + p);
        assertTrue((long) p.kPad() * p.nb() <= GemmTilePlan.MAX_BUFFER_FLOATS, p.toString());
    }

    @Test
    void small_memory_gives_small_blocks_and_too_little_is_an_error() {
        GemmTilePlan p = GemmTilePlan.plan(10_000, 10_000, 1_000, 512L << 20);
        assertTrue(p.deviceBytes() <= (512L << 20) * GemmTilePlan.MEMORY_FRACTION, p.toString());
        assertTrue(p.nb() >= 128 && p.mb() >= 128, p.toString());
        assertThrows(IllegalStateException.class, () -> GemmTilePlan.plan(1000, 1000, 1_000_000, 64L << 20));
        GemmTilePlan tiny = GemmTilePlan.plan(3, 5, 7, 1L << 30);
        assertEquals(128, tiny.mb());
        assertEquals(128, tiny.nb());
        assertEquals(8, tiny.kPad());
    }

    @Test
    void driver_checks_say_why_in_one_line() {
        KernelImage ptx90 = KernelImage.parse(".version 9.0\n.target sm_75\n");
        assertNull(DriverCompatibility.reason(13000, 8, 0, ptx90));
        assertNull(DriverCompatibility.reason(12040, 9, 0, ptx90), "sm_90 loads the cubin on a CUDA 12 driver");
        String old = DriverCompatibility.reason(12080, 8, 9, ptx90);
        assertTrue(old != null && old.contains("CUDA 12.8") && old.contains("13.0") && !old.contains("\n"), old);
        String ancient = DriverCompatibility.reason(13000, 7, 0, ptx90);
        assertTrue(ancient != null && ancient.contains("7.0"), ancient);
        assertEquals(DriverCompatibility.Choice.CUBIN_SM90, DriverCompatibility.choose(9, 0));
        assertEquals(DriverCompatibility.Choice.PTX, DriverCompatibility.choose(10, 0));
    }

    @Test
    void kernel_op_codes_follow_the_enum_order() {
        // map_elementwise and reduce_* in omx_kernels.cu switch on these ordinals.
        String[] ops = {"AFFINE", "LOG", "LOG2", "EXP", "SQRT", "ABS", "SIGNED_POW", "CLAMP", "FILL_MISSING"};
        for (int i = 0; i < ops.length; i++) assertEquals(ops[i], ElementwiseOp.values()[i].name());
        assertEquals(ops.length, ElementwiseOp.values().length);
        String[] reds = {"SUM", "SUM_OF_SQUARES", "MIN", "MAX", "COUNT"};
        for (int i = 0; i < reds.length; i++) assertEquals(reds[i], Reduction.values()[i].name());
        assertEquals(reds.length, Reduction.values().length);
    }
}
