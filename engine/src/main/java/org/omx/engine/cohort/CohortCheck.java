package org.omx.engine.cohort;

import org.omx.io.InputFormatException;
import org.omx.io.cohort.CohortManifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Matches samples across a cohort's layers and tables.
 *
 * <p>The cohort's participants are the IDs of its first sample table (covariates, else phenotypes,
 * else environment); a cohort without tables takes the union of its layers' IDs, in order of first
 * appearance. For every layer and table: the participants present, those missing, participant IDs
 * that occur twice (two lab IDs mapped to one participant, or one ID listed twice), and IDs that
 * match no participant. An unmatched ID is flagged as a likely mistake when a participant missing
 * from that source equals it ignoring case, or else is one edit (substitution, insertion,
 * deletion) away. Without tables every ID is a participant, so an ID is flagged when it occurs in
 * only its own source and resembles a participant that source lacks. Participants of the tables
 * that occur in no layer are listed.
 */
public final class CohortCheck {

    /** One suspicious ID and the participant it resembles. */
    public record Suspect(String id, String resembles, String why) {
    }

    /** What was found for one layer or table. */
    public record SourceReport(SampleSource source, List<String> present, List<String> missing,
                               Map<String, List<String>> duplicated, List<String> unmatched, List<Suspect> suspects) {
        public boolean clean() {
            return duplicated.isEmpty() && unmatched.isEmpty() && suspects.isEmpty() && source.notInMap().isEmpty();
        }
    }

