package org.omx.engine.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.kernels.api.FloatMatrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The clustering's dissimilarity moved from its scratch file into native memory (and left in place when it does not fit). */
class NetworkScratchTest {

    @TempDir
    Path dir;

    @Test
    void dissimilarity_moves_to_memory_with_the_same_values_and_the_same_tree() throws Exception {
        int g = 300;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < g; i++) ids.add("f" + i);
        Random rnd = new Random(3);
        float[] plain = new float[g * g];
        for (int i = 0; i < g; i++)
            for (int j = 0; j < i; j++) plain[i * g + j] = plain[j * g + i] = rnd.nextFloat();
        HierarchicalClustering.Tree want = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(plain.clone(), g, g));
        try (NetworkScratch s = new NetworkScratch(dir, ids, false, false)) {
            FloatMatrix file = s.dissimilarity();
            for (int i = 0; i < g; i++) file.setRow(i, plain, i * g);
            assertSame(file, s.dissimilarityForClustering(false), "does not fit: clustered in the mapped file");
            FloatMatrix moved = s.dissimilarityForClustering(true);
            assertNotSame(file, moved);
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("adjacency")),
                        "the adjacency's scratch file, which held 1 - TOM, is deleted once copied");
            }
            assertSame(moved, s.spareAfterClustering(), "the copy is the clustering's matrix, reused as scratch afterwards");
            float[] row = new float[g];
            for (int i = 0; i < g; i++) {
                moved.copyRow(i, row, 0);
                for (int j = 0; j < g; j++) assertEquals(plain[i * g + j], row[j], 0f);
            }
            HierarchicalClustering.Tree got = HierarchicalClustering.averageLinkage(moved);
            assertArrayEquals(want.height(), got.height(), 0);
            for (int m = 0; m < g - 1; m++) assertArrayEquals(want.merge()[m], got.merge()[m]);
        }
    }
}
