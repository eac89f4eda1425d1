package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Staging buffers are reused while they are large enough, replaced (old one released) when not, all released on close. */
class StagingPoolTest {

    @Test
    void reuse_grow_and_release() {
        List<long[]> allocated = new ArrayList<>();
        List<long[]> released = new ArrayList<>();
        StagingPool<long[]> pool = new StagingPool<>(2, bytes -> {
            long[] b = {bytes};
            allocated.add(b);
            return b;
        }, released::add);
        long[] a = pool.get(0, 1000);
        assertSame(a, pool.get(0, 800), "smaller request reuses");
        assertSame(a, pool.get(0, 1000));
        long[] b = pool.get(1, 10);
        long[] bigger = pool.get(0, 5000);
        assertEquals(5000, bigger[0]);
        assertEquals(List.of(a), released, "the outgrown buffer is released");
        assertEquals(5010, pool.heldBytes());
        pool.close();
        assertEquals(3, released.size());
        assertEquals(List.of(a, bigger, b), released, "close releases every role once");
        assertEquals(0, pool.heldBytes());
        assertEquals(3, allocated.size());
    }

    @Test
    void failed_allocation_leaves_the_role_empty_not_released_twice() {
        List<long[]> released = new ArrayList<>();
        int[] calls = {0};
        StagingPool<long[]> pool = new StagingPool<>(1, bytes -> {
            if (calls[0]++ > 0) throw new IllegalStateException("out of pinned memory");
            return new long[] {bytes};
        }, released::add);
        pool.get(0, 10);
        assertThrows(IllegalStateException.class, () -> pool.get(0, 20));
        assertEquals(1, released.size());
        pool.close();
        assertEquals(1, released.size(), "nothing left to release");
    }

    @Test
    void held_never_allocates() {
        StagingPool<long[]> pool = new StagingPool<>(2, bytes -> new long[] {bytes}, b -> { });
        assertThrows(IllegalStateException.class, () -> pool.held(0, 4));
        long[] a = pool.get(0, 100);
        assertSame(a, pool.held(0, 100));
        assertThrows(IllegalStateException.class, () -> pool.held(0, 101));
    }
}
