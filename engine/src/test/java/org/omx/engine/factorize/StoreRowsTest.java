package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StoreRowsTest {

    @TempDir
    Path dir;

    /** Every value of every tile, twice over (the second pass reads pages the first one released). */
    @Test
    void tiles_read_the_same_values_in_every_pass_after_their_pages_are_released() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(1000, 300, 3, 0.7, 0.5, 4);
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "x", a))) {
            for (int[] cols : new int[][]{null, {5, 2, 299, 0}}) {
                StoreRows rows = new StoreRows(s, cols);
                for (int pass = 0; pass < 2; pass++) {
                    int[] seen = {0};
                    rows.forEachTile(77, (tile, r0) -> {
                        for (int i = 0; i < tile.rows(); i++)
                            for (int j = 0; j < tile.cols(); j++) {
                                int c = cols == null ? j : cols[j];
                                assertEquals((float) a[(int) r0 + i][c], tile.get(i, j), "row " + (r0 + i) + " col " + c);
                            }
                        seen[0] += tile.rows();
                    });
                    assertEquals(1000, seen[0]);
                }
            }
            assertEquals(4L * 77 * 300, new StoreRows(s).mappedBytes(77), "one tile of the mapping is resident at a time");
            assertEquals(4L * 1000 * 300, new StoreRows(s).mappedBytes(5000), "a tile is never more than the store");
        }
    }

    /** Pages stay mapped between passes only where the whole store fits the spare budget; values are the same. */
    @Test
    void pages_are_kept_between_passes_only_where_the_whole_store_fits() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(1000, 300, 3, 0.7, 0.5, 4);
        long bytes = 4L * 1000 * 300;
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "k", a))) {
            StoreRows released = new StoreRows(s);
            assertTrue(released.releasesPages());
            assertSame(released, released.keepingPagesWithin(bytes - 1), "one byte short: pages are released");
            RowSource kept = released.keepingPagesWithin(bytes);
            assertFalse(((StoreRows) kept).releasesPages());
            assertEquals(bytes, kept.mappedBytes(77), "the whole mapping stays resident");
            for (int pass = 0; pass < 2; pass++)
                kept.forEachTile(77, (tile, r0) -> {
                    for (int i = 0; i < tile.rows(); i++)
                        for (int j = 0; j < tile.cols(); j++)
                            assertEquals((float) a[(int) r0 + i][j], tile.get(i, j), "row " + (r0 + i) + " col " + j);
                });
            kept.releaseKeptPages();   // the values stay readable: the page cache keeps the file
            kept.forEachTile(500, (tile, r0) -> assertEquals((float) a[(int) r0][7], tile.get(0, 7)));
            // the randomized SVD keeps them where half of what its planned buffers leave holds the store
            RandomizedSvd.Options o = RandomizedSvd.Options.pca(3);
            assertEquals(bytes, RandomizedSvd.processMemory(released, o, 64L << 20, "cpu").mapped());
            long window = RandomizedSvd.processMemory(released, o, 2L << 20, "cpu").mapped();
            assertTrue(window < bytes && window == 4L * 300 * (window / 1200),
                    "half of a 2 MiB budget cannot hold the 1.1 MiB store: one tile at a time, " + window + " bytes");
        }
    }

    @Test
    void process_memory_adds_the_off_heap_parts_to_the_planned_heap_and_to_its_limit() {
        ProcessMemory m = new ProcessMemory(1L << 30, 3L << 30, 10L << 20, 1L << 20);
        long off = (10L << 20) + (1L << 20) + ProcessMemory.JVM_NATIVE;
        assertEquals((1L << 30) + off, m.expected());
        assertEquals((3L << 30) + off, m.bound());
        assertTrue(m.describe().contains("heap grown to its limit 3.0 GiB"), m.describe());
        assertFalse(m.describe().contains("BELOW"), m.describe());
        ProcessMemory tight = new ProcessMemory(4L << 30, 1L << 30, 0, 0);
        assertEquals((1L << 30) + ProcessMemory.JVM_NATIVE, tight.expected(), "the heap cannot hold more than its limit");
        assertTrue(tight.describe().contains("BELOW the planned buffers"), tight.describe());
    }

    @Test
    void the_randomized_svd_plan_names_the_process_figures() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(200, 50, 3, 0.7, 0.5, 4);
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "p", a))) {
            StoreRows rows = new StoreRows(s);
            RandomizedSvd.Options o = RandomizedSvd.Options.pca(3);
            ProcessMemory pm = RandomizedSvd.processMemory(rows, o, 64L << 20, "cpu");
            assertTrue(pm.heapLimit() >= Runtime.getRuntime().maxMemory(), "-Xmx, survivor spaces included");
            assertEquals(4L * 200 * 50, pm.mapped(), "the whole store: it fits the budget, so its pages stay mapped");
            String plan = RandomizedSvd.plan(rows, o, 64L << 20, "cpu");
            assertTrue(plan.endsWith("; " + pm.describe()), plan + "\n" + pm.describe());
        }
    }
}
