package org.omx.io.store;

import java.util.Map;

/**
 * One step in a store's history: what made it (import, a transform), from what, with which
 * parameters, when, and by which omx version.
 */
public record Provenance(String step, String source, Map<String, String> parameters, String time, String omxVersion) {
}
