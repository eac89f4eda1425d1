package org.omx.engine.traits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.engine.EngineInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TraitTableTest {

    @TempDir
    Path dir;

    @Test
    void sample_id_column_anywhere_values_aligned_to_the_callers_samples() throws Exception {
        Path f = dir.resolve("t.tsv");
        Files.writeString(f, "age\tsample_id\tsex\tbmi\n40\tS2\tM\tNA\n31\tS1\tF\t22.5\n50\tX9\tF\t.\n");
        TraitTable t = TraitTable.read(f, List.of("S1", "S2", "S3"));
        assertEquals(List.of("age", "bmi"), t.names());
        assertEquals(List.of("sex"), t.skipped());
        assertEquals(2, t.matchedSamples());
        assertArrayEquals(new double[]{31, 40, Double.NaN}, t.values()[0]);
        assertEquals(22.5, t.values()[1][0]);
        assertTrue(Double.isNaN(t.values()[1][1]) && Double.isNaN(t.values()[1][2]));
    }

    @Test
    void without_a_sample_id_column_the_first_column_holds_the_ids() throws Exception {
        Path f = dir.resolve("t.tsv");
        Files.writeString(f, "id\tscore\nA\t1\nB\t2\n");
        TraitTable t = TraitTable.read(f, List.of("B", "A"));
        assertArrayEquals(new double[]{2, 1}, t.values()[0]);
    }

    @Test
    void a_column_with_text_in_an_unmatched_row_is_still_categorical() throws Exception {
        Path f = dir.resolve("t.tsv");
        Files.writeString(f, "sample_id\tgroup\tx\nS1\t1\t5\nS2\t2\t6\nZZ\tcontrol\t7\n");
        assertEquals(List.of("group"), TraitTable.read(f, List.of("S1", "S2")).skipped());
    }

    @Test
    void malformed_tables_are_one_line_errors_naming_file_and_line() throws Exception {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "sample_id\tx\nS1\t1\nS2\n");
        EngineInputException e = assertThrows(EngineInputException.class, () -> TraitTable.read(f, List.of("S1")));
        assertTrue(e.getMessage().contains("bad.tsv: line 3 has 1 fields"), e.getMessage());
        Files.writeString(f, "sample_id\tx\nS1\t1\nS1\t2\n");
        e = assertThrows(EngineInputException.class, () -> TraitTable.read(f, List.of("S1")));
        assertTrue(e.getMessage().contains("S1 listed twice"), e.getMessage());
        Files.writeString(f, "sample_id\tsex\nS1\tF\n");
        e = assertThrows(EngineInputException.class, () -> TraitTable.read(f, List.of("S1")));
        assertTrue(e.getMessage().contains("no numeric trait column"), e.getMessage());
    }
}
