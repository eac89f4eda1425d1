package org.omx.io.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StoreMetaJsonTest {

    @TempDir
    Path dir;

    private static StoreMeta sample() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("delimiter", "tab");
        params.put("note", "quotes \" and \\ and unicode \u00e9");
        return new StoreMeta(StoreMeta.FORMAT, StoreMeta.FORMAT_VERSION, "rna", "transcriptome", "counts", 20_000L, 3_000_000_000L,
                "0.1.0", new StoreMeta.Checksums("CRC32C", 2097, List.of("d86c5e16", "2080c403")),
                List.of(new Provenance("import-delimited", "/data/x.tsv", params, "2026-11-27T12:41:49Z", "0.1.0"),
                        new Provenance("normalize", null, Map.of(), "2026-11-27T13:00:00Z", "0.1.0")),
                Map.of("batch", "2"));
    }

    @Test
    void written_metadata_reads_back_equal() throws IOException {
        Path f = dir.resolve("meta.json");
        StoreMeta m = sample();
        StoreMetaJson.write(f, m);
        assertEquals(m, StoreMetaJson.read(f));
        assertTrue(Files.readString(f).contains("\"rows\" : 20000"), "indented JSON, as before");
    }

    @Test
    void unknown_fields_are_skipped_and_missing_ones_are_null() throws IOException {
        Path f = dir.resolve("meta.json");
        Files.writeString(f, """
                {"format": "omx-store", "future": {"nested": [1, {"a": 2}]}, "rows": 5, "cols": 7,
                 "checksum": {"algorithm": "CRC32C", "blockRows": 3, "blocks": ["00000000"], "extra": true},
                 "annotations": {"n": 3}}""");
        StoreMeta m = StoreMetaJson.read(f);
        assertEquals(5, m.rows());
        assertEquals(7, m.cols());
        assertEquals(List.of("00000000"), m.checksum().blocks());
        assertEquals(Map.of("n", "3"), m.annotations(), "scalars read as text");
        assertNull(m.layer());
        assertNull(m.provenance());
    }

    @Test
    void a_field_of_the_wrong_kind_names_the_file_and_the_field() throws IOException {
        Path f = dir.resolve("meta.json");
        Files.writeString(f, "{\"rows\": \"many\"}");
        IOException e = assertThrows(IOException.class, () -> StoreMetaJson.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("rows should be a whole number"), e.getMessage());
        Files.writeString(f, "{\"provenance\": [{\"parameters\": [1]}]}");
        e = assertThrows(IOException.class, () -> StoreMetaJson.read(f));
        assertTrue(e.getMessage().contains("provenance[0].parameters should be an object"), e.getMessage());
        Files.writeString(f, "{\"rows\": 5,");
        e = assertThrows(IOException.class, () -> StoreMetaJson.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid store metadata"), e.getMessage());
        Files.writeString(f, "[]");
        e = assertThrows(IOException.class, () -> StoreMetaJson.read(f));
        assertTrue(e.getMessage().contains("the top level should be an object"), e.getMessage());
    }
}
