package org.omx.io.store;

import java.util.List;
import java.util.Map;

/**
 * What a writer needs to know about a store besides its numbers: layer, omics type, units,
 * the provenance inherited from its input plus the step that is making it, and annotations.
 */
public record StoreDescription(String layer, String omicsType, String units, List<Provenance> provenance,
                               Map<String, String> annotations) {

    public static StoreDescription of(String layer, String omicsType, String units) {
        return new StoreDescription(layer, omicsType, units, List.of(), Map.of());
    }

    /** A copy with one more provenance step appended. */
    public StoreDescription withStep(Provenance step) {
        var list = new java.util.ArrayList<>(provenance);
        list.add(step);
        return new StoreDescription(layer, omicsType, units, List.copyOf(list), annotations);
    }
}
