package org.omx.engine.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The files of a consensus run: modules.tsv, sets.tsv (per set: store, samples, calibration quantile and
 * power), eigengenes-setN.tsv and kME-setN.tsv per set, module-trait-setN.tsv (with traits), soft-threshold-setN.tsv (automatic power),
 * dendrogram.tsv and params.json. Each is written under a temporary name and renamed when complete.
 */
public final class ConsensusOutputs {

    private ConsensusOutputs() {
    }

    public static void write(ConsensusNetwork.Result r, NetworkAnalysis.Parameters p, double calibrationQuantile, Path outDir)
            throws IOException {
        List<String> ids = r.alignment().features();
        write(outDir.resolve("modules.tsv"), NetworkTables.modules(ids, r.labels(), r.unmergedLabels()));

        int k = r.samples().size();
        StringBuilder sb = new StringBuilder("set\tstore\tfeatures\tsamples\ttom_quantile\tcalibration_power\n");
        for (int s = 0; s < k; s++)
            sb.append(s + 1).append('\t').append(r.alignment().paths().get(s)).append('\t').append(r.alignment().storeFeatures()[s])
                    .append('\t').append(r.samples().get(s).size()).append('\t').append(num(r.quantiles()[s])).append('\t')
                    .append(num(r.scalePowers()[s])).append('\n');
        write(outDir.resolve("sets.tsv"), sb);

        for (int s = 0; s < k; s++) {
            ModuleEigengenes.Result me = r.eigengenes().get(s);
            List<String> samples = r.samples().get(s);
            write(outDir.resolve("eigengenes-set" + (s + 1) + ".tsv"), NetworkTables.eigengenes(samples, me));
            write(outDir.resolve("kME-set" + (s + 1) + ".tsv"), NetworkTables.kME(ids, me.modules(), r.kME().get(s), samples.size()));
            if (r.moduleTraits() != null) write(outDir.resolve("module-trait-set" + (s + 1) + ".tsv"), r.moduleTraits().get(s).toTsv());
            if (s < r.tables().size()) write(outDir.resolve("soft-threshold-set" + (s + 1) + ".tsv"), r.tables().get(s).toTsv());
        }

        write(outDir.resolve("dendrogram.tsv"), NetworkTables.dendrogram(r.tree()));

        String sets = String.join(", ", r.alignment().paths().stream().map(x -> "\"" + esc(x) + "\"").toList());
        write(outDir.resolve("params.json"), String.format(Locale.ROOT, """
                {
                  "analysis": "consensus network (WGCNA consensusTOM, one block)",
                  "sets": [%s],
                  "sharedFeatures": %d,
                  "correlation": "%s",
                  "maxPOutliers": %s,
                  "networkType": "%s",
                  "tomType": "%s",
                  "TOMDenom": "min",
                  "power": %s,
                  "powerRule": "%s",
                  "networkCalibration": "single quantile (exact, type 8, all off-diagonal TOM values)",
                  "calibrationQuantile": %s,
                  "consensusQuantile": %s,
                  "clustering": "average linkage of 1 - consensus TOM (nearest-neighbour chain)",
                  "treeCut": "dynamic hybrid",
                  "minModuleSize": %d,
                  "deepSplit": %d,
                  "pamStage": %s,
                  "pamRespectsDendro": true,
                  "mergeCutHeight": %s,
                  "mergeConsensusQuantile": %s,
                  "tileRows": %d,
                  "memoryBudget": %d,
                  "modules": %d
                }
                """, sets, ids.size(), p.correlation().label(), num(p.maxPOutliers()), p.networkType().label(), p.tomType().label(),
                num(r.power()), esc(r.powerRule()), num(calibrationQuantile), num(r.consensusQuantile()), p.minModuleSize(), p.deepSplit(), p.pamStage(),
                num(p.mergeCutHeight()), num(r.consensusQuantile()), r.plan().blockRows(), r.plan().memoryBudget(), Arrays.stream(r.labels()).max().orElse(0)));
    }

    private static void write(Path target, CharSequence text) throws IOException {
        NetworkTables.write(target, text);
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String num(double v) {
        return NetworkTables.num(v);
    }
}
