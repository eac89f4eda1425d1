package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DESeq2's variance-stabilizing transformation, {@code varianceStabilizingTransformation(dds,
 * blind = TRUE, fitType = "parametric")} (Anders and Huber 2010): median-of-ratios size factors,
 * gene-wise dispersions for the intercept-only design ({@link NbDispersion}), the parametric trend
 * {@code alpha(mu) = a + e / mu} ({@link ParametricDispersionFit}) over genes whose estimate is above
 * 100 x 1e-8, and then, for the normalized count q,
 * {@code vst(q) = log2((1 + e + 2 a q + 2 sqrt(a q (1 + e + a q))) / (4 a))}. Within 1e-3 of DESeq2
 * on the fixtures (measured error in the test output).
 *
 * <p>Passes: library sizes and size factors (row pass, column panels), one row pass for the
 * dispersions (a gene needs only its own row), the fit in memory (two doubles per gene), and the
 * output pass. The dispersions and the output pass run on {@link NormalizeContext#threads()}
 * threads (genes and rows are independent; results do not depend on the thread count). The closed form is {@code (2 / ln 2) asinh(sqrt(a q / (1 + e))) + log2((1 + e) / (4 a))};
 * an ASINH element-wise op and a per-column scale in the Backend SPI would let the last pass run
 * there; for now it is plain Java over the tiles.
 */
public final class Vst implements Normalization {

    /** What the transformation used: size factors and the fitted trend. */
    public record Fit(double[] sizeFactors, double[] dispGeneEst, double asymptDisp, double extraPois) {
    }

    @Override
    public String name() {
        return "vst";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("blind", "true", "fitType", "parametric");
    }

    @Override
    public String units(String inputUnits) {
        return "log2-scale VST (DESeq2, blind, parametric)";
    }

    /** Size factors, gene-wise dispersions and the parametric trend. */
    public static Fit fit(MatrixStore s, NormalizeContext ctx) throws InputFormatException {
        int n = s.cols();
        if (n < 2) throw new InputFormatException(s.path(), "vst needs at least 2 samples to estimate dispersions");
        double[] sf = MedianOfRatios.sizeFactors(s, ctx);
        double xim = 0;
        for (double f : sf) xim += 1 / f;
        xim /= n;
        int g = (int) s.rows();
        double[] disp = new double[g];
        double[] baseMean = new double[g];
        double finalXim = xim;
        // each gene needs only its own row: genes are split among threads, each estimate computed as alone
        StoreTransform.scan(s, ctx, (tile, r0) -> Parallel.forRange(ctx.threads(), tile.rows(), 64, (from, to) -> {
            float[] row = new float[n];
            double[] y = new double[n];
            NbDispersion.Workspace ws = new NbDispersion.Workspace(n);
            for (int i = from; i < to; i++) {
                tile.copyRow(i, row, 0);
                double bm = 0;
                for (int j = 0; j < n; j++) {
                    y[j] = row[j];
                    bm += y[j] / sf[j];
                }
                baseMean[(int) (r0 + i)] = bm / n;
                disp[(int) (r0 + i)] = NbDispersion.geneEstimate(y, sf, finalXim, ws);
            }
        }));
        int m = 0;
        for (int i = 0; i < g; i++) if (disp[i] > 100 * NbDispersion.MIN_DISP) m++;
        if (m == 0) throw new InputFormatException(s.path(), "vst: every gene-wise dispersion is within 100x of the minimum "
                + "(data nearly Poisson), so the parametric trend cannot be fitted");
        double[] means = new double[m];
        double[] ds = new double[m];
        m = 0;
        for (int i = 0; i < g; i++) if (disp[i] > 100 * NbDispersion.MIN_DISP) {
            means[m] = baseMean[i];
            ds[m++] = disp[i];
        }
        ParametricDispersionFit.Coefficients c;
        try {
            c = ParametricDispersionFit.fit(means, ds);
        } catch (IllegalStateException e) {
            // DESeq2 falls back to a local (locfit) trend here; omx has no locfit, so it stops and says so
            throw new InputFormatException(s.path(), "vst: " + e.getMessage() + " (DESeq2 would fall back to fitType = \"local\", which omx does not implement)");
        }
        ctx.log().accept(String.format(java.util.Locale.ROOT, "vst: dispersion trend %.6g + %.6g / mean from %d genes",
                c.asymptDisp(), c.extraPois(), means.length));
        return new Fit(sf, disp, c.asymptDisp(), c.extraPois());
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        Fit f = fit(in, ctx);
        double a = f.asymptDisp();
        double e = f.extraPois();
        double ln2 = Math.log(2);
        double[] inv = new double[in.cols()];
        for (int j = 0; j < inv.length; j++) inv[j] = 1 / f.sizeFactors()[j];
        return StoreTransform.mapRowArrays(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, from, to, cols) -> {
            for (int i = from; i < to; i++)
                for (int j = 0, p = i * cols; j < cols; j++, p++) {
                    double q = src[p] * inv[j];
                    double v = Math.log((1 + e + 2 * a * q + 2 * Math.sqrt(a * q * (1 + e + a * q))) / (4 * a)) / ln2;
                    dst[p] = (float) v;
                }
        });
    }
}
