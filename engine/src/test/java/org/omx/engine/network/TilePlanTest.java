package org.omx.engine.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.omx.kernels.api.FloatMatrix;

import static org.junit.jupiter.api.Assertions.*;

/** The tile plan's memory model against the tiles the passes allocate, and the page release it relies on. */
class TilePlanTest {

    @Test
    void estimateCoversTheTilesThePassesAllocate() {
        for (int[] shape : new int[][]{{5_000, 1_000}, {20_000, 1_000}, {50_000, 500}, {1_000, 50}}) {
            int g = shape[0];
            int n = shape[1];
            for (long budget : new long[]{512L << 20, 4L << 30, 16L << 30}) {
                TilePlan plan;
                try {
                    plan = TilePlan.plan(g, n, budget);
                } catch (NetworkInputException tooSmall) {
                    continue;
                }
                int b = plan.blockRows();
                int t = TopologicalOverlap.tomBlockRows(plan);             // the rows the TOM pass really uses
                assertEquals(TilePlan.tomRows(g, b), t);
                assertTrue(t <= b && b <= g && b % TilePlan.ALIGN == 0 || b == g);
                // native / mapped allocations of each pass (correlation panels: t x g mapped rows J and the pages of
                // the tile below, one partial run per row; TOM: adjacency rows I and J, TOM rows J, the tiles of rows I,
                // the native product tile; then 1 - TOM strips into the adjacency's storage)
                long data = 8L * g * n;
                long strip = 4L * t * g + (long) t * Math.min(4L * t + 4096, 4L * g);
                long tom = 4 * 4L * t * g + 2L * t * Math.min(4L * t + 4096, 4L * g) + 4L * t * t;
                long resident = 2 * 4L * g * g + Math.max(4L * g * t, 8L * g * n);   // the TOM panel, or the data copies at the end
                assertTrue(plan.heapBytes() >= 8L * n * n + TilePlan.HEAP_FLOOR_BYTES, "heap term holds the samples Gram matrix");
                long est = plan.estimatedPeakBytes();
                long base = TilePlan.JVM_NATIVE_BYTES + plan.heapResidentBytes() + data;
                if (plan.inMemory()) {
                    assertTrue(TilePlan.budgeted(g, n, b) - TilePlan.tiledPass(g, b) + resident <= budget, "the two matrices fit --memory");
                    assertTrue(est >= base + resident && est <= base + resident + TilePlan.PER_FEATURE_BYTES * g);
                    assertEquals(0, plan.diskBytes());
                    continue;
                }
                assertTrue(est >= base + Math.max(strip, tom), "estimate covers the tiled passes at " + g + " x " + n);
                assertTrue(est >= base + 4L * g * g + 8L * g * n, "estimate covers the clustering's dissimilarity and the connectivity copies");
                assertTrue(TilePlan.budgeted(g, n, b) <= budget, "the tiled buffers fit --memory");
                // tight: not more than the largest pass plus per-feature arrays
                assertTrue(est <= base + Math.max(Math.max(strip, tom), 4L * g * g + 8L * g * n) + TilePlan.PER_FEATURE_BYTES * g);
            }
        }
    }

    /** The heap counts the young generation plus the live arrays, never more than the limit the run needs. */
    @Test
    void heapResidentIsTheYoungGenerationPlusLiveArraysWithinTheLimit() {
        long mib = 1L << 20;
        long heap = TilePlan.HEAP_FLOOR_BYTES + 40 * mib;       // 40 MiB of Gram matrix and per-feature arrays
        assertEquals(50 * mib + 40 * mib + TilePlan.LIVE_FLOOR_BYTES, TilePlan.heapResident(heap, 50 * mib, 40 * mib));
        assertEquals(heap, TilePlan.heapResident(heap, 1L << 30, 40 * mib), "a young generation larger than the limit is cut to it");
        TilePlan plan = TilePlan.plan(5_000, 500, 4L << 30);
        assertTrue(plan.heapResidentBytes() <= plan.heapBytes());
        assertEquals(TilePlan.heapResident(plan.heapBytes(), org.omx.engine.JvmHeap.youngGenerationBytes(), TilePlan.liveArrays(5_000, 500)),
                plan.heapResidentBytes(),
                "the plan uses this JVM's young generation");
        assertTrue(plan.describe(15).contains("at most -Xmx" + (plan.heapBytes() >> 20) + "m"), plan.describe(15));
    }

    @Test
    void smallNetworksStayInMemoryLargeOnesUseFiles() {
        assertTrue(TilePlan.plan(5_000, 500, 4L << 30).inMemory());           // 200 MB of matrices
        assertTrue(TilePlan.plan(20_000, 1_000, 4L << 30).inMemory());        // 3.2 GB: adjacency (then 1 - TOM) and TOM
        assertFalse(TilePlan.plan(30_000, 1_000, 4L << 30).inMemory());       // 7.2 GB: mapped files, tiles resident
        assertFalse(TilePlan.plan(5_000, 500, 200L << 20).inMemory());
        assertTrue(TilePlan.plan(5_000, 500, 4L << 30).describe(15).contains("in memory"));
    }

    @Test
    void tooSmallBudgetNamesMemory() {
        NetworkInputException e = assertThrows(NetworkInputException.class, () -> TilePlan.plan(20_000, 1_000, 64L << 20));
        assertTrue(e.getMessage().contains("--memory"), e.getMessage());
    }

    @Test
    void releaseDropsMappedPagesButKeepsTheData(@TempDir Path dir) throws IOException {
        int g = 2048;
        Path f = dir.resolve("m.bin");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared()) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4L * g * g, arena);
            FloatMatrix m = TopologicalOverlap.square(s, g);
            float[] row = new float[g];
            for (int i = 0; i < g; i++) {
                java.util.Arrays.fill(row, i);
                m.setRow(i, row, 0);
            }
            long before = rssFileKb();
            TopologicalOverlap.release(m, 0, g);
            long after = rssFileKb();
            if (before > 0) assertTrue(before - after > 4L * g * g / 1024 / 2, "resident file pages dropped: " + before + " -> " + after + " kB");
            for (int i = 0; i < g; i += 97) assertEquals(i, m.get(i, g - 1 - i % g), "data kept after release");
            TopologicalOverlap.release(TopologicalOverlap.square(Arena.ofAuto().allocate(16), 2), 0, 2);   // not mapped: no-op
        }
    }

    private static long rssFileKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return -1;
        for (String l : Files.readAllLines(status))
            if (l.startsWith("RssFile:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        return -1;
    }
}
