package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows' inputs as one row-major float array ({@code out[i * width + j]}) for the baselines that fit on the Java side:
 * the pair inputs (sample tables, then drug tables: exactly the model's) or the sample tables only (the single-drug
 * models, which see cell-line features alone).
 */
final class InputRows {
    private InputRows() {
    }

    static List<FeatureTable> tables(Cohort c, boolean samplesOnly) {
        List<FeatureTable> all = new ArrayList<>(c.sampleTables());
        if (!samplesOnly) {
            all.addAll(c.drugTables());
        }
        return all;
    }

    static int width(Cohort c, boolean samplesOnly) {
        return tables(c, samplesOnly).stream().mapToInt(FeatureTable::width).sum();
    }

    static float[] of(Cohort c, int[] rows, boolean samplesOnly) {
        List<FeatureTable> tables = tables(c, samplesOnly);
        int width = width(c, samplesOnly);
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            int offset = i * width;
            for (int t = 0; t < tables.size(); t++) {
                boolean drug = t >= c.sampleTables().size();
                FeatureTable table = tables.get(t);
                table.copyRow(drug ? c.rowDrug()[rows[i]] : c.rowSample()[rows[i]], out, offset);
                offset += table.width();
            }
        }
        return out;
    }

    static double[] targets(Cohort c, int[] rows) {
        double[] y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = c.targets()[rows[i]];
        }
        return y;
    }

    /** The inner-fold unit of each row: its sample (cell line), so a cell line's rows are held out together. */
    static int[] samples(Cohort c, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = c.rowSample()[rows[i]];
        }
        return out;
    }
}
