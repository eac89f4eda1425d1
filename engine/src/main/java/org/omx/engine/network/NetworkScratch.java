package org.omx.engine.network;

import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.StoreDescription;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * The three features x features matrices of a run (adjacency, TOM, 1 - TOM for the clustering). When
 * all three fit the --memory budget ({@link TilePlan#inMemory()}) they are native memory: a mapped
 * file costs a file-system page fault on every first write and writes the pages back to disk, which
 * at 5,000 features took longer than the arithmetic. Otherwise they are mapped scratch files in the
 * output folder, deleted at the end, and the passes keep only their tiles resident. The TOM is a
 * file in both cases when it is to be saved.
 */
final class NetworkScratch implements AutoCloseable {

    private final FloatMatrix adjacency;
    private final FloatMatrix tom;
    private final FloatMatrix dissimilarity;
    private final MappedStoreWriter adjacencyFile;
    private final MappedStoreWriter tomFile;
    private MappedStoreWriter dissimilarityFile;
    private final Arena adjacencyMemory;
    private final Arena tomMemory;
    private Arena dissimilarityMemory;

    NetworkScratch(Path outDir, List<String> ids, boolean inMemory, boolean saveTom) throws IOException {
        int g = ids.size();
        StoreDescription scratch = StoreDescription.of("network", "network", "similarity");
        MappedStoreWriter af = null;
        MappedStoreWriter tf = null;
        MappedStoreWriter df = null;
        Arena am = null;
        Arena tm = null;
        Arena dm = null;
        try {
            if (inMemory) am = Arena.ofShared();
            else af = MappedStoreWriter.create(outDir.resolve("adjacency.omx"), ids, ids, scratch, true);
            if (inMemory && !saveTom) tm = Arena.ofShared();
            else tf = MappedStoreWriter.create(outDir.resolve("tom.omx"), ids, ids, scratch, true);
            if (inMemory) dm = Arena.ofShared();
            else df = MappedStoreWriter.create(outDir.resolve("dissimilarity.omx"), ids, ids, scratch, true);
        } catch (IOException | RuntimeException e) {
            for (MappedStoreWriter w : new MappedStoreWriter[]{af, tf, df}) if (w != null) w.close();
            for (Arena a : new Arena[]{am, tm, dm}) if (a != null) a.close();
            throw e;
        }
        adjacencyFile = af;
        tomFile = tf;
        dissimilarityFile = df;
        adjacencyMemory = am;
        tomMemory = tm;
        dissimilarityMemory = dm;
        adjacency = af != null ? TopologicalOverlap.square(af.data(), g) : AnonymousMemory.allocate(am, g, g);
        tom = tf != null ? TopologicalOverlap.square(tf.data(), g) : AnonymousMemory.allocate(tm, g, g);
        dissimilarity = df != null ? TopologicalOverlap.square(df.data(), g) : AnonymousMemory.allocate(dm, g, g);
    }

    static NetworkScratch open(Path outDir, List<String> ids, TilePlan plan, boolean saveTom) throws IOException {
        return new NetworkScratch(outDir, ids, plan.inMemory(), saveTom);
    }

    FloatMatrix adjacency() {
        return adjacency;
    }

    FloatMatrix tom() {
        return tom;
    }

    FloatMatrix dissimilarity() {
        return dissimilarity;
    }

    /**
     * The dissimilarity for the clustering, moved from its scratch file into native memory when
     * {@code fits} (the plan's clustering step within --memory): the nearest-neighbour chain rewrites a
     * column per merge, and on a shared file mapping every such write dirties pages the kernel then
     * writes back to disk (at 50,000 features, 10 GB rewritten over and over: the clustering became
     * disk-bound). The file is deleted once copied. Without {@code fits} the mapped file is clustered in place.
     */
    FloatMatrix dissimilarityForClustering(boolean fits) throws IOException {
        if (dissimilarityFile == null || !fits) return dissimilarity;
        int g = dissimilarity.rows();
        Arena arena = Arena.ofShared();
        FloatMatrix copy;
        try {
            copy = AnonymousMemory.allocate(arena, g, g);
            float[] row = new float[g];
            int stride = Math.max(1, (int) Math.min(g, (64L << 20) / (4L * g)));   // release the file's pages every 64 MiB
            for (int i = 0; i < g; i++) {
                dissimilarity.copyRow(i, row, 0);
                copy.setRow(i, row, 0);
                if ((i + 1) % stride == 0 || i == g - 1) {
                    int r0 = i - i % stride;
                    TopologicalOverlap.release(dissimilarity, r0, i + 1 - r0);
                }
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        dissimilarityFile.close();
        dissimilarityFile = null;
        dissimilarityMemory = arena;
        return copy;
    }

    /** Frees the clustering's matrix once the tree is built (it is destroyed by the clustering anyway). */
    void dropDissimilarity() throws IOException {
        if (dissimilarityFile != null) dissimilarityFile.close();
        if (dissimilarityMemory != null) dissimilarityMemory.close();
        dissimilarityFile = null;
        dissimilarityMemory = null;
    }

    /** Renames the TOM into place as tom.omx (a store). */
    void commitTom() throws IOException {
        tomFile.commit();
    }

    @Override
    public void close() throws IOException {
        dropDissimilarity();
        if (tomMemory != null) tomMemory.close();
        if (adjacencyMemory != null) adjacencyMemory.close();
        try {
            if (tomFile != null) tomFile.close();
        } finally {
            if (adjacencyFile != null) adjacencyFile.close();
        }
    }
}
