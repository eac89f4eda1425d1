package org.omx.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.omx.engine.bench.HardwareBench;
import org.omx.io.OmxVersion;
import org.omx.io.store.StoreLayout;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.BackendUnavailableException;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code omx bench}: the hardware report of {@link HardwareBench} for every available backend (or the
 * one named with --backend), as a Markdown table on stdout and optionally JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Hardware report per backend and device: GEMM GFLOP/s against the device's peak, transfer bandwidth,"
                + " memory-mapped read throughput and the time of each pipeline stage at standard shapes.",
                "With --backend auto (the default) every available backend is measured."})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--quick", description = "Sizes scaled down about tenfold: a few seconds per backend instead of minutes.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the temporary stores go (default: the system temp directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        HardwareBench.Shapes shapes = quick ? HardwareBench.Shapes.quick() : HardwareBench.Shapes.standard();
        List<BackendProvider> chosen = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            if (!common.backend().equals("auto") && !p.name().equals(common.backend())) continue;
            String why = p.unavailableReason();
            if (why == null) chosen.add(p);
            else skipped.add(p.name() + ": " + why);
        }
        if (!common.backend().equals("auto") && chosen.isEmpty())
            throw new UserException(skipped.isEmpty() ? "backend '" + common.backend() + "' is not installed" : "backend " + skipped.getFirst());
        skipped.forEach(s -> common.log("bench: skipped " + s));

        Path dir = Files.createTempDirectory(workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(workDir), "omx-bench");
        List<HardwareBench.DeviceReport> reports = new ArrayList<>();
        HardwareBench.MappedRead read;
        try {
            long genes = Math.max(shapes.normGenes(), shapes.mappedBytes() / 4 / shapes.normSamples());
            common.log(String.format(Locale.ROOT, "bench: writing a %d x %d counts store", genes, shapes.normSamples()));
            Path counts = HardwareBench.writeCountsStore(dir.resolve("counts.omx"), (int) genes, shapes.normSamples());
            read = HardwareBench.mappedRead(counts);
            // the normalize stage runs at its stated shape: a store of exactly normGenes rows
            Path normInput = genes == shapes.normGenes() ? counts
                    : HardwareBench.writeCountsStore(dir.resolve("counts-normalize.omx"), shapes.normGenes(), shapes.normSamples());
            for (BackendProvider p : chosen) {
                try (Backend b = Backends.open(p.name(), common.threads(), common::log)) {
                    reports.add(HardwareBench.run(b, shapes, normInput, dir, common.threads(), common.memoryBytes(), common::log));
                } catch (BackendUnavailableException e) {
                    skipped.add(p.name() + ": " + e.getMessage());
                    common.log("bench: skipped " + e.getMessage());
                }
            }
        } finally {
            StoreLayout.deleteTree(dir);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("omx", OmxVersion.get());
        report.put("java", Runtime.version().toString());
        report.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.put("hostCpus", Runtime.getRuntime().availableProcessors());
        report.put("shapes", shapes.name());
        report.put("date", Instant.now().toString());
        report.put("backends", reports);
        report.put("skipped", skipped);
        report.put("mappedRead", read);
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            mapper.writeValue(json.toFile(), report);
        }
        System.out.print(markdown(reports, read, skipped, shapes));
        return 0;
    }

    /** One table row: both directions in GB/s, or "not applicable" with the reason. */
    static String transferRow(HardwareBench.Transfer t) {
        if (t.hostToDeviceGBs() == null && t.deviceToHostGBs() == null)
            return "| host <-> device transfer | | | " + t.method() + " |\n";
        return String.format(Locale.ROOT, "| host -> device, device -> host | %s | | %s GB/s, %s GB/s (%s) |%n",
                org.omx.engine.ByteSize.format(t.bytes()), gbs(t.hostToDeviceGBs()), gbs(t.deviceToHostGBs()), t.method());
    }

    private static String gbs(Double v) {
        return v == null ? "unknown" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String markdown(List<HardwareBench.DeviceReport> reports, HardwareBench.MappedRead read, List<String> skipped,
                           HardwareBench.Shapes shapes) {
        StringBuilder sb = new StringBuilder();
        sb.append("# omx bench (").append(shapes.name()).append(" shapes)\n\n");
        for (HardwareBench.DeviceReport r : reports) {
            sb.append("## ").append(r.backend()).append(": ").append(r.device()).append("\n\n");
            sb.append(String.format(Locale.ROOT, "%d compute units, %s memory, %s; peak %s; self-check %s%n%n", r.computeUnits(),
                    r.memoryBytes() < 0 ? "unknown" : org.omx.engine.ByteSize.format(r.memoryBytes()), r.version(),
                    r.peakGflops() == null ? "unknown" : String.format(Locale.ROOT, "%.0f GFLOP/s fp32", r.peakGflops()),
                    r.selfCheckPassed() ? "passed" : "FAILED"));
            sb.append("| measurement | shape | time (s) | result |\n|---|---|---:|---|\n");
            for (HardwareBench.Gemm g : r.gemm())
                sb.append(String.format(Locale.ROOT, "| GEMM A*B^T fp32 | %d x %d x %d | %.4f | %.1f GFLOP/s%s |%n", g.m(), g.n(), g.k(),
                        g.seconds(), g.gflops(), g.fractionOfPeak() == null ? "" : String.format(Locale.ROOT, " (%.0f%% of peak)", 100 * g.fractionOfPeak())));
            sb.append(transferRow(r.transfer()));
            for (HardwareBench.Stage s : r.stages())
                sb.append(String.format(Locale.ROOT, "| stage: %s | %s | %s | %s |%n", s.stage(), s.shape(),
                        s.seconds() == null ? "" : String.format(Locale.ROOT, "%.3f", s.seconds()), s.note()));
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "Memory-mapped read: %s in %.3f s, %.2f GB/s (%s)%n", org.omx.engine.ByteSize.format(read.bytes()),
                read.seconds(), read.gbPerSecond(), read.note()));
        for (String s : skipped) sb.append("Skipped: ").append(s).append('\n');
        return sb.toString();
    }
}
