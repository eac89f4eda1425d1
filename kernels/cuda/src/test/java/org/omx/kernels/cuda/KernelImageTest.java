package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The committed kernel images: present, parsable, and generated from the current .cu source. */
class KernelImageTest {

    @Test
    void committed_ptx_matches_its_cuda_source() throws Exception {
        KernelImage image = KernelImage.load();
        byte[] source = Files.readAllBytes(Path.of("src/main/cuda/omx_kernels.cu"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
        assertNotNull(image.sourceSha256(), "PTX lacks its '// omx-source: ... sha256=' first line");
        assertEquals(hash, image.sourceSha256(),
                "src/main/resources/org/omx/kernels/cuda/omx_kernels.ptx is older than src/main/cuda/omx_kernels.cu:"
                        + " run kernels/cuda/build-kernels.sh where nvcc exists and commit the result");
    }

    @Test
    void ptx_header_names_isa_and_portable_target() {
        KernelImage image = KernelImage.load();
        assertTrue(image.ptxIsa().matches("\\d+\\.\\d+"), image.ptxIsa());
        assertEquals("sm_75", image.target());
        for (String kernel : new String[] {"sgemm_128x128", "sgemm_nt_128x128", "dgemm_acc_16x16", "row_mean_variance", "map_elementwise",
                "scale_rows", "reduce_rows", "reduce_columns"})
            assertTrue(image.ptx().contains(".entry " + kernel + "("), "missing kernel " + kernel);
        byte[] z = image.ptxBytes();
        assertEquals(0, z[z.length - 1], "the driver needs NUL-terminated PTX");
    }

    @Test
    void sm90_cubin_is_an_elf_image() {
        byte[] cubin = KernelImage.resource(KernelImage.CUBIN_SM90_RESOURCE);
        assertTrue(cubin.length > 1000);
        assertEquals(0x7f, cubin[0]);
        assertEquals('E', cubin[1]);
        assertEquals('L', cubin[2]);
        assertEquals('F', cubin[3]);
    }

    @Test
    void parse_reads_version_target_and_hash() {
        String ptx = "// omx-source: x.cu sha256=" + "ab".repeat(32) + " (test)\n//\n.version 8.5\n.target sm_80\n.address_size 64\n";
        KernelImage image = KernelImage.parse(ptx);
        assertEquals("8.5", image.ptxIsa());
        assertEquals("sm_80", image.target());
        assertEquals("ab".repeat(32), image.sourceSha256());
        assertEquals(12050, image.minimumDriverForPtx());
    }
}
