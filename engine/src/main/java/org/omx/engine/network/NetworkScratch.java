package org.omx.engine.network;

import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.StoreDescription;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * The two features x features matrices of a run: the adjacency, whose storage then receives 1 - TOM for
 * the clustering once the TOM pass no longer reads it, and the TOM. When both fit the --memory budget
 * ({@link TilePlan#inMemory()}) they are native memory: a mapped file costs a file-system page fault on
 * every first write and writes the pages back to disk, which at 5,000 features took longer than the
 * arithmetic. Otherwise they are mapped scratch files in the output folder, deleted at the end, and the
 * passes keep only their tiles resident. The TOM is a file in both cases when it is to be saved.
 */
final class NetworkScratch implements AutoCloseable {

    private final FloatMatrix adjacency;
    private final FloatMatrix tom;
    private MappedStoreWriter adjacencyFile;
    private final MappedStoreWriter tomFile;
    private Arena adjacencyMemory;
    private final Arena tomMemory;
    /** The clustering's matrix: the adjacency's storage, or a native copy of it (see {@link #dissimilarityForClustering}). */
    private FloatMatrix clustering;
    private Arena clusteringMemory;

    NetworkScratch(Path outDir, List<String> ids, boolean inMemory, boolean saveTom) throws IOException {
        int g = ids.size();
        StoreDescription scratch = StoreDescription.of("network", "network", "similarity");
        MappedStoreWriter af = null;
        MappedStoreWriter tf = null;
        Arena am = null;
        Arena tm = null;
        try {
            if (inMemory) am = Arena.ofShared();
            else af = MappedStoreWriter.create(outDir.resolve("adjacency.omx"), ids, ids, scratch, true);
            if (inMemory && !saveTom) tm = Arena.ofShared();
            else tf = MappedStoreWriter.create(outDir.resolve("tom.omx"), ids, ids, scratch, true);
        } catch (IOException | RuntimeException e) {
            for (MappedStoreWriter w : new MappedStoreWriter[]{af, tf}) if (w != null) w.close();
            for (Arena a : new Arena[]{am, tm}) if (a != null) a.close();
            throw e;
        }
        adjacencyFile = af;
        tomFile = tf;
        adjacencyMemory = am;
        tomMemory = tm;
        adjacency = af != null ? TopologicalOverlap.square(af.data(), g) : AnonymousMemory.allocate(am, g, g);
        tom = tf != null ? TopologicalOverlap.square(tf.data(), g) : AnonymousMemory.allocate(tm, g, g);
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

    /** Where 1 - TOM goes for the clustering: the adjacency's storage, free once the TOM pass is done. */
    FloatMatrix dissimilarity() {
        return adjacency;
    }

    /**
     * The dissimilarity for the clustering, moved from its scratch file into native memory when
     * {@code fits} (the plan's clustering step within --memory): the nearest-neighbour chain rewrites a
     * column per merge, and on a shared file mapping every such write dirties pages the kernel then
     * writes back to disk (at 50,000 features, 10 GB rewritten over and over: the clustering became
     * disk-bound). The file is deleted once copied. Without {@code fits} the mapped file is clustered in place.
     */
    FloatMatrix dissimilarityForClustering(boolean fits) throws IOException {
        if (adjacencyFile == null || !fits) {
            clustering = adjacency;
            return adjacency;
        }
        int g = adjacency.rows();
        Arena arena = Arena.ofShared();
        FloatMatrix copy;
        try {
            copy = AnonymousMemory.allocate(arena, g, g);
            float[] row = new float[g];
            int stride = Math.max(1, (int) Math.min(g, (64L << 20) / (4L * g)));   // release the file's pages every 64 MiB
            for (int i = 0; i < g; i++) {
                adjacency.copyRow(i, row, 0);
                copy.setRow(i, row, 0);
                if ((i + 1) % stride == 0 || i == g - 1) {
                    int r0 = i - i % stride;
                    TopologicalOverlap.release(adjacency, r0, i + 1 - r0);
                }
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        adjacencyFile.close();
        adjacencyFile = null;
        clusteringMemory = arena;
        clustering = copy;
        return copy;
    }

    /**
     * The clustering's matrix once the tree is built, as scratch (the clustering destroyed its contents):
     * the connectivity pass writes its correlation strips there instead of touching new memory.
     */
    FloatMatrix spareAfterClustering() {
        if (clustering == null) throw new IllegalStateException("the clustering has not run");
        return clustering;
    }

    /** Frees the clustering's matrix (and with it the adjacency's storage). */
    void dropDissimilarity() throws IOException {
        clustering = null;
        if (clusteringMemory != null) clusteringMemory.close();
        clusteringMemory = null;
        if (adjacencyFile != null) adjacencyFile.close();
        adjacencyFile = null;
        if (adjacencyMemory != null) adjacencyMemory.close();
        adjacencyMemory = null;
    }

    /** Renames the TOM into place as tom.omx (a store). */
    void commitTom() throws IOException {
        tomFile.commit();
    }

    @Override
    public void close() throws IOException {
        dropDissimilarity();
        if (tomMemory != null) tomMemory.close();
        if (tomFile != null) tomFile.close();
    }
}
