package org.omx.engine.cli;

import picocli.CommandLine;

import java.util.Locale;

/** Parses sizes like {@code 512m}, {@code 4g}, {@code 4GiB}, {@code 1024} (bytes) or {@code auto}. */
public final class MemorySize implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) return Runtime.getRuntime().maxMemory() / 4 * 3;
        v = v.replaceAll("i?b$", "");
        long mult = 1;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                case 't' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult != 1) v = v.substring(0, v.length() - 1);
        }
        try {
            double x = Double.parseDouble(v);
            if (!(x > 0)) throw new NumberFormatException();
            return (long) (x * mult);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a size such as 512m or 4g, found '" + value + "'");
        }
    }
}
