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
                // native / mapped allocations of each pass (SoftThreshold: b x g tile; adjacency: b x g mapped rows;
                // TOM: product tile t x t native, adjacency rows I and J and TOM rows I mapped, mirrored tile)
                long data = 8L * g * n;
                long table = 4L * b * g;
                long tom = 4L * t * t + 3 * 4L * t * g + 4L * t * t;
                long heap = 2 * 4L * t * t;                                // TOM quotient and transpose copies (heap)
                assertTrue(plan.heapBytes() >= heap + TilePlan.HEAP_FLOOR_BYTES, "heap term holds the TOM's heap copies");
                long est = plan.estimatedPeakBytes();
                long base = TilePlan.JVM_NATIVE_BYTES + plan.heapBytes() + data;
                assertTrue(est >= base + Math.max(table, tom), "estimate covers the tiled passes at " + g + " x " + n);
                assertTrue(est >= base + 4L * g * g, "estimate covers the clustering pass's dissimilarity");
                assertTrue(TilePlan.budgeted(g, n, b) <= budget, "the tiled buffers fit --memory");
                // tight: not more than the largest pass plus per-feature arrays and -Xmx rounding
                assertTrue(est <= base + Math.max(Math.max(table, tom), 4L * g * g) + TilePlan.PER_FEATURE_BYTES * g + (32L << 20));
            }
        }
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
