package org.omx.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain values (maps, collections, arrays of numbers, strings, numbers, booleans, null) as
 * indented JSON with Jackson's streaming generator. Parameters files and store metadata are such
 * values; the data-binding ObjectMapper that wrote them before took 0.5 s of every command to
 * initialize (reflection over the classes it binds), the generator about 0.05 s.
 */
public final class JsonOut {

    static final JsonFactory FACTORY = new JsonFactory();

    private JsonOut() {
    }

    /** {@code value} as indented JSON into {@code out}, followed by nothing (the caller closes {@code out}). */
    public static void write(Writer out, Object value) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            value(g, value);
        }
    }

    /** {@code value} as an indented JSON string. */
    public static String toString(Object value) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(w, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case java.math.BigDecimal d -> g.writeNumber(d);
            case java.math.BigInteger i -> g.writeNumber(i);
            case Enum<?> e -> g.writeString(e.name());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    value(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object x : c) value(g, x);
                g.writeEndArray();
            }
            case double[] a -> g.writeArray(a, 0, a.length);
            case int[] a -> g.writeArray(a, 0, a.length);
            case long[] a -> g.writeArray(a, 0, a.length);
            case float[] a -> {
                g.writeStartArray();
                for (float x : a) g.writeNumber(x);
                g.writeEndArray();
            }
            case Object[] a -> {
                g.writeStartArray();
                for (Object x : a) value(g, x);
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }
}
