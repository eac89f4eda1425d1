package org.omx.engine.cohort;

import org.omx.io.InputFormatException;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.plink.BedFile;
import org.omx.io.store.MatrixStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample IDs of one layer or table, as found in its file and as participant IDs after the
 * layer's sample-ID map.
 *
 * @param kind     "layer" or "table"
 * @param name     the layer's name, or covariates / phenotypes / environment
 * @param file     the file the IDs come from: a store directory, a .fam, a text matrix or table
 * @param labIds   the IDs in the file, in its column (or line) order
 * @param ids      the participant IDs, same order: mapped, or the lab ID where there is no map
 *                 or the map lacks it
 * @param notInMap lab IDs the layer's map does not list (they pass through unchanged)
 */
public record SampleSource(String kind, String name, Path file, List<String> labIds, List<String> ids, List<String> notInMap) {

    public String label() {
        return kind + " " + name;
    }

    /** Participant ID to the lab IDs that map to it, for IDs with more than one. */
    public Map<String, List<String>> duplicates() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) all.computeIfAbsent(ids.get(i), k -> new ArrayList<>()).add(labIds.get(i));
        all.values().removeIf(l -> l.size() < 2);
        return all;
    }

    /** Reads a layer's sample IDs (store, PLINK .fam or the header of a text matrix) and applies its map. */
    public static SampleSource layer(CohortManifest.Layer l) throws IOException, InputFormatException {
        List<String> lab;
        Path file = l.path();
        switch (l.format()) {
            case OMX -> {
                try (MatrixStore s = MatrixStore.open(l.path())) {
                    lab = s.sampleIds();
                }
            }
            case PLINK -> {
                try (BedFile b = BedFile.open(l.path())) {
                    lab = b.sampleIds();
                }
                String bed = l.path().getFileName().toString();
                file = l.path().resolveSibling((bed.endsWith(".bed") ? bed.substring(0, bed.length() - 4) : bed) + ".fam");
            }
            case TSV -> lab = textHeader(l.path());
            default -> throw new IllegalStateException();
        }
        if (l.sampleIdMap() == null) return new SampleSource("layer", l.name(), file, List.copyOf(lab), List.copyOf(lab), List.of());
        Map<String, String> map = readMap(l.sampleIdMap());
        List<String> ids = new ArrayList<>(lab.size());
        List<String> notIn = new ArrayList<>();
        for (String s : lab) {
            String p = map.get(s);
            if (p == null) notIn.add(s);
            ids.add(p == null ? s : p);
        }
        return new SampleSource("layer", l.name(), file, List.copyOf(lab), List.copyOf(ids), List.copyOf(notIn));
    }

    /** A sample table's IDs: the column named sample_id (else the first column), one per line after the header. */
    public static SampleSource table(String name, Path file) throws IOException, InputFormatException {
        List<String> ids = new ArrayList<>();
        try (BufferedReader r = open(file)) {
            String head = r.readLine();
            if (head == null) throw new InputFormatException(file, "empty (expected a header with a sample_id column)");
            int col = idColumn(head.split("\t", -1));
            String line;
            long no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                if (f.length <= col || f[col].isEmpty())
                    throw new InputFormatException(file, no, col + 1, "a sample ID", "an empty field");
                ids.add(f[col]);
            }
        }
        return new SampleSource("table", name, file, List.copyOf(ids), List.copyOf(ids), List.of());
    }

    static int idColumn(String[] header) {
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals("sample_id")) return i;
        return 0;
    }

    /**
     * A sample-ID map: a header line, then {@code LAB_ID <tab> PARTICIPANT_ID} per line. A lab ID
     * listed twice is an error naming the file, the line and the ID.
     */
    public static Map<String, String> readMap(Path file) throws IOException, InputFormatException {
        Map<String, String> m = new HashMap<>();
        try (BufferedReader r = open(file)) {
            String line = r.readLine();
            if (line == null) throw new InputFormatException(file, "empty (expected a header, then lab ID <tab> participant ID)");
            long no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 2 || f[0].isEmpty() || f[1].isEmpty())
                    throw new InputFormatException(file, no, 0, "lab ID <tab> participant ID", line);
                String prev = m.put(f[0], f[1]);
                if (prev != null) throw new InputFormatException(file, no, 1, "each lab ID listed once",
                        "lab ID " + f[0] + " again (mapped to " + prev + " before, now " + f[1] + ")");
            }
        }
        return m;
    }

    private static List<String> textHeader(Path file) throws IOException, InputFormatException {
        try (BufferedReader r = open(file)) {
            String head = r.readLine();
            if (head == null) throw new InputFormatException(file, "empty (expected a header: feature ID, then sample IDs)");
            if (head.startsWith("\uFEFF")) head = head.substring(1);
            String[] f = head.split(head.indexOf('\t') >= 0 ? "\t" : ",", -1);
            List<String> out = new ArrayList<>();
            for (int i = 1; i < f.length; i++) out.add(f[i].trim());
            return out;
        }
    }

    private static BufferedReader open(Path file) throws IOException, InputFormatException {
        if (!Files.exists(file)) throw new InputFormatException(file, "no such file");
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
}
