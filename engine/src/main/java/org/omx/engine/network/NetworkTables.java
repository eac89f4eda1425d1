package org.omx.engine.network;

import org.omx.io.PendingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The result tables a single network and a consensus network share (modules, eigengenes, kME,
 * dendrogram), as text, and their temporary-name-then-rename write.
 */
final class NetworkTables {

    private NetworkTables() {
    }

    static String modules(List<String> features, int[] labels, int[] unmergedLabels) {
        StringBuilder sb = new StringBuilder("feature_id\tmodule\tunmerged_module\n");
        for (int i = 0; i < features.size(); i++)
            sb.append(features.get(i)).append('\t').append(labels[i]).append('\t').append(unmergedLabels[i]).append('\n');
        return sb.toString();
    }

    static String eigengenes(List<String> samples, ModuleEigengenes.Result me) {
        int[] mods = me.modules();
        StringBuilder sb = new StringBuilder("sample_id");
        for (int m : mods) sb.append("\tME").append(m);
        sb.append('\n');
        for (int s = 0; s < samples.size(); s++) {
            sb.append(samples.get(s));
            for (int m = 0; m < mods.length; m++) TenDigits.append(sb.append('\t'), me.eigengenes()[m][s]);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** kME per module and its Student p-value over {@code samples} samples. */
    static String kME(List<String> features, int[] mods, double[][] kme, int samples) {
        StringBuilder sb = new StringBuilder("feature_id");
        for (int m : mods) sb.append("\tkME").append(m);
        for (int m : mods) sb.append("\tp.kME").append(m);
        sb.append('\n');
        for (int i = 0; i < features.size(); i++) {
            sb.append(features.get(i));
            for (int m = 0; m < mods.length; m++) TenDigits.append(sb.append('\t'), kme[i][m]);
            for (int m = 0; m < mods.length; m++) TenDigits.append(sb.append('\t'), ModuleEigengenes.corPvalueStudent(kme[i][m], samples));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** R hclust's merge and height. */
    static String dendrogram(HierarchicalClustering.Tree t) {
        StringBuilder sb = new StringBuilder("merge1\tmerge2\theight\n");
        for (int s = 0; s < t.height().length; s++)
            TenDigits.append(sb.append(t.merge()[s][0]).append('\t').append(t.merge()[s][1]).append('\t'), t.height()[s]).append('\n');
        return sb.toString();
    }

    static void write(Path target, CharSequence text) throws IOException {
        PendingFile.writeText(target, true, w -> w.append(text));
    }

    /** {@code %.10g} ("NaN" for NaN). */
    static String num(double v) {
        return TenDigits.format(v);
    }
}
