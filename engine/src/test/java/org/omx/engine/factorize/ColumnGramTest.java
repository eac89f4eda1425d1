package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ColumnGramTest {

    /** Against plain float64 dot products, within 1e-12 of the sum of |terms|; the same bits with and without a pool. */
    @Test
    void gram_of_columns_matches_plain_dot_products_on_any_pool() {
        Random rng = new Random(3);
        double[][] b = new double[7][4 * 1024 + 13]; // whole row blocks, a partial one, an odd length
        for (double[] c : b) for (int i = 0; i < c.length; i++) c[i] = rng.nextGaussian();
        double[][] serial = ColumnGram.of(b, null);
        double[][] parallel;
        try (ForkJoinPool pool = new ForkJoinPool(3)) {
            parallel = ColumnGram.of(b, pool);
        }
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 7; y++) {
                double s = 0, mag = 0;
                for (int i = 0; i < b[x].length; i++) {
                    s += b[x][i] * b[y][i];
                    mag += Math.abs(b[x][i] * b[y][i]);
                }
                assertEquals(s, parallel[x][y], 1e-12 * mag, x + "," + y);
                assertEquals(serial[x][y], serial[y][x], 0, "symmetric");
            }
        }
        try (ForkJoinPool pool = new ForkJoinPool(3)) {
            for (int x = 0; x < 7; x++) assertArrayEquals(parallel[x], ColumnGram.of(b, pool)[x], 0, "same pool, same bits");
        }
    }
}
