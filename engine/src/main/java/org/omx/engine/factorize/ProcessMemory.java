package org.omx.engine.factorize;

import org.omx.engine.ByteSize;

import java.util.Locale;

/**
 * What a streamed factorization keeps resident in the whole process, not only in its planned
 * buffers: the planned buffers live on the Java heap, whose limit (-Xmx; the launcher derives it
 * from --memory) bounds what the collector may keep committed, garbage included; off the heap sit
 * the source's mapped window (a mapped store: about one tile, or all of it where its pages are kept
 * between passes, see {@link RowSource#keepingPagesWithin}) and its read
 * buffers, and the JVM itself (code, metaspace, GC tables, thread stacks). Peak RSS lies between the
 * planned buffers plus the off-heap parts (everything collected promptly) and {@link #bound()} (the
 * heap grown to its limit).
 *
 * @param plannedHeap  the factorization's resident arrays and tile buffers
 * @param heapLimit    the JVM's maximum heap
 * @param mapped       mapped file pages resident at once
 * @param readBuffers  direct buffers the source reads into
 */
public record ProcessMemory(long plannedHeap, long heapLimit, long mapped, long readBuffers) {

    /**
     * The JVM's own resident memory besides the heap: measured about 150-250 MiB for omx (code cache,
     * metaspace, the collector's card table, a thread stack per worker), rounded up.
     */
    static final long JVM_NATIVE = 256L << 20;

    static ProcessMemory of(RowSource source, long plannedHeap, int tileRows) {
        return new ProcessMemory(plannedHeap, heapReserve(), source.mappedBytes(tileRows), source.offHeapBytes());
    }

    /**
     * The heap the JVM may commit: -Xmx itself (MaxHeapSize). Runtime.maxMemory() leaves out one
     * survivor space, about 0.4 GiB of a 3.5 GiB heap, which a 200,000-sample PCA did commit.
     */
    static long heapReserve() {
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Math.max(Runtime.getRuntime().maxMemory(), Long.parseLong(vm.getVMOption("MaxHeapSize").getValue()));
        } catch (RuntimeException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    long offHeap() {
        return mapped + readBuffers + JVM_NATIVE;
    }

    /** Peak RSS if the collector kept the heap at the planned buffers: a lower bound in practice. */
    long expected() {
        return Math.min(plannedHeap, heapLimit) + offHeap();
    }

    /** Peak RSS at most: the heap at its limit plus everything off the heap. */
    long bound() {
        return heapLimit + offHeap();
    }

    /**
     * The collector does not keep the heap at the live buffers: it sizes the heap for throughput
     * and lets it grow toward the limit while garbage (per-pass arrays, per-block buffers) piles up;
     * MFA of 100,000 samples planned 683 MiB of buffers and its heap reached 2.7 GiB of a 3.1 GiB
     * limit. So the plan states a range, not one figure.
     */
    String describe() {
        return String.format(Locale.ROOT, "process: peak RSS between %s (planned buffers, collected promptly) and %s (heap grown to its "
                        + "limit %s%s; off the heap: mapped window %s, read buffers %s, JVM ~%s)",
                ByteSize.format(expected()), ByteSize.format(bound()), ByteSize.format(heapLimit),
                plannedHeap > heapLimit ? ", BELOW the planned buffers: expect OutOfMemoryError, lower --memory or raise -Xmx" : "",
                ByteSize.format(mapped), ByteSize.format(readBuffers), ByteSize.format(JVM_NATIVE));
    }
}
