package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.omx.kernels.cuda.GemmSchedule.Kind;
import org.omx.kernels.cuda.GemmSchedule.Mode;
import org.omx.kernels.cuda.GemmSchedule.Step;

/** The GEMM's transfer and tile schedule, replayed without a GPU: coverage, data dependencies, bytes, memory. */
class GemmScheduleTest {

    private static final long GB = 1_000_000_000L;

    /**
     * Replays the steps: every product's A and B rows must be on the device (uploaded in the current B
     * block, or A in the slot the product runs on), every element of C computed exactly once.
     */
    private static void replay(GemmSchedule s) {
        int[] computed = new int[s.m * s.n];
        BitSet bRows = new BitSet();
        int blockStart = 0;
        int blockCols = 0;
        int[] aRow = {-1, -1};
        int[] aRows = {0, 0};
        for (Step st : s.steps) {
            switch (st.kind()) {
                case B_BLOCK -> {
                    bRows.clear();
                    blockStart = st.col0();
                    blockCols = st.cols();
                    assertTrue(st.colsPad() <= s.bResidentRows(), "block fits the resident buffer");
                }
                case UPLOAD_B -> {
                    assertEquals(GemmSchedule.COPY_STREAM, st.slot());
                    assertTrue(st.col0() >= blockStart && st.col0() + st.colsPad() - blockStart <= s.bResidentRows(), st.toString());
                    bRows.set(st.col0(), st.col0() + st.cols());
                }
                case UPLOAD_A -> {
                    assertTrue(st.rowsPad() <= s.aPanelRows(), "panel fits its buffer: " + st);
                    aRow[st.slot()] = st.row0();
                    aRows[st.slot()] = st.rows();
                }
                case PRODUCT -> {
                    assertTrue(st.rowsPad() * (long) st.colsPad() <= s.cBlockFloats());
                    assertTrue(st.col0() >= blockStart && st.col0() + st.cols() <= blockStart + blockCols, st.toString());
                    for (int j = st.col0(); j < st.col0() + st.cols(); j++) assertTrue(bRows.get(j), "B row " + j + " not yet there: " + st);
                    if (s.mode == Mode.SHARED_RESIDENT) {
                        for (int i = st.row0(); i < st.row0() + st.rows(); i++)
                            assertTrue(bRows.get(s.aOffset + i), "A row " + i + " not yet there: " + st);
                        assertTrue(s.aOffset + st.row0() + st.rowsPad() <= s.bResidentRows(), "A reads stay inside the buffer");
                    } else {
                        assertEquals(st.row0(), aRow[st.slot()], "slot holds another panel: " + st);
                        assertEquals(st.rows(), aRows[st.slot()]);
                    }
                    for (int i = st.row0(); i < st.row0() + st.rows(); i++)
                        for (int j = st.col0(); j < st.col0() + st.cols(); j++) computed[i * s.n + j]++;
                }
            }
        }
        for (int x = 0; x < computed.length; x++) assertEquals(1, computed[x], "C(" + x / s.n + "," + x % s.n + ") computed once");
    }

    @Test
    void correlation_100k_samples_20k_features_on_an_80gb_device_moves_z_once() {
        long free = 79L << 30; // H100 80 GB with a context
        GemmSchedule s = GemmSchedule.plan(20_000, 20_000, 100_000, 0, free);
        System.out.println("100,000 x 20,000 on 79 GiB: " + s);
        assertEquals(Mode.SHARED_RESIDENT, s.mode);
        assertEquals(0.0, s.aCrossings());
        assertEquals(1.0, s.bCrossings());
        assertEquals(4L * 20_096 * 100_000, s.hostToDeviceBytes()); // Z once, padded to 128 rows: 8.04 GB
        assertTrue(s.deviceToHostBytes() < 1.8 * GB, "C once plus tile padding: " + s.deviceToHostBytes());
        assertTrue(s.peakDeviceBytes() <= free * GemmSchedule.MEMORY_FRACTION, s.toString());
        assertTrue(s.pinnedHostBytes() > (1L << 30), "staging beyond the old 1 GiB cap: " + s.pinnedHostBytes());
        assertEquals(16, LaunchGeometry.ceilDiv(20_000, s.panel), "16 chunks: the GPU starts after 1/16 of Z");
        long firstProduct = s.steps.stream().takeWhile(st -> st.kind() != Kind.PRODUCT).filter(st -> st.kind() == Kind.UPLOAD_B).count();
        assertEquals(1, firstProduct, "the first kernel waits for one chunk only");
    }

