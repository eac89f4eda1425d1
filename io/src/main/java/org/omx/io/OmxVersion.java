package org.omx.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of omx that is running, as Maven built it. */
public final class OmxVersion {

    private static final String VERSION = load();

    private OmxVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = OmxVersion.class.getResourceAsStream("omx-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
