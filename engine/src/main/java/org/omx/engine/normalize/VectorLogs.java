package org.omx.engine.normalize;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code log(1 + mu alpha)} and {@code 1 / (1 + mu alpha)} over a gene's samples with the Vector
 * API. The log is fdlibm's {@code __ieee754_log} (the argument reduced to {@code 2^k m} with m in
 * [sqrt(2)/2, sqrt(2)), then a degree-14 polynomial in {@code s = (m - 1) / (m + 1)}), written with
 * plain lane-wise arithmetic: under 1 ulp, and the same bits whether the loop is interpreted or
 * compiled (the Vector API's own LOG is Math.log per lane before C2 and SVML after, which can
 * differ in the last bit, so a gene's estimate would depend on when it was computed). For arguments
 * at least 1 and finite, as {@code 1 + mu alpha} is. Loaded only where the
 * {@code jdk.incubator.vector} module is present ({@link #AVAILABLE}); otherwise callers use the
 * scalar loop.
 */
final class VectorLogs {

    /** Whether the Vector API module is in the boot layer (checked without touching its classes). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("omx.noVectorLogs");

    private VectorLogs() {
    }

    /** {@code log1p[j] = log(1 + mu[j] alpha)}, {@code recip[j] = 1 / (1 + mu[j] alpha)}. */
    static void fill(double[] mu, double alpha, double[] log1p, double[] recip) {
        Impl.fill(mu, alpha, log1p, recip);
    }

    /**
     * {@code out[u] = lgamma(uy[u] + inv) - lgInv} for {@code u < count}, by
     * {@link GammaFunctions#lgamma}'s large-argument formula with this log, lane-wise; entries whose
     * argument is below 10 are left to the scalar function.
     */
    static void lgammaTable(double[] uy, int count, double inv, double lgInv, double[] out) {
        Impl.lgammaTable(uy, count, inv, lgInv, out);
    }

    /** {@code out[u] = dgInv - digamma(uy[u] + inv)}, as {@link #lgammaTable}. */
    static void digammaTable(double[] uy, int count, double inv, double dgInv, double[] out) {
        Impl.digammaTable(uy, count, inv, dgInv, out);
    }

    /** log x for every x (at least 1, finite) of {@code x}, into {@code out}; for tests. */
    static void log(double[] x, double[] out) {
        Impl.log(x, out);
    }

    /** Holds the Vector API references, so that {@link VectorLogs#AVAILABLE} can be read without them. */
    private static final class Impl {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Long> L = S.withLanes(long.class);
        private static final double LN2_HI = 6.93147180369123816490e-01;
        private static final double LN2_LO = 1.90821492927058770002e-10;
        private static final double LG1 = 6.666666666666735130e-01;
        private static final double LG2 = 3.999999999940941908e-01;
        private static final double LG3 = 2.857142874366239149e-01;
        private static final double LG4 = 2.222219843214978396e-01;
        private static final double LG5 = 1.818357216161805012e-01;
        private static final double LG6 = 1.531383769920937332e-01;
        private static final double LG7 = 1.479819860511658591e-01;
        private static final double TWO52 = 4503599627370496.0;

        static void fill(double[] mu, double alpha, double[] log1p, double[] recip) {
            int n = mu.length;
            for (int j = 0; j < n; j += S.length()) {
                VectorMask<Double> in = S.indexInRange(j, n);
                DoubleVector p = DoubleVector.fromArray(S, mu, j, in).mul(alpha).add(1);
                log(p).intoArray(log1p, j, in);
                DoubleVector.broadcast(S, 1).div(p).intoArray(recip, j, in);
            }
        }

        private static final double LN_SQRT_2PI = 0.918938533204672741780329736406;

        static void lgammaTable(double[] uy, int count, double inv, double lgInv, double[] out) {
            for (int u = 0; u < count; u += S.length()) {
                VectorMask<Double> in = S.indexInRange(u, count);
                DoubleVector x = DoubleVector.fromArray(S, uy, u, in).add(inv).max(10);
                DoubleVector r = DoubleVector.broadcast(S, 1).div(x);
                DoubleVector r2 = r.mul(r);
                DoubleVector c = r2.mul(1.0 / 156).add(-691.0 / 360360).mul(r2).add(1.0 / 1188).mul(r2).add(-1.0 / 1680).mul(r2)
                        .add(1.0 / 1260).mul(r2).add(-1.0 / 360).mul(r2).add(1.0 / 12).mul(r);
                DoubleVector lg = x.sub(0.5).mul(log(x)).add(LN_SQRT_2PI).sub(x).add(c);
                lg.sub(lgInv).intoArray(out, u, in);
            }
            if (inv < 10)
                for (int u = 0; u < count; u++) if (uy[u] + inv < 10) out[u] = GammaFunctions.lgamma(uy[u] + inv) - lgInv;
        }

        static void digammaTable(double[] uy, int count, double inv, double dgInv, double[] out) {
            for (int u = 0; u < count; u += S.length()) {
                VectorMask<Double> in = S.indexInRange(u, count);
                DoubleVector x = DoubleVector.fromArray(S, uy, u, in).add(inv).max(10);
                DoubleVector r = DoubleVector.broadcast(S, 1).div(x);
                DoubleVector r2 = r.mul(r);
                DoubleVector c = DoubleVector.broadcast(S, 691.0 / 32760).sub(r2.div(12)).mul(r2).neg().add(1.0 / 132).mul(r2).neg()
                        .add(1.0 / 240).mul(r2).neg().add(1.0 / 252).mul(r2).neg().add(1.0 / 120).mul(r2).neg().add(1.0 / 12).mul(r2);
                DoubleVector dg = log(x).sub(r.mul(0.5)).sub(c);
                DoubleVector.broadcast(S, dgInv).sub(dg).intoArray(out, u, in);
            }
            if (inv < 10)
                for (int u = 0; u < count; u++) if (uy[u] + inv < 10) out[u] = dgInv - GammaFunctions.digamma(uy[u] + inv);
        }

        static void log(double[] x, double[] out) {
            int n = x.length;
            for (int j = 0; j < n; j += S.length()) {
                VectorMask<Double> in = S.indexInRange(j, n);
                log(DoubleVector.fromArray(S, x, j, in).max(1)).intoArray(out, j, in);
            }
        }

        /** fdlibm's log for lanes in [1, +inf) (finite, normal). */
        private static DoubleVector log(DoubleVector x) {
            LongVector bits = x.reinterpretAsLongs();
            LongVector mant = bits.and(0x000FFFFFFFFFFFFFL);
            // i = 2^52 where the mantissa is at least sqrt(2) (then m is halved and k raised by one)
            LongVector i = mant.add(0x95f6400000000L).and(0x0010000000000000L);
            DoubleVector m = mant.or(i.lanewise(VectorOperators.XOR, 0x3ff0000000000000L)).reinterpretAsDoubles();
            // k = exponent - 1023 + (i != 0), as a double through the 2^52 trick (k >= 0 here)
            LongVector kb = bits.lanewise(VectorOperators.LSHR, 52).add(i.lanewise(VectorOperators.LSHR, 52));
            DoubleVector k = kb.or(0x4330000000000000L).reinterpretAsDoubles().sub(TWO52 + 1023);
            DoubleVector f = m.sub(1);
            DoubleVector s = f.div(f.add(2));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
            DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
            DoubleVector r = t2.add(t1);
            DoubleVector hfsq = f.mul(f).mul(0.5);
            // k ln2_hi - ((hfsq - (s (hfsq + R) + k ln2_lo)) - f)
            DoubleVector inner = hfsq.sub(s.mul(hfsq.add(r)).add(k.mul(LN2_LO))).sub(f);
            return k.mul(LN2_HI).sub(inner);
        }
    }
}
