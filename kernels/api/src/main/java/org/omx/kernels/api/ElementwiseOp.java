package org.omx.kernels.api;

/**
 * Element-wise transforms {@code y = f(x)}. Parameters a and b are given with the call; NaN in gives
 * NaN out for every op (missing stays missing). Out-of-domain input follows IEEE 754 (log of a
 * negative number is NaN, log of 0 is -Infinity), exactly as {@link Math} does.
 */
public enum ElementwiseOp {
    /** a * x + b */
    AFFINE,
    /** ln(x + a) */
    LOG,
    /** log2(x + a) */
    LOG2,
    /** e^x */
    EXP,
    /** sqrt(x) */
    SQRT,
    /** |x| */
    ABS,
    /** sign(x) * |x|^a */
    SIGNED_POW,
    /** min(max(x, a), b) */
    CLAMP,
    /** b where x is NaN, else x */
    FILL_MISSING;

    /** The scalar definition: the reference that every backend is tested against. */
    public double apply(double x, double a, double b) {
        if (Double.isNaN(x)) return this == FILL_MISSING ? b : x;
        return switch (this) {
            case AFFINE -> a * x + b;
            case LOG -> Math.log(x + a);
            case LOG2 -> Math.log(x + a) / Math.log(2);
            case EXP -> Math.exp(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGNED_POW -> Math.signum(x) * Math.pow(Math.abs(x), a);
            case CLAMP -> Math.min(Math.max(x, a), b);
            case FILL_MISSING -> x;
        };
    }
}
