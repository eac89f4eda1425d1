import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic counts store for the scale check of normalize_scale.sh:
 * {@code java -cp engine/target/omx-engine.jar bench/peers/ScaleCounts.java OUT.omx GENES SAMPLES}.
 * Counts are whole numbers drawn cheaply (a gene level times a library size times a uniform
 * jitter, rounded), enough for TMM, log-CPM and quantile normalization to do their full work;
 * not a realistic count model. Deterministic (seed 1).
 */
public final class ScaleCounts {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        int genes = Integer.parseInt(a[1]);
        int samples = Integer.parseInt(a[2]);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] lib = new float[samples];
        List<String> ids = new ArrayList<>(samples);
        for (int j = 0; j < samples; j++) {
            lib[j] = (float) (0.5 + 1.5 * rnd.nextDouble());
            ids.add(String.format("S%06d", j));
        }
        float[] row = new float[samples];
        try (StoreWriter w = StoreWriter.create(out, ids, StoreDescription.of("scale", "transcriptome", "counts"), true)) {
            for (int g = 0; g < genes; g++) {
                double mu = Math.exp(Math.log(100) + 1.8 * rnd.nextGaussian());
                long state = rnd.nextLong();
                for (int j = 0; j < samples; j++) {
                    state ^= state << 13; state ^= state >>> 7; state ^= state << 17;   // xorshift: fast jitter
                    double u = 0.5 + (state >>> 11) * 0x1.0p-53;
                    row[j] = (float) Math.floor(mu * lib[j] * u);
                }
                w.appendRow(String.format("G%06d", g), row, 0);
                if (g % 1000 == 0) System.err.println("genes " + g);
            }
            w.commit();
        }
    }
}
