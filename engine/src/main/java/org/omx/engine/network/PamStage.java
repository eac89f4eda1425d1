package org.omx.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The second, PAM-like stage of the hybrid dynamic tree cut (Langfelder, Zhang and Horvath 2008), with
 * WGCNA's defaults: average dissimilarities rather than medoids, maxPamDist = the cut height,
 * respectSmallClusters and, optionally, pamRespectsDendro.
 *
 * <p>What the first stage records: a "small cluster" is a basic branch that, where it merged with another
 * branch, failed the module tests only for its size (core scatter and gap passed); an object's first
 * small cluster is kept. When an unassigned object's branch (a singleton or a failed basic branch) meets
 * a composite branch (one holding modules), it remembers that composite's modules at that moment. With
 * pamRespectsDendro those are its only candidates (the modules "below it" in the dendrogram), and
 * objects whose branch never met a composite below the cut height stay unassigned. Small clusters are
 * placed first, each as a whole, by the average dissimilarity of all their members to each candidate
 * module; members of a small cluster that could not be placed stay unassigned. Every other unassigned
 * object is then placed on its own by its average dissimilarity to each candidate. A placement happens
 * only when that average is at most the cut height. Module members are those of the first stage
 * throughout.
 *
 * <p>These rules come from the paper and the package documentation; where those are silent (which
 * branches count as small clusters, what happens to a small cluster that cannot be placed) they were
 * settled by agreement with dynamicTreeCut 1.63-1 (PamStageTest: 30 of 30 cuts identical with
 * pamRespectsDendro). Without pamRespectsDendro R assigns a few objects beyond maxPamDist that this
 * class leaves unassigned (ARI 0.91-0.99 on the fixture), so that variant is approximate.
 */
final class PamStage {

    /** What the first stage records for the second: small clusters, and the composite branch each object met. */
    static final class Attachments {
        final int[] smallCluster;                 // 0 none, else a small-cluster id
        final int[] branch;                       // -1 none, else an index into the two lists below
        final List<List<int[]>> branchModules = new ArrayList<>();
        final IntList modulesThen = new IntList();
        int smallClusters;

        Attachments(int n) {
            smallCluster = new int[n];
            branch = new int[n];
            Arrays.fill(branch, -1);
        }

        /** A branch that failed to be a module only for its size; members already in a small cluster keep theirs. */
        void markSmall(int[] members, int size) {
            smallClusters++;
            for (int i = 0; i < size; i++) if (smallCluster[members[i]] == 0) smallCluster[members[i]] = smallClusters;
        }

        /** Objects left unassigned where their branch met a composite holding {@code modules} (a live list). */
        void attach(int[] members, int size, List<int[]> modules) {
            branchModules.add(modules);
            modulesThen.add(modules.size());
            for (int i = 0; i < size; i++) branch[members[i]] = branchModules.size() - 1;
        }

        /** Labels of the modules of object {@code o}'s branch when it met it; null when it met none. */
        int[] candidates(int o, int[] labels) {
            if (branch[o] < 0) return null;
            List<int[]> mods = branchModules.get(branch[o]);
            int[] out = new int[modulesThen.get(branch[o])];
            for (int m = 0; m < out.length; m++) out[m] = labels[mods.get(m)[0]];
            return out;
        }
    }

    /** A growable int list (no boxing). */
    static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, 2 * size);
            a[size++] = v;
        }

        int get(int i) {
            return a[i];
        }
    }

    private PamStage() {
    }

    /**
     * Assigns left-over objects in place. {@code respectDendro} false lets every unassigned object (and
     * every small cluster) consider all modules.
     */
    static void assign(int[] labels, DynamicTreeCut.Dissimilarity d, double maxDist, Attachments left, boolean respectDendro) {
        int k = Arrays.stream(labels).max().orElse(0);
        if (k == 0) return;
        int n = labels.length;
        int[] stage1 = labels.clone();
        int[] size = new int[k + 1];
        for (int l : stage1) size[l]++;
        int[] all = IntStream.rangeClosed(1, k).toArray();
        // small clusters first, each as a whole; its members are not tried one by one afterwards
        int[][] smallMembers = groups(left.smallCluster, left.smallClusters, stage1);
        for (int[] objs : smallMembers) {
            if (objs.length == 0) continue;
            int[] cand = respectDendro ? left.candidates(objs[0], stage1) : all;
            if (cand == null || cand.length == 0) continue;
            double[] sum = new double[k + 1];
            for (int o : objs) addDistances(o, stage1, d, sum);
            int best = closest(sum, size, objs.length, cand, maxDist);
            if (best > 0) for (int o : objs) labels[o] = best;
        }
        int[] chosen = IntStream.range(0, n).parallel().map(i -> {
            if (stage1[i] != 0 || (left.smallCluster[i] != 0)) return labels[i];
            int[] cand = respectDendro ? left.candidates(i, stage1) : all;
            if (cand == null || cand.length == 0) return 0;
            double[] sum = new double[k + 1];
            addDistances(i, stage1, d, sum);
            return closest(sum, size, 1, cand, maxDist);
        }).toArray();
        System.arraycopy(chosen, 0, labels, 0, n);
    }

    /** Unassigned members of each small cluster. */
    private static int[][] groups(int[] group, int count, int[] stage1) {
        int[] sizes = new int[count + 1];
        for (int o = 0; o < group.length; o++) if (stage1[o] == 0) sizes[group[o]]++;
        int[][] out = new int[count + 1][];
        for (int g = 0; g <= count; g++) out[g] = new int[g == 0 ? 0 : sizes[g]];
        int[] fill = new int[count + 1];
        for (int o = 0; o < group.length; o++) if (stage1[o] == 0 && group[o] != 0) out[group[o]][fill[group[o]]++] = o;
        return out;
    }

    private static void addDistances(int o, int[] stage1, DynamicTreeCut.Dissimilarity d, double[] sum) {
        for (int j = 0; j < stage1.length; j++) if (stage1[j] != 0) sum[stage1[j]] += d.get(o, j);
    }

    /** The candidate module with the least average dissimilarity, 0 when that exceeds maxDist. */
    private static int closest(double[] sum, int[] size, int objects, int[] candidates, double maxDist) {
        int best = 0;
        double bestAvg = Double.POSITIVE_INFINITY;
        for (int m : candidates) {
            double avg = sum[m] / ((double) size[m] * objects);
            if (avg < bestAvg) {
                bestAvg = avg;
                best = m;
            }
        }
        return bestAvg <= maxDist ? best : 0;
    }

    /** The modules of a label vector as member lists (label 0 skipped). */
    static List<int[]> modules(int[] labels) {
        int k = Arrays.stream(labels).max().orElse(0);
        List<int[]> out = new ArrayList<>();
        for (int m = 1; m <= k; m++) {
            int label = m;
            int[] members = IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
            if (members.length > 0) out.add(members);
        }
        return out;
    }
}
