package org.omx.engine.simulate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeds for independent random streams, one per (cohort seed, stream name, index): a row of a
 * layer, a sample. Every value a simulation draws comes from such a stream, so the output depends
 * only on the seed and never on the order, threading or tiling of the work that draws it.
 */
final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A generator for stream {@code stream}, element {@code index}, of cohort seed {@code seed}. */
    static SplittableRandom rng(long seed, String stream, long index) {
        return new SplittableRandom(derive(seed, stream, index));
    }

    static long derive(long seed, String stream, long index) {
        long h = mix(seed + GOLDEN);
        h = mix(h ^ fnv1a(stream));
        return mix(h + (index + 1) * GOLDEN);
    }

    /** SplitMix64's finalizer (Steele, Lea and Flood 2014): a bijection that scatters nearby inputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
