package org.omx.io.cohort;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.omx.io.InputFormatException;
import org.omx.io.PendingFile;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cohort's table of contents: its omics layers (where each is, in which format and units, how
 * its sample IDs map to the cohort's) and its sample tables. Read and written as YAML
 * ({@code .yaml}, {@code .yml}) or JSON ({@code .json}), chosen by the file's extension.
 *
 * <p>In the file, paths are relative to the manifest's directory (absolute paths are kept as they
 * are). {@link #read(Path)} returns them resolved against that directory; {@link #write(Path)}
 * writes them relative to the target's directory where possible. The reader is strict: an unknown
 * field, a missing required one or a value of the wrong kind is an {@link InputFormatException}
 * naming the file, the field (as {@code layers[2].format}) and what was expected.
 *
 * @param cohort the cohort's name
 * @param seed   the random seed of a simulated cohort; null for a real one
 * @param layers the omics layers, names unique
 * @param tables sample tables; never null (fields may be)
 */
public record CohortManifest(String cohort, Long seed, List<Layer> layers, Tables tables) {

    /** How a layer is stored. */
    public enum Format {
        /** an omx matrix store directory ({@code NAME.omx/}) */
        OMX,
        /** a PLINK 1 fileset; the path names the .bed */
        PLINK,
        /** a delimited text matrix, features x samples */
        TSV;

        /** The spelling used in manifests. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Format> parse(String s) {
            return Arrays.stream(values()).filter(f -> f.id().equals(s)).findFirst();
        }
    }

    /**
     * One omics layer.
     *
     * @param name        unique within the cohort ("transcriptome", "rnaseq-batch2")
     * @param omicsType   genome, transcriptome, proteome, metabolome, microbiome or a user's own
     * @param path        the store directory, .bed or text file
     * @param format      how it is stored
     * @param units       what the values are (counts, dosage, intensity); may be null
     * @param sampleIdMap a two-column TSV mapping this layer's sample IDs to the cohort's; null
     *                    when the layer already uses the cohort's IDs
     * @param normalize   the layer's normalization recipe, steps in order; empty when none
     */
    public record Layer(String name, String omicsType, Path path, Format format, String units, Path sampleIdMap,
                        List<RecipeStep> normalize) {

        public Layer {
            normalize = normalize == null ? List.of() : List.copyOf(normalize);
        }

        /** A layer without a normalization recipe. */
        public Layer(String name, String omicsType, Path path, Format format, String units, Path sampleIdMap) {
            this(name, omicsType, path, format, units, sampleIdMap, List.of());
        }

        /** The same layer at another path, in another format, under other units, without an ID map. */
        public Layer relocated(Path newPath, Format newFormat, String newUnits, List<RecipeStep> newRecipe) {
            return new Layer(name, omicsType, newPath, newFormat, newUnits, null, newRecipe);
        }
    }

    /**
     * One step of a layer's normalization recipe, as written in the manifest:
     * {@code {method: logcpm, prior-count: 2}} or {@code {filter: low-counts, min-count: 10}}
     * (a filter step names {@code filter-low-counts}). Parameter values are kept as text (a list
     * becomes its items joined by commas); which names and values a method accepts is the engine's
     * business, which reports errors with {@link #where()}.
     *
     * @param method     the method's name as on the command line ({@code filter-low-counts})
     * @param parameters the other fields of the step, in the file's order
     * @param where      where the step is in the manifest ({@code layers[1].normalize[0]})
     */
    public record RecipeStep(String method, Map<String, String> parameters, String where) {
        public RecipeStep {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    /**
     * The per-sample tables, each a TSV whose first column is the sample ID; any may be null.
     *
     * @param truth for simulated cohorts, the directory with what was planted
     */
    public record Tables(Path covariates, Path phenotypes, Path environment, Path truth) {
        public static final Tables NONE = new Tables(null, null, null, null);
    }

    public CohortManifest {
        layers = List.copyOf(layers);
        if (tables == null) tables = Tables.NONE;
        Set<String> names = new HashSet<>();
        for (Layer l : layers) {
            if (!names.add(l.name())) throw new IllegalArgumentException("two layers named " + l.name());
        }
    }

    /** The layer of this name, if any. */
    public Optional<Layer> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private static final Set<String> TOP_FIELDS = Set.of("cohort", "seed", "layers", "tables");
    private static final Set<String> LAYER_FIELDS = Set.of("name", "omicsType", "path", "format", "units", "sampleIdMap", "normalize");
    private static final Set<String> TABLE_FIELDS = Set.of("covariates", "phenotypes", "environment", "truth");

    /** Reads a manifest; paths come back resolved against the manifest's directory. */
    public static CohortManifest read(Path file) throws IOException, InputFormatException {
        ObjectMapper mapper = mapperFor(file);
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputFormatException(file, "no such file");
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            long line = loc == null ? 0 : Math.max(0, loc.getLineNr());
            long col = loc == null ? 0 : Math.max(0, loc.getColumnNr());
            throw new InputFormatException(file, line, col, "valid " + formatName(file), e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull())
            throw new InputFormatException(file, "empty (expected a cohort manifest with 'cohort' and 'layers')");
        Reader r = new Reader(file, file.toAbsolutePath().normalize().getParent());
        return r.manifest(root);
    }

    /** Writes the manifest (YAML or JSON by extension) under a temporary name, then renames it. */
    public void write(Path file) throws IOException {
        write(file, true);
    }

    public void write(Path file, boolean overwrite) throws IOException {
        ObjectMapper mapper = mapperFor(file);
        Path dir = file.toAbsolutePath().normalize().getParent();
        ObjectNode root = mapper.createObjectNode();
        root.put("cohort", cohort);
        if (seed != null) root.put("seed", seed);
        ArrayNode arr = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode n = arr.addObject();
            n.put("name", l.name());
            n.put("omicsType", l.omicsType());
            n.put("path", relative(dir, l.path()));
            n.put("format", l.format().id());
            if (l.units() != null) n.put("units", l.units());
            if (l.sampleIdMap() != null) n.put("sampleIdMap", relative(dir, l.sampleIdMap()));
            if (!l.normalize().isEmpty()) {
                ArrayNode steps = n.putArray("normalize");
                for (RecipeStep st : l.normalize()) {
                    ObjectNode o = steps.addObject();
                    if (st.method().startsWith("filter-")) o.put("filter", st.method().substring("filter-".length()));
                    else o.put("method", st.method());
                    st.parameters().forEach(o::put);
                }
            }
        }
        ObjectNode t = mapper.createObjectNode();
        putPath(t, "covariates", dir, tables.covariates());
        putPath(t, "phenotypes", dir, tables.phenotypes());
        putPath(t, "environment", dir, tables.environment());
        putPath(t, "truth", dir, tables.truth());
        if (!t.isEmpty()) root.set("tables", t);
        PendingFile.writeText(file, overwrite, w -> w.write(mapper.writeValueAsString(root)));
    }

    /** The layer and table paths that do not exist on disk (empty when the cohort is complete). */
    public List<Path> missingFiles() {
        List<Path> all = new ArrayList<>();
        for (Layer l : layers) {
            all.add(l.path());
            if (l.sampleIdMap() != null) all.add(l.sampleIdMap());
        }
        for (Path p : new Path[] {tables.covariates(), tables.phenotypes(), tables.environment(), tables.truth()})
            if (p != null) all.add(p);
        return all.stream().filter(p -> !Files.exists(p)).toList();
    }

    private static void putPath(ObjectNode n, String field, Path dir, Path p) {
        if (p != null) n.put(field, relative(dir, p));
    }

    private static String relative(Path dir, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        String s;
        try {
            s = abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
        } catch (IllegalArgumentException e) {
            s = abs.toString();
        }
        if (s.isEmpty()) s = ".";
        return s.replace(File.separatorChar, '/');
    }

    private static ObjectMapper mapperFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            YAMLFactory yaml = YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build();
            return new ObjectMapper(yaml);
        }
        if (name.endsWith(".json")) return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        throw new IllegalArgumentException(file + ": a cohort manifest ends in .yaml, .yml or .json");
    }

    private static String formatName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "JSON" : "YAML";
    }

    /** Walks the parsed tree and turns every surprise into an error that names the field. */
    private record Reader(Path file, Path dir) {

        CohortManifest manifest(JsonNode root) throws InputFormatException {
            requireObject(root, "the top level");
            checkFields(root, "", TOP_FIELDS);
            String cohort = requiredText(root, "cohort", "cohort");
            Long seed = null;
            JsonNode s = root.get("seed");
            if (s != null && !s.isNull()) {
                if (!s.canConvertToLong() || !s.isIntegralNumber()) throw fail("seed", "an integer", s);
                seed = s.longValue();
            }
            JsonNode arr = root.get("layers");
            if (arr == null || arr.isNull()) throw fail("layers", "a list of layers", null);
            if (!arr.isArray()) throw fail("layers", "a list of layers", arr);
            if (arr.isEmpty()) throw fail("layers", "at least one layer", "an empty list");
            List<Layer> layers = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < arr.size(); i++) {
                String at = "layers[" + i + "]";
                JsonNode n = arr.get(i);
                requireObject(n, at);
                checkFields(n, at + ".", LAYER_FIELDS);
                String name = requiredText(n, "name", at + ".name");
                if (!names.add(name)) throw fail(at + ".name", "a layer name not used before", name);
                String omics = requiredText(n, "omicsType", at + ".omicsType");
                Path path = resolve(requiredText(n, "path", at + ".path"));
                String fmt = requiredText(n, "format", at + ".format");
                String choices = Arrays.stream(Format.values()).map(Format::id).collect(Collectors.joining(", "));
                Format format = Format.parse(fmt).orElseThrow(() -> fail(at + ".format", "one of " + choices, fmt));
                String units = optionalText(n, "units", at + ".units");
                String map = optionalText(n, "sampleIdMap", at + ".sampleIdMap");
                List<RecipeStep> recipe = recipe(n.get("normalize"), at + ".normalize");
                layers.add(new Layer(name, omics, path, format, units, map == null ? null : resolve(map), recipe));
            }
            Tables tables = Tables.NONE;
            JsonNode t = root.get("tables");
            if (t != null && !t.isNull()) {
                requireObject(t, "tables");
                checkFields(t, "tables.", TABLE_FIELDS);
                tables = new Tables(optionalPath(t, "covariates"), optionalPath(t, "phenotypes"),
                        optionalPath(t, "environment"), optionalPath(t, "truth"));
            }
            return new CohortManifest(cohort, seed, layers, tables);
        }

        /** The steps of a {@code normalize} list; each a mapping with one of method or filter. */
        private List<RecipeStep> recipe(JsonNode arr, String at) throws InputFormatException {
            if (arr == null || arr.isNull()) return List.of();
            if (!arr.isArray()) throw fail(at, "a list of steps such as {method: logcpm}", arr);
            List<RecipeStep> steps = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                String where = at + "[" + i + "]";
                JsonNode n = arr.get(i);
                if (n.isTextual()) {   // a bare name: a method with its defaults
                    steps.add(new RecipeStep(n.asText(), Map.of(), where));
                    continue;
                }
                requireObject(n, where);
                boolean isMethod = n.has("method");
                boolean isFilter = n.has("filter");
                if (isMethod == isFilter)
                    throw fail(where, "a step with exactly one of 'method' or 'filter'", isMethod ? "both" : "neither");
                String key = isMethod ? "method" : "filter";
                String name = requiredText(n, key, where + "." + key);
                String method = isFilter && !name.startsWith("filter-") ? "filter-" + name : name;
                Map<String, String> params = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().equals(key)) continue;
                    params.put(e.getKey(), scalarOrList(e.getValue(), where + "." + e.getKey()));
                }
                steps.add(new RecipeStep(method, params, where));
            }
            return steps;
        }

        private String scalarOrList(JsonNode v, String where) throws InputFormatException {
            if (v.isValueNode() && !v.isNull()) return v.asText();
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode x : v) {
                    if (!x.isValueNode() || x.isNull()) throw fail(where, "a value or a list of values", x);
                    items.add(x.asText());
                }
                return String.join(",", items);
            }
            throw fail(where, "a value or a list of values", v);
        }

        private Path optionalPath(JsonNode t, String field) throws InputFormatException {
            String s = optionalText(t, field, "tables." + field);
            return s == null ? null : resolve(s);
        }

        private Path resolve(String p) {
            return dir.resolve(p).normalize();
        }

        private void requireObject(JsonNode n, String where) throws InputFormatException {
            if (!n.isObject()) throw fail(where, "a mapping of fields", n);
        }

        private void checkFields(JsonNode n, String prefix, Set<String> allowed) throws InputFormatException {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    String where = prefix.isEmpty() ? "at the top level" : "in " + prefix.substring(0, prefix.length() - 1);
                    throw new InputFormatException(file, 0, 0, "only the fields " + allowed.stream().sorted()
                            .collect(Collectors.joining(", ")) + " " + where, "unknown field '" + f + "'");
                }
            }
        }

        private String requiredText(JsonNode n, String field, String where) throws InputFormatException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) throw fail(where, "a value (required)", null);
            if (!v.isValueNode() || v.isBoolean()) throw fail(where, "a text value", v);
            String s = v.asText();
            if (s.isBlank()) throw fail(where, "a non-empty value", s);
            return s;
        }

        private String optionalText(JsonNode n, String field, String where) throws InputFormatException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isValueNode() || v.isBoolean()) throw fail(where, "a text value", v);
            String s = v.asText();
            return s.isBlank() ? null : s;
        }

        private InputFormatException fail(String field, String expected, Object found) {
            String f = found == null ? null
                    : found instanceof JsonNode j ? (j.isValueNode() ? j.asText() : j.getNodeType().name().toLowerCase(Locale.ROOT))
                    : found.toString();
            return new InputFormatException(file, 0, 0, "field '" + field + "' to be " + expected, f);
        }
    }
}
