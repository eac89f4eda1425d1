package org.omx.engine.cohort;

import org.omx.io.InputFormatException;
import org.omx.io.OmxVersion;
import org.omx.io.PendingFile;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.plink.BedFile;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Writes a cohort whose layers all have the same samples in the same order (participant IDs, the
 * order of {@link CohortCheck}'s participant list), plus its tables in that order and an aligned
 * manifest {@code OUT/cohort.yaml}.
 *
 * <p>Samples: those present in every layer ({@code union = false}), or in any layer, with NaN
 * where a layer lacks one ({@code union = true}). Refuses (an error naming the file and the ID)
 * duplicated IDs, and IDs flagged as likely typos or case differences unless told to drop them;
 * other unmatched IDs and participants in no layer are left out and logged.
 *
 * <p>No copy: a store layer whose participant IDs are already exactly the aligned list (same set,
 * same order) is not rewritten; the aligned manifest points at the original store (its path written
 * relative to the new manifest when it lies below it, absolute otherwise) and keeps its sample-ID
 * map. Every other layer is written to {@code OUT/LAYER.omx} with participant IDs and a
 * {@code cohort:align} provenance step. A PLINK layer that needs reordering becomes an omx store of
 * A1 dosages (variants x samples, NaN for missing calls); a text layer must be imported first.
 */
public final class CohortAlign {

    /** What happened to each layer. */
    public record Outcome(String layer, Path path, boolean referenced) {
    }

    private CohortAlign() {
    }

    public static List<Outcome> align(CohortManifest m, CohortCheck.Report report, Path outDir, boolean union,
                                      boolean dropSuspects, boolean overwrite, Consumer<String> log)
            throws IOException, InputFormatException {
        for (CohortCheck.SourceReport r : concat(report.layers(), report.tables()))
            for (Map.Entry<String, List<String>> d : r.duplicated().entrySet())
                throw new InputFormatException(r.source().file(), "sample " + d.getKey() + " occurs "
                        + d.getValue().size() + " times in " + r.source().label() + " (IDs " + String.join(", ", d.getValue())
                        + "); remove or rename one before aligning");
        for (CohortCheck.SourceReport r : concat(report.layers(), report.tables())) {
            if (!dropSuspects && !r.suspects().isEmpty()) {
                CohortCheck.Suspect s = r.suspects().getFirst();
                throw new InputFormatException(r.source().file(), "sample ID " + s.id() + " in " + r.source().label() + " "
                        + s.why() + " participant " + s.resembles() + "; fix the ID (or its sample-ID map), or pass "
                        + "--drop-mismatched to leave such samples out");
            }
            if (!r.unmatched().isEmpty())
                log.accept(r.source().label() + ": " + r.unmatched().size() + " IDs match no participant and are left out: "
                        + String.join(", ", r.unmatched()));
        }
        if (!report.inNoLayer().isEmpty())
            log.accept(report.inNoLayer().size() + " participants are in no layer and are left out: "
                    + String.join(", ", report.inNoLayer()));
        List<String> target = new ArrayList<>();
        for (String p : report.participants()) {
            boolean all = true;
            boolean any = false;
            for (CohortCheck.SourceReport r : report.layers()) {
                boolean has = r.source().ids().contains(p);
                all &= has;
                any |= has;
            }
            if (union ? any : all) target.add(p);
        }
        if (target.isEmpty()) throw new InputFormatException(report.layers().getFirst().source().file(),
                "no sample is in " + (union ? "any" : "every") + " layer; nothing to align");
        log.accept("aligning " + target.size() + " samples (" + (union ? "union, NaN where a layer lacks one" : "in every layer") + ")");

        Files.createDirectories(outDir);
        List<CohortManifest.Layer> layers = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int li = 0; li < m.layers().size(); li++) {
            CohortManifest.Layer l = m.layers().get(li);
            SampleSource s = report.layers().get(li).source();
            if (l.format() == CohortManifest.Format.OMX && s.ids().equals(target)) {
                layers.add(l);
                outcomes.add(new Outcome(l.name(), l.path(), true));
                log.accept("layer " + l.name() + ": already aligned, referenced in place (" + l.path() + ")");
                continue;
            }
            Path out = outDir.resolve(l.name() + ".omx");
            int[] cols = columns(s, target);
            switch (l.format()) {
                case OMX -> writeStore(l, out, cols, target, overwrite);
                case PLINK -> writeBed(l, out, cols, target, overwrite);
                case TSV -> throw new InputFormatException(l.path(), "layer " + l.name()
                        + " is a text matrix; import it to a store first (omx import) and point the manifest at the store");
            }
            layers.add(l.relocated(out, CohortManifest.Format.OMX, l.units(), l.normalize()));
            outcomes.add(new Outcome(l.name(), out, false));
            log.accept("layer " + l.name() + ": wrote " + out);
        }
        CohortManifest.Tables t = m.tables();
        CohortManifest.Tables nt = new CohortManifest.Tables(
                table(t.covariates(), outDir.resolve("covariates.tsv"), target, overwrite),
                table(t.phenotypes(), outDir.resolve("phenotypes.tsv"), target, overwrite),
                table(t.environment(), outDir.resolve("environment.tsv"), target, overwrite), t.truth());
        new CohortManifest(m.cohort(), m.seed(), layers, nt).write(outDir.resolve("cohort.yaml"), overwrite);
        return outcomes;
    }

    private static List<CohortCheck.SourceReport> concat(List<CohortCheck.SourceReport> a, List<CohortCheck.SourceReport> b) {
        List<CohortCheck.SourceReport> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** For each target sample, its column in the source, or -1. */
    private static int[] columns(SampleSource s, List<String> target) {
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < s.ids().size(); i++) at.put(s.ids().get(i), i);
        int[] cols = new int[target.size()];
        for (int t = 0; t < cols.length; t++) cols[t] = at.getOrDefault(target.get(t), -1);
        return cols;
    }

    private static Provenance step(Path source, int n) {
        return new Provenance("cohort:align", source.toAbsolutePath().toString(), Map.of("samples", String.valueOf(n)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), OmxVersion.get());
    }

    private static void writeStore(CohortManifest.Layer l, Path out, int[] cols, List<String> target, boolean overwrite)
            throws IOException, InputFormatException {
        try (MatrixStore in = MatrixStore.open(l.path())) {
            StoreMeta mm = in.meta();
            StoreDescription d = new StoreDescription(mm.layer() == null ? l.name() : mm.layer(),
                    mm.omicsType() == null ? l.omicsType() : mm.omicsType(), mm.units(),
                    mm.provenance() == null ? List.of() : mm.provenance(), mm.annotations() == null ? Map.of() : mm.annotations())
                    .withStep(step(l.path(), target.size()));
            float[] row = new float[in.cols()];
            float[] dst = new float[cols.length];
            try (StoreWriter w = StoreWriter.create(out, target, d, overwrite)) {
                for (long r = 0; r < in.rows(); r++) {
                    in.copyRow(r, row, 0);
                    for (int t = 0; t < cols.length; t++) dst[t] = cols[t] < 0 ? Float.NaN : row[cols[t]];
                    w.appendRow(in.featureIds().get((int) r), dst, 0);
                }
                w.commit();
            }
        }
    }

    private static void writeBed(CohortManifest.Layer l, Path out, int[] cols, List<String> target, boolean overwrite)
            throws IOException, InputFormatException {
        try (BedFile b = BedFile.open(l.path())) {
            StoreDescription d = StoreDescription.of(l.name(), l.omicsType(), "A1 dosage").withStep(step(l.path(), target.size()));
            int n = b.nSamples();
            float[] row = new float[n];
            float[] dst = new float[cols.length];
            try (StoreWriter w = StoreWriter.create(out, target, d, overwrite)) {
                for (long v = 0; v < b.nVariants(); v++) {
                    b.decode(v, 1, row, false);
                    for (int t = 0; t < cols.length; t++) dst[t] = cols[t] < 0 ? Float.NaN : row[cols[t]];
                    w.appendRow(b.variants().get((int) v).id(), dst, 0);
                }
                w.commit();
            }
        }
    }

    /** Rewrites a table with its rows in the target order; a sample it lacks gets NA in every column. */
    private static Path table(Path in, Path out, List<String> target, boolean overwrite) throws IOException, InputFormatException {
        if (in == null) return null;
        String header;
        Map<String, String> lines = new LinkedHashMap<>();
        int col;
        int width;
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            header = r.readLine();
            String[] h = header.split("\t", -1);
            col = SampleSource.idColumn(h);
            width = h.length;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                lines.putIfAbsent(line.split("\t", -1)[col], line);
            }
        }
        String na = Arrays.stream(new String[width]).map(x -> "NA").collect(Collectors.joining("\t"));
        PendingFile.writeText(out, overwrite, w -> {
            w.write(header);
            w.write('\n');
            for (String id : target) {
                String line = lines.get(id);
                if (line == null) {
                    String[] f = na.split("\t", -1);
                    f[col] = id;
                    line = String.join("\t", f);
                }
                w.write(line);
                w.write('\n');
            }
        });
        return out;
    }
}
