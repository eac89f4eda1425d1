package org.omx.engine.network;

import java.util.Locale;

/**
 * The scale-free fit of a network built with a power the user gave, from the connectivities the
 * adjacency pass returns anyway (no extra pass over the data): a network far from scale-free is still
 * computed, but the user is told, naming the parameters.
 */
final class ScaleFreeCheck {

    private ScaleFreeCheck() {
    }

    /** A warning when the fit at {@code power} is below {@code rSquaredCut}; null when it reaches it or cannot be judged. */
    static String warning(double power, double[] k, double rSquaredCut) {
        if (k.length < SoftThreshold.N_BREAKS) return null;
        SoftThreshold.Fit f = SoftThreshold.fit(power, k);
        double r2 = f.signedRSquared();
        if (Double.isNaN(r2))
            return String.format(Locale.ROOT, "warning: --power %s: the scale-free fit is undefined (the connectivities do not spread "
                    + "over several bins); the modules may be meaningless, see --power auto", SoftThreshold.fmt(power));
        if (r2 >= rSquaredCut) return null;
        return String.format(Locale.ROOT, "warning: --power %s gives a network without a scale-free fit (signed R^2 %.3f, slope %.2f, "
                + "below --r-squared-cut %.2f); consider --power auto, or --power-table to see the fit of every power",
                SoftThreshold.fmt(power), r2, f.slope(), rSquaredCut);
    }
}
