package org.omx.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonOutTest {

    /** Read back by Jackson's own tree reader: every kind of value, in order, with its exact number. */
    @Test
    void values_read_back_by_an_independent_reader() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "text \"quoted\"");
        m.put("i", 7);
        m.put("l", 1L << 40);
        m.put("d", 0.1 + 0.2);
        m.put("f", 1.5f);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1.25, "x"));
        m.put("doubles", new double[]{1e-300, -2.5});
        m.put("ints", new int[]{3, 4});
        m.put("nested", Map.of("k", List.of()));
        m.put("enum", java.time.DayOfWeek.MONDAY);
        String json = JsonOut.toString(m);
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(List.copyOf(m.keySet()), iterable(root.fieldNames()));
        assertEquals("text \"quoted\"", root.get("s").asText());
        assertEquals(1L << 40, root.get("l").asLong());
        assertEquals(0.1 + 0.2, root.get("d").asDouble(), 0);
        assertTrue(root.get("n").isNull());
        assertEquals(1e-300, root.get("doubles").get(0).asDouble(), 0);
        assertEquals(4, root.get("ints").get(1).asInt());
        assertEquals("MONDAY", root.get("enum").asText());
        assertTrue(root.get("nested").get("k").isArray());
    }

    @Test
    void an_unknown_kind_of_value_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonOut.toString(Map.of("x", new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

}
