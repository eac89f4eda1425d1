package org.omx.engine.cli;

import org.omx.engine.demo.Demo;
import org.omx.engine.simulate.SimulationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx demo}: simulate a small cohort into ./omx-demo/ and run every step omx has. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate a small cohort into ./omx-demo/ (replacing an earlier demo) and run every step omx can do so far.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "omx-demo", description = "Demo directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "300", description = "People in the simulated cohort (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        SimulationSpec d = SimulationSpec.defaults();
        SimulationSpec spec = d.withSeed(seed).withShape(samples, d.variants(), d.genes(), d.proteins(), d.metabolites(), d.taxa());
        new Demo(dir, System.out, common::log, (task, unit) -> {
            ProgressBar bar = common.progress(task, unit);
            return new Demo.ProgressSink() {
                @Override
                public void update(long done, long total) {
                    bar.update(done, total);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        }, common.backend(), common.threads(), common.memoryBytes()).run(spec);
        return 0;
    }
}
