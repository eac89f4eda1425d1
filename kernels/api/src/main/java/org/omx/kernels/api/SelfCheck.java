package org.omx.kernels.api;

import java.util.List;

/**
 * The outcome of a backend's start-up self-check: each primitive compared with a plain
 * double-precision computation within a stated tolerance.
 *
 * @param passed true when every item passed
 * @param items  one line per primitive checked
 */
public record SelfCheck(boolean passed, List<Item> items) {

    /** One primitive: the largest error seen beside the tolerance it had to meet. */
    public record Item(String primitive, double maxError, double tolerance, boolean passed) {
        @Override
        public String toString() {
            return String.format("%s: max error %.2e (tolerance %.0e) %s", primitive, maxError, tolerance,
                    passed ? "ok" : "FAILED");
        }
    }

    public static SelfCheck of(List<Item> items) {
        return new SelfCheck(items.stream().allMatch(Item::passed), List.copyOf(items));
    }
}
