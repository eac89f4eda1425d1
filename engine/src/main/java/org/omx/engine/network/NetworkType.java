package org.omx.engine.network;

import java.util.Locale;

/**
 * How a correlation becomes an adjacency, WGCNA's {@code adjacency(type = ...)}: unsigned
 * {@code |r|^beta}, signed {@code ((1 + r) / 2)^beta}, signed hybrid {@code r^beta} for r > 0, else 0.
 */
public enum NetworkType {
    UNSIGNED,
    SIGNED,
    SIGNED_HYBRID;

    /** The adjacency of one correlation; NaN in gives NaN out. */
    public double adjacency(double r, double beta) {
        return Math.pow(base(r), beta);
    }

    /** The value raised to the power: |r|, (1 + r) / 2, or max(r, 0). */
    public double base(double r) {
        return switch (this) {
            case UNSIGNED -> Math.abs(r);
            case SIGNED -> (1 + r) / 2;
            case SIGNED_HYBRID -> r > 0 ? r : 0;
        };
    }

    public static NetworkType parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
