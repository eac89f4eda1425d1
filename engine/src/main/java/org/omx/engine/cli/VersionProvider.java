package org.omx.engine.cli;

import org.omx.io.OmxVersion;
import picocli.CommandLine;

/** Prints omx's version and the Java runtime it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"omx " + OmxVersion.get(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
