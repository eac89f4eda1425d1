package org.omx.kernels.tornado;

import java.util.Locale;
import org.omx.kernels.api.TransferBandwidth;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Host-to-device and device-to-host bandwidth through TornadoVM's own transfer path, the one every
 * primitive uses: an off-heap {@link FloatArray} copied in by {@code transferToDevice(EVERY_EXECUTION)}
 * (then read by a one-item kernel) and, in a second plan, written by a one-item kernel and copied out
 * by {@code transferToHost(EVERY_EXECUTION)}. Each direction is timed by TornadoVM's profiler (the
 * device's own events for the copy, so neither the kernel nor the launch counts); where the profiler
 * reports no copy time, by the wall clock of the whole execution, which then includes a tiny kernel.
 */
final class TornadoTransfers {

    private static final int REPETITIONS = 3;

    private TornadoTransfers() {
    }

    static TransferBandwidth measure(TornadoDevice device, long bytes) {
        int floats = (int) Math.max(1024, Math.min(TornadoBackend.MAX_BUFFER_FLOATS, bytes / 4));
        long size = 4L * floats;
        FloatArray buffer = new FloatArray(floats);
        buffer.init(1f);
        FloatArray probe = new FloatArray(1);
        Direction in = new Direction(device, new TaskGraph("omx_transfer_in_" + System.nanoTime())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, buffer)
                .task("t", TornadoTransfers::readOne, new KernelContext(), buffer, probe)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, probe));
        Direction out = new Direction(device, new TaskGraph("omx_transfer_out_" + System.nanoTime())
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, buffer)
                .task("t", TornadoTransfers::writeOne, new KernelContext(), buffer)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, buffer));
        try (in; out) {
            double h2d = in.bestSeconds(true);
            double d2h = out.bestSeconds(false);
            String clock = in.profiled && out.profiled ? "TornadoVM profiler (device events of the copy)"
                    : "wall clock of a plan execution (copy plus a one-item kernel)";
            return new TransferBandwidth(size, TransferBandwidth.gbPerSecond(size, h2d), TransferBandwidth.gbPerSecond(size, d2h),
                    String.format(Locale.ROOT, "TornadoVM transferToDevice / transferToHost of an off-heap FloatArray, best of %d; %s",
                            REPETITIONS, clock));
        }
    }

    /** One plan timing one direction. */
    private static final class Direction implements AutoCloseable {
        final TornadoExecutionPlan plan;
        boolean profiled = true;

        Direction(TornadoDevice device, TaskGraph graph) {
            WorkerGrid1D grid = new WorkerGrid1D(1);
            grid.setLocalWork(1, 1, 1);
            plan = new TornadoExecutionPlan(graph.snapshot()).withDevice(device)
                    .withGridScheduler(new GridScheduler(graph.getTaskGraphName() + ".t", grid))
                    .withProfiler(ProfilerMode.SILENT);
        }

        double bestSeconds(boolean toDevice) {
            plan.execute(); // compiles the kernel and allocates the device buffer
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < REPETITIONS; r++) {
                long t0 = System.nanoTime();
                TornadoExecutionResult result = plan.execute();
                long wall = System.nanoTime() - t0;
                long copyNs;
                try {
                    copyNs = toDevice ? result.getProfilerResult().getDeviceWriteTime() : result.getProfilerResult().getDeviceReadTime();
                } catch (RuntimeException e) {
                    copyNs = 0;
                }
                if (copyNs <= 0) profiled = false;
                best = Math.min(best, (copyNs > 0 ? copyNs : wall) / 1e9);
            }
            return best;
        }

        @Override
        public void close() {
            try {
                plan.freeDeviceMemory();
                plan.close();
            } catch (Exception ignored) {
                // the device memory goes with the process anyway
            }
        }
    }

    /** Reads one element, so the copy in is not dead. */
    static void readOne(KernelContext ctx, FloatArray buffer, FloatArray probe) {
        if (ctx.globalIdx == 0) probe.set(0, buffer.get(0));
    }

    /** Writes one element, so there is something to copy out. */
    static void writeOne(KernelContext ctx, FloatArray buffer) {
        if (ctx.globalIdx == 0) buffer.set(0, 2f);
    }
}
