package org.omx.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.SelfCheck;

class CpuBackendProviderTest {

    @Test
    void service_loader_finds_the_cpu_provider_and_its_self_check_passes() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("cpu")).findFirst().orElseThrow();
        assertEquals(0, p.priority());
        assertNull(p.unavailableReason());
        List<String> log = new ArrayList<>();
        try (Backend b = Backends.open("cpu", 0, log::add)) {
            assertEquals("cpu", b.name());
            SelfCheck check = b.selfCheck();
            assertTrue(check.passed(), check.items().toString());
            assertEquals(13, check.items().size(), "8 GEMM variants, mean/variance, ranks, map, scaleRows, reduce");
            assertEquals(Runtime.getRuntime().availableProcessors(), b.devices().getFirst().computeUnits());
        }
        try (Backend b = Backends.open("auto", 2, log::add)) {
            assertEquals("cpu", b.name());
        }
    }

    @Test
    void tests_run_with_the_vector_api_so_the_fast_path_is_what_they_check() {
        // surefire passes --add-modules jdk.incubator.vector; without it this names the fallback.
        try (Backend b = Backends.open("cpu", 1, s -> { })) {
            String version = b.devices().getFirst().version();
            assertTrue(version.startsWith("Vector API"), version);
        }
    }

    @Test
    void scalar_fallback_kernels_pass_the_same_self_check() {
        try (CpuBackend b = new CpuBackend(new ScalarCpuKernels("forced by test"), 2)) {
            SelfCheck check = b.selfCheck();
            assertTrue(check.passed(), check.items().toString());
            assertTrue(b.devices().getFirst().version().contains("scalar fallback (forced by test)"));
        }
    }
}
