package org.omx.engine.network;

import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Large scratch matrices as anonymous mappings backed by transparent huge pages where the system
 * allows them (Linux {@code mmap} + {@code madvise(MADV_HUGEPAGE)}), freed with {@code munmap} when the
 * arena closes. {@link Arena#allocate} zero-fills every byte on the calling thread, and on 4 KiB pages
 * that first touch cost more than the network's arithmetic at 5,000 features (JFR: 24% of the samples in
 * SegmentFactories.initNativeMemory); the kernel's pages are zero already and are touched by the threads
 * that fill them. Elsewhere, or when a call fails, it falls back to {@link Arena#allocate}.
 */
public final class AnonymousMemory {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle madvise = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            } catch (RuntimeException | LinkageError e) {
                mmap = null;   // no native access: the portable path below
            }
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private AnonymousMemory() {
    }

    /** A zeroed dense {@code rows x cols} matrix whose memory lives until {@code arena} closes. */
    public static FloatMatrix allocate(Arena arena, int rows, int cols) {
        long bytes = Math.max(4L, 4L * rows * cols);
        if (MMAP != null) {
            try {
                MemorySegment addr = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (addr.address() != -1L) {
                    int ignored = (int) MADVISE.invokeExact(addr, bytes, MADV_HUGEPAGE);   // a hint: small pages still work
                    MemorySegment s = addr.reinterpret(bytes, arena, AnonymousMemory::unmap);
                    return new FloatMatrix(s, 0, rows, cols, cols);
                }
            } catch (Throwable e) {
                // fall through to the portable allocation
            }
        }
        return FloatMatrix.allocate(arena, rows, cols);
    }

    private static void unmap(MemorySegment s) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(s.address()), s.byteSize());
        } catch (Throwable e) {
            throw new IllegalStateException("munmap failed", e);
        }
    }
}
