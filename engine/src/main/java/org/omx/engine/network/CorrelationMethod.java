package org.omx.engine.network;

import java.util.Locale;

/** How features are correlated across samples (WGCNA's {@code corFnc}). */
public enum CorrelationMethod {
    /** Pearson product-moment correlation ({@code cor}). */
    PEARSON,
    /** Spearman: ranks within each feature (ties averaged), then Pearson ({@code cor(method = "spearman")}). */
    SPEARMAN,
    /** Biweight midcorrelation ({@code bicor}), robust to outlying samples. */
    BICOR;

    public static CorrelationMethod parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
