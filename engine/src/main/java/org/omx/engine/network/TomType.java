package org.omx.engine.network;

import java.util.Locale;

/**
 * WGCNA's {@code TOMType}. UNSIGNED assumes non-negative adjacencies. SIGNED keeps the sign of the
 * underlying correlation in the adjacency ({@code sign(r) |r|^beta} for an unsigned network) and takes
 * the absolute value of the overlap: {@code |a_ij + sum_u a_iu a_uj| / (min(k_i, k_j) + 1 - |a_ij|)} with
 * {@code k_i = sum_j |a_ij|}. For non-negative adjacencies (signed and signed-hybrid networks) both agree.
 */
public enum TomType {
    UNSIGNED,
    SIGNED;

    public static TomType parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
