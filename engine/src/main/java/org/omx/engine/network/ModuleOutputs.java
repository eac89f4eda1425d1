package org.omx.engine.network;

import org.omx.engine.traits.TraitTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-module results beyond eigengenes: intramodular connectivity (WGCNA
 * {@code intramodularConnectivity(adj, colors, scaleByMax = FALSE)}), hub features, and module-trait
 * correlations with Student p-values (WGCNA {@code cor(MEs, traits, use = "p")} and
 * {@code corPvalueStudent}).
 */
public final class ModuleOutputs {

    private ModuleOutputs() {
    }

    /**
     * kTotal = sum of a feature's adjacencies to all others, kWithin = to the other members of its
     * module (unassigned features, label 0, form a module of their own as WGCNA's grey does),
     * kOut = kTotal - kWithin, kDiff = kWithin - kOut.
     */
    public record Connectivity(double[] kTotal, double[] kWithin, double[] kOut, double[] kDiff) {

        /** From the total and within-module sums: kOut = kTotal - kWithin, kDiff = kWithin - kOut. */
        static Connectivity of(double[] total, double[] within) {
            int g = total.length;
            double[] out = new double[g];
            double[] diff = new double[g];
            for (int i = 0; i < g; i++) {
                out[i] = total[i] - within[i];
                diff[i] = within[i] - out[i];
            }
            return new Connectivity(total, within, out, diff);
        }
    }

    /** A hub: a module's feature ranked by kME to its own eigengene (ties by kWithin). */
    public record Hub(int module, int rank, int feature, double kME, double kWithin) {
    }

    /** The top {@code perModule} features of every assigned module by kME, then kWithin. */
    public static List<Hub> hubs(int[] labels, ModuleEigengenes.Result me, double[][] kME, Connectivity k, int perModule) {
        List<Hub> out = new ArrayList<>();
        for (int m = 0; m < me.modules().length; m++) {
            int label = me.modules()[m];
            if (label == 0) continue;
            int col = m;
            Integer[] members = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).boxed().toArray(Integer[]::new);
            Arrays.sort(members, (a, b) -> kME[a][col] != kME[b][col] ? Double.compare(kME[b][col], kME[a][col])
                    : Double.compare(k.kWithin()[b], k.kWithin()[a]));
            for (int r = 0; r < Math.min(perModule, members.length); r++)
                out.add(new Hub(label, r + 1, members[r], kME[members[r]][col], k.kWithin()[members[r]]));
        }
        return out;
    }

    /** Correlation of two vectors over the entries where both are present, and that count. */
    static double[] pairwisePearson(double[] a, double[] b) {
        double sa = 0, sb = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++)
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                sa += a[i];
                sb += b[i];
                n++;
            }
        if (n < 2) return new double[]{Double.NaN, n};
        double ma = sa / n, mb = sb / n, sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++)
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                sab += (a[i] - ma) * (b[i] - mb);
                saa += (a[i] - ma) * (a[i] - ma);
                sbb += (b[i] - mb) * (b[i] - mb);
            }
        return new double[]{sab / Math.sqrt(saa * sbb), n};
    }

    /** Module-trait table: {@code cor[m][t]}, Student {@code p[m][t]} over the {@code n[m][t]} complete samples. */
    public record ModuleTrait(int[] modules, List<String> traits, double[][] cor, double[][] p, int[][] n) {

        public String toTsv() {
            StringBuilder sb = new StringBuilder("module\ttrait\tcor\tp\tn\n");
            for (int m = 0; m < modules.length; m++)
                for (int t = 0; t < traits.size(); t++)
                    sb.append("ME").append(modules[m]).append('\t').append(traits.get(t)).append('\t').append(num(cor[m][t]))
                            .append('\t').append(num(p[m][t])).append('\t').append(n[m][t]).append('\n');
            return sb.toString();
        }
    }

    public static ModuleTrait moduleTrait(ModuleEigengenes.Result me, TraitTable traits) {
        int k = me.modules().length;
        int t = traits.names().size();
        double[][] cor = new double[k][t];
        double[][] p = new double[k][t];
        int[][] n = new int[k][t];
        for (int m = 0; m < k; m++)
            for (int j = 0; j < t; j++) {
                double[] rn = pairwisePearson(me.eigengenes()[m], traits.values()[j]);
                cor[m][j] = rn[0];
                n[m][j] = (int) rn[1];
                p[m][j] = n[m][j] > 2 ? ModuleEigengenes.corPvalueStudent(rn[0], n[m][j]) : Double.NaN;
            }
        return new ModuleTrait(me.modules(), traits.names(), cor, p, n);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "NA" : TenDigits.format(v);
    }
}
