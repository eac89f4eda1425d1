package org.omx.engine.network;

/** The network fixtures for tests in other packages (the CLI's). */
public final class FixtureAccess {

    private FixtureAccess() {
    }

    /** A features x features fixture table with row names, e.g. WGCNA's TOM. */
    public static double[][] tom(String name) {
        return Fixtures.read(name, true).values();
    }
}
