package org.omx.engine.cli;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.DeviceInfo;
import org.omx.kernels.api.SelfCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code omx devices}: every backend found, its devices, and its self-check against the CPU reference. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List compute backends and devices with memory, capability and self-check result.")
public final class DevicesCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        List<BackendProvider> providers = Backends.providers();
        if (providers.isEmpty()) {
            System.out.println("no backend installed");
            return 1;
        }
        for (BackendProvider p : providers) {
            String why = p.unavailableReason();
            if (why != null) {
                System.out.println(p.name() + ": not available: " + why);
                continue;
            }
            try (Backend b = p.open(common.threads)) {
                System.out.println(p.name() + ": available");
                for (DeviceInfo d : b.devices())
                    System.out.printf(Locale.ROOT, "  device   %s, %d compute units, %s memory, %s%s%n", d.name(), d.computeUnits(),
                            d.memoryBytes() < 0 ? "unknown" : org.omx.engine.ByteSize.format(d.memoryBytes()), d.version(),
                            Double.isNaN(d.peakGflops()) ? "" : String.format(Locale.ROOT, ", peak %.0f GFLOP/s fp32", d.peakGflops()));
                SelfCheck check = b.selfCheck();
                System.out.println("  self-check " + (check.passed() ? "passed" : "FAILED"));
                for (SelfCheck.Item item : check.items()) System.out.println("    " + item);
            } catch (RuntimeException | LinkageError e) {
                System.out.println(p.name() + ": failed to start: " + e.getMessage());
            }
        }
        return 0;
    }
}