    @Test
    void schedules_replay_consistently_in_every_mode() {
        replay(GemmSchedule.plan(1000, 1000, 300, 0, 1L << 30));        // Z Z^T
        replay(GemmSchedule.plan(300, 1000, 300, 450, 1L << 30));       // a row block of Z against Z
        replay(GemmSchedule.plan(77, 1000, 300, 923, 1L << 30));        // the last rows
        replay(GemmSchedule.plan(1000, 777, 333, -1, 1L << 30));        // separate A: B resident
        GemmSchedule blocked = GemmSchedule.plan(1000, 3000, 5000, -1, 40L << 20);
        assertEquals(Mode.B_BLOCKED, blocked.mode, blocked.toString());
        replay(blocked);
        GemmSchedule sharedBlocked = GemmSchedule.plan(3000, 3000, 5000, 0, 40L << 20);
        assertEquals(Mode.B_BLOCKED, sharedBlocked.mode, "Z does not fit: falls back to blocks");
        replay(sharedBlocked);
    }

    @Test
    void the_gpu_test_exercises_the_shared_and_two_blocked_schedules() {
        // CudaBackendTest.gpu_shared_operand_and_blocked_schedules_match_a_double_reference relies on these
        assertEquals(Mode.SHARED_RESIDENT, GemmSchedule.plan(500, 1100, 301, 300, 1L << 30).mode);
        GemmSchedule three = GemmSchedule.plan(500, 1100, 301, 300, 3L << 20);
        GemmSchedule two = GemmSchedule.plan(500, 1100, 301, 300, 2L << 20);
        assertEquals(Mode.B_BLOCKED, three.mode);
        assertEquals(Mode.B_BLOCKED, two.mode);
        assertTrue(LaunchGeometry.ceilDiv(1100, two.bBlock) >= 2, two.toString());
        replay(three);
        replay(two);
        GemmSchedule resident = GemmSchedule.plan(1000, 777, 333, -1, 1L << 30); // CudaBackendTest's other GEMM
        assertEquals(Mode.B_RESIDENT, resident.mode);
        assertEquals(8, LaunchGeometry.ceilDiv(1000, resident.panel), "eight A panels over two streams");
    }

    @Test
    void small_device_cuts_b_into_blocks_each_crossing_once_and_stays_in_budget() {
        long free = 4L << 30; // 4 GiB: Z (8 GB) cannot stay
        GemmSchedule s = GemmSchedule.plan(20_000, 20_000, 100_000, 0, free);
        System.out.println("100,000 x 20,000 on 4 GiB: " + s);
        assertEquals(Mode.B_BLOCKED, s.mode);
        assertTrue(s.peakDeviceBytes() <= free * GemmSchedule.MEMORY_FRACTION, s.toString());
        assertEquals(1.0, s.bCrossings(), 1e-12);
        int blocks = LaunchGeometry.ceilDiv(20_000, s.bBlock);
        assertEquals(blocks, s.aCrossings(), 1e-12, "A once per B block");
        assertTrue(blocks <= 6, "a 4 GiB device still takes wide blocks: " + s);
        assertEquals(4L * (blocks * 20_000L + 20_096) * 100_000, s.hostToDeviceBytes(), 4L * blocks * 128 * 100_000);
    }

    @Test
    void too_little_memory_is_a_clear_error() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GemmSchedule.plan(1000, 1000, 1_000_000, -1, 64L << 20));
        assertTrue(e.getMessage().contains("64 MiB"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmSchedule.plan(10, 10, 10, 5, 1L << 30));
    }

    @Test
    void shared_row_offset_recognises_a_row_block_of_the_same_matrix_only() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            org.omx.kernels.api.FloatMatrix z = org.omx.kernels.api.FloatMatrix.allocate(arena, 100, 30);
            org.omx.kernels.api.FloatMatrix other = org.omx.kernels.api.FloatMatrix.allocate(arena, 100, 30);
            assertEquals(0, GemmSchedule.sharedRowOffset(z, z));
            assertEquals(40, GemmSchedule.sharedRowOffset(z.rows(40, 20), z));
            assertEquals(30, GemmSchedule.sharedRowOffset(z.rows(40, 20), z.rows(10, 90)));
            assertEquals(-1, GemmSchedule.sharedRowOffset(z.rows(5, 20), z.rows(10, 90)), "A starts before B");
            assertEquals(-1, GemmSchedule.sharedRowOffset(z.rows(80, 20), z.rows(0, 90)), "A ends after B");
            assertEquals(-1, GemmSchedule.sharedRowOffset(z, other));
            assertEquals(-1, GemmSchedule.sharedRowOffset(z.block(0, 1, 10, 29), z.block(0, 0, 100, 29)), "not row-aligned");
        }
    }
}
