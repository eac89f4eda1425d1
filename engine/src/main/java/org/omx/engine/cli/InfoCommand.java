package org.omx.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreMeta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx info STORE}: shape, layer, provenance; {@code --verify} checks every CRC32C block. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a store: shape, layer, units, provenance; --verify re-checks its checksums.")
public final class InfoCommand implements Callable<Integer> {

    /** Exit code when --verify finds corrupted blocks. */
    static final int CORRUPT = 3;

    @Parameters(index = "0", paramLabel = "STORE", description = "A store directory (NAME.omx).")
    Path store;

    @Option(names = "--verify", description = "Recompute the CRC32C of every block of rows and compare with meta.json.")
    boolean verify;

    @Option(names = "--json", description = "Print the description as JSON (for other tools).")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            StoreMeta m = s.meta();
            List<String> problems = null;
            if (verify) {
                try (ProgressBar bar = common.progress("verify " + store.getFileName(), "rows")) {
                    problems = s.verify(r -> bar.update(r, s.rows()));
                }
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("path", store.toAbsolutePath().toString());
                out.put("meta", m);
                out.put("bytes", Files.size(store.resolve("matrix.npy")));
                if (problems != null) out.put("verify", Map.of("ok", problems.isEmpty(), "problems", problems));
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            } else {
                System.out.println("store      " + store.toAbsolutePath());
                System.out.println("layer      " + m.layer() + " (" + m.omicsType() + ", units: " + m.units() + ")");
                System.out.println("shape      " + s.rows() + " features x " + s.cols() + " samples, float32, "
                        + org.omx.engine.ByteSize.format(Files.size(store.resolve("matrix.npy"))) + " on disk");
                System.out.println("features   " + preview(s.featureIds()));
                System.out.println("samples    " + preview(s.sampleIds()));
                System.out.println("written by omx " + m.omxVersion() + "; " + m.checksum().blocks().size()
                        + " CRC32C blocks of " + m.checksum().blockRows() + " rows");
                System.out.println("provenance");
                for (Provenance p : m.provenance())
                    System.out.println("  " + p.time() + "  " + p.step() + (p.source() != null ? "  " + p.source() : "")
                            + (p.parameters().isEmpty() ? "" : "  " + p.parameters()));
                if (problems != null) {
                    if (problems.isEmpty()) System.out.println("verify     ok: every checksum matches");
                    else problems.forEach(p -> System.out.println("verify     CORRUPT " + p));
                }
            }
            return problems != null && !problems.isEmpty() ? CORRUPT : 0;
        }
    }

    private static String preview(List<String> ids) {
        if (ids.size() <= 4) return String.join(", ", ids);
        return String.join(", ", ids.subList(0, 3)) + ", ... , " + ids.getLast();
    }
}
