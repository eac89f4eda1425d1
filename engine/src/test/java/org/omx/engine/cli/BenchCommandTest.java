package org.omx.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void quick_bench_on_cpu_writes_json_and_a_markdown_table() throws Exception {
        Path json = dir.resolve("bench.json");
        CliRunner.Result r = CliRunner.run("bench", "--quick", "--backend", "cpu", "--threads", "2", "--json", json.toString(),
                "--work-dir", dir.resolve("work").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| GEMM A*B^T fp32 | 1000 x 1000 x 100 |"), r.out());
        assertTrue(r.out().contains("| stage: factorization | 2000 genes x 200 samples |"), r.out());
        assertTrue(r.out().contains("Memory-mapped read:"), r.out());

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (String key : List.of("omx", "java", "os", "hostCpus", "shapes", "date", "backends", "skipped", "mappedRead"))
            assertTrue(root.has(key), key);
        assertEquals("quick", root.get("shapes").asText());
        assertTrue(root.get("mappedRead").get("gbPerSecond").asDouble() > 0);
        assertEquals(1, root.get("backends").size());
        JsonNode cpu = root.get("backends").get(0);
        assertEquals("cpu", cpu.get("backend").asText());
        assertTrue(cpu.get("selfCheckPassed").asBoolean());
        assertTrue(cpu.get("peakGflops").isNull() || cpu.get("peakGflops").asDouble() > 0);
        assertEquals(3, cpu.get("gemm").size());
        for (JsonNode g : cpu.get("gemm")) {
            for (String key : List.of("m", "n", "k", "seconds", "gflops", "fractionOfPeak")) assertTrue(g.has(key), key);
            assertTrue(g.get("gflops").asDouble() > 0);
        }
        // the CPU backend computes in host memory: no transfer, said so, no figure made up
        assertTrue(cpu.get("transfer").get("hostToDeviceGBs").isNull(), cpu.get("transfer").toString());
        assertTrue(cpu.get("transfer").get("deviceToHostGBs").isNull(), cpu.get("transfer").toString());
        assertTrue(cpu.get("transfer").get("method").asText().startsWith("not applicable"), cpu.get("transfer").toString());
        assertTrue(r.out().contains("| host <-> device transfer | | | not applicable"), r.out());
        List<String> stages = new java.util.ArrayList<>();
        for (JsonNode s : cpu.get("stages")) stages.add(s.get("stage").asText());
        assertEquals(List.of("normalize", "correlation", "TOM", "factorization"), stages);
        for (JsonNode s : cpu.get("stages")) assertTrue(s.get("seconds").asDouble() > 0, s.toString());
        assertFalse(Files.exists(dir.resolve("work")) && Files.list(dir.resolve("work")).findAny().isPresent(), "temporary stores removed");
    }

    @Test
    void a_measured_transfer_shows_both_directions() {
        String row = BenchCommand.transferRow(new org.omx.engine.bench.HardwareBench.Transfer("copies", 16L << 20, 12.345, 6.5));
        assertTrue(row.startsWith("| host -> device, device -> host | 16"), row);
        assertTrue(row.contains("| 12.35 GB/s, 6.50 GB/s (copies) |"), row);
        String half = BenchCommand.transferRow(new org.omx.engine.bench.HardwareBench.Transfer("copies", 1024, null, 3.0));
        assertTrue(half.contains("unknown GB/s, 3.00 GB/s"), half);
    }

    @Test
    void an_unavailable_backend_is_one_clear_error() {
        CliRunner.Result r = CliRunner.run("bench", "--quick", "--backend", "cuda");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("cuda"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
