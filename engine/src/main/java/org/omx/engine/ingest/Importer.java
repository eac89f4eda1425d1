package org.omx.engine.ingest;

import org.omx.io.InputFormatException;
import org.omx.io.OmxVersion;
import org.omx.io.Progress;
import org.omx.io.mtx.MatrixMarketImporter;
import org.omx.io.mtx.TenxImporter;
import org.omx.io.plink.BedImporter;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.text.DelimitedImporter;
import org.omx.io.text.TextImportOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Java API behind {@code omx import}: one input of any supported kind into a store. */
public final class Importer {

    private Importer() {
    }

    public static StoreMeta run(ImportRequest r, Progress progress) throws IOException, InputFormatException {
        InputKind kind = r.kind() != null ? r.kind() : InputKind.detect(r.input());
        StoreDescription d = describe(r, kind);
        return switch (kind) {
            case DELIMITED -> DelimitedImporter.importFile(r.input(), r.output(),
                    new TextImportOptions(r.samplesInColumns(), r.delimiter(), r.threads(), r.overwrite(), d, r.memoryBytes()),
                    progress);
            case MATRIX_MARKET -> MatrixMarketImporter.importFile(r.input(), r.featureIds(), r.sampleIds(), r.output(),
                    r.overwrite(), d, progress);
            case TENX -> TenxImporter.importDirectory(r.input(), r.output(), r.overwrite(), d, progress);
            case PLINK -> BedImporter.importBed(r.input(), r.output(), r.meanImpute(), r.overwrite(), d, progress);
        };
    }

    private static StoreDescription describe(ImportRequest r, InputKind kind) {
        String name = r.output().toAbsolutePath().getFileName().toString();
        String layer = r.layer() != null ? r.layer() : name.replaceFirst("\\.omx$", "");
        String omics = r.omicsType() != null ? r.omicsType() : switch (kind) {
            case PLINK -> "genome";
            case TENX -> "transcriptome";
            default -> "unspecified";
        };
        String units = r.units() != null ? r.units() : switch (kind) {
            case PLINK -> r.meanImpute() ? "A1 dosage (missing mean-imputed)" : "A1 dosage";
            case TENX -> "counts";
            default -> "unspecified";
        };
        Map<String, String> params = new LinkedHashMap<>();
        params.put("kind", kind.name().toLowerCase());
        if (kind == InputKind.DELIMITED) {
            params.put("orientation", r.samplesInColumns() ? "samples-in-columns" : "samples-in-rows");
            params.put("delimiter", r.delimiter() == null ? "auto" : r.delimiter() == '\t' ? "tab" : String.valueOf(r.delimiter()));
        }
        if (kind == InputKind.PLINK) params.put("meanImpute", String.valueOf(r.meanImpute()));
        Provenance step = new Provenance("import", r.input().toAbsolutePath().toString(), params,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), OmxVersion.get());
        // the text importer records its own step, with the delimiter and compression it detected
        return new StoreDescription(layer, omics, units, kind == InputKind.DELIMITED ? List.of() : List.of(step), Map.of());
    }
}