    /** The whole check. */
    public record Report(List<String> participants, String participantsFrom, List<SourceReport> layers,
                         List<SourceReport> tables, List<String> inNoLayer) {

        /** True when nothing needs a person's attention (samples merely missing from a layer are normal). */
        public boolean clean() {
            return inNoLayer.isEmpty() && layers.stream().allMatch(SourceReport::clean) && tables.stream().allMatch(SourceReport::clean);
        }

        public String format() {
            StringBuilder b = new StringBuilder();
            b.append(participants.size()).append(" participants (").append(participantsFrom).append(")\n");
            for (SourceReport r : layers) append(b, r);
            for (SourceReport r : tables) append(b, r);
            if (!inNoLayer.isEmpty())
                b.append("in no layer: ").append(inNoLayer.size()).append(" participants: ").append(list(inNoLayer)).append('\n');
            b.append(clean() ? "OK: no duplicated, unmatched, suspicious or layer-less samples\n" : "problems found (see above)\n");
            return b.toString();
        }

        private static void append(StringBuilder b, SourceReport r) {
            SampleSource s = r.source();
            b.append(s.label()).append(" (").append(s.file()).append("): ").append(r.present().size()).append(" present, ")
                    .append(r.missing().size()).append(" missing, ").append(r.duplicated().size()).append(" duplicated, ")
                    .append(r.unmatched().size()).append(" unmatched\n");
            if (!r.missing().isEmpty()) b.append("  missing: ").append(list(r.missing())).append('\n');
            r.duplicated().forEach((id, lab) -> b.append("  duplicated: ").append(id)
                    .append(lab.stream().distinct().count() > 1 ? " (lab IDs " + String.join(", ", lab) + ")" : " (listed " + lab.size() + " times)")
                    .append('\n'));
            if (!s.notInMap().isEmpty()) b.append("  not in the sample-ID map (kept as is): ").append(list(s.notInMap())).append('\n');
            Map<String, Suspect> sus = new LinkedHashMap<>();
            for (Suspect x : r.suspects()) sus.put(x.id(), x);
            for (String u : r.unmatched()) {
                Suspect x = sus.get(u);
                b.append("  unmatched: ").append(u).append(x == null ? " (no similar participant)" : " - " + x.why() + " " + x.resembles()).append('\n');
            }
            for (Suspect x : r.suspects())
                if (!r.unmatched().contains(x.id()))
                    b.append("  suspicious: ").append(x.id()).append(" (only here) - ").append(x.why()).append(' ').append(x.resembles()).append('\n');
        }

        private static String list(List<String> ids) {
            return ids.size() <= 20 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 20)) + ", ... (" + (ids.size() - 20) + " more)";
        }
    }

    private CohortCheck() {
    }

    /** Reads every layer's and table's sample IDs and compares them. Errors name the file. */
    public static Report check(CohortManifest m) throws IOException, InputFormatException {
        List<SampleSource> layers = new ArrayList<>();
        for (CohortManifest.Layer l : m.layers()) layers.add(SampleSource.layer(l));
        List<SampleSource> tables = new ArrayList<>();
        CohortManifest.Tables t = m.tables();
        addTable(tables, "covariates", t.covariates());
        addTable(tables, "phenotypes", t.phenotypes());
        addTable(tables, "environment", t.environment());
        return compare(layers, tables);
    }

    private static void addTable(List<SampleSource> out, String name, Path p) throws IOException, InputFormatException {
        if (p != null) out.add(SampleSource.table(name, p));
    }

    /** The comparison itself, on sources already read. */
    public static Report compare(List<SampleSource> layers, List<SampleSource> tables) {
        LinkedHashSet<String> universe = new LinkedHashSet<>();
        String from;
        boolean fromTable = !tables.isEmpty();
        if (fromTable) {
            universe.addAll(tables.getFirst().ids());
            from = "from " + tables.getFirst().label() + ", " + tables.getFirst().file();
        } else {
            for (SampleSource s : layers) universe.addAll(s.ids());
            from = "union of the layers; the manifest has no sample tables";
        }
        List<String> participants = List.copyOf(universe);
        // in how many sources each ID occurs (for the no-table case)
        Map<String, Integer> occurrences = new LinkedHashMap<>();
        for (SampleSource s : layers) for (String id : new LinkedHashSet<>(s.ids())) occurrences.merge(id, 1, Integer::sum);
        List<SourceReport> lr = new ArrayList<>();
        for (SampleSource s : layers) lr.add(report(s, participants, universe, fromTable, occurrences));
        List<SourceReport> tr = new ArrayList<>();
        for (SampleSource s : tables) tr.add(report(s, participants, universe, true, occurrences));
        Set<String> inLayers = new HashSet<>();
        for (SampleSource s : layers) inLayers.addAll(s.ids());
        List<String> none = participants.stream().filter(p -> !inLayers.contains(p)).toList();
        return new Report(participants, from, lr, tr, none);
    }

    private static SourceReport report(SampleSource s, List<String> participants, Set<String> universe, boolean fromTable,
                                       Map<String, Integer> occurrences) {
        Set<String> here = new LinkedHashSet<>(s.ids());
        List<String> present = participants.stream().filter(here::contains).toList();
        List<String> missing = participants.stream().filter(p -> !here.contains(p)).toList();
        List<String> unmatched = here.stream().filter(id -> !universe.contains(id)).toList();
        List<Suspect> suspects = new ArrayList<>();
        List<String> candidates = fromTable ? unmatched
                : here.stream().filter(id -> occurrences.getOrDefault(id, 0) == 1 && occurrences.size() > 0).toList();
        if (!fromTable && occurrencesOfSources(occurrences) < 2) candidates = List.of();
        for (String id : candidates) {
            Suspect x = resemble(id, missing);
            if (x != null) suspects.add(x);
        }
        return new SourceReport(s, present, missing, s.duplicates(), unmatched, suspects);
    }

    private static int occurrencesOfSources(Map<String, Integer> occ) {
        int max = 0;
        for (int v : occ.values()) max = Math.max(max, v);
        return max;
    }

    /** A participant (among those the source lacks) that {@code id} resembles: same letters ignoring case, else one edit away. */
    static Suspect resemble(String id, List<String> lacking) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (String p : lacking) if (!p.equals(id) && p.toLowerCase(Locale.ROOT).equals(lower)) return new Suspect(id, p, "differs only in case from");
        for (String p : lacking) if (!p.equals(id) && editDistanceIsOne(id, p)) return new Suspect(id, p, "one edit from");
        return null;
    }

    /** Whether two strings are exactly one substitution, insertion or deletion apart. */
    static boolean editDistanceIsOne(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > 1) return false;
        if (la > lb) return editDistanceIsOne(b, a);
        int i = 0;
        while (i < la && a.charAt(i) == b.charAt(i)) i++;
        if (i == la) return lb == la + 1;
        if (la == lb) return a.substring(i + 1).equals(b.substring(i + 1));
        return a.substring(i).equals(b.substring(i + 1));
    }
}
