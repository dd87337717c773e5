package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.TaskConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the rows of a study: GDSC fitted dose response (COSMIC_ID, DRUG_ID, LN_IC50 or AUC), DrEval's response files,
 * or a per-sample label table (sample_id, label) for patient cohorts. For classification the target becomes 1
 * (positive) or 0. A row with an empty (or NA, NaN) target is dropped and counted, or with {@code data.rows.missing:
 * refuse} refused naming its line.
 */
public final class ResponseReader {

    public ResponseRows read(RowsConfig rows) {
        return read(rows, new TaskConfig("regression", null, null));
    }

    public ResponseRows read(RowsConfig rows, TaskConfig task) {
        Path file = Path.of(rows.file());
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int sampleCol = in.column(rows.sample(), "data.rows.sample");
            int drugCol = rows.hasDrug() ? in.column(rows.drug(), "data.rows.drug") : -1;
            int targetCol = in.column(rows.target(), "data.rows.target");
            int whereCol = -1;
            String whereValue = null;
            if (rows.where() != null && !rows.where().isEmpty()) {
                Map.Entry<String, String> w = rows.where().entrySet().iterator().next();
                whereCol = in.column(w.getKey(), "data.rows.where");
                whereValue = w.getValue();
            }
            java.io.ByteArrayOutputStream fate = new java.io.ByteArrayOutputStream(1 << 14);
            MatrixReader.IntBuffer fileRows = new MatrixReader.IntBuffer(1 << 14);
            int position = -1;
            int other = 0;
            Set<String> studies = new TreeSet<>();
            boolean byLabel = task.isClassification() && task.threshold() == null;
            Set<String> labels = new TreeSet<>();
            List<String> samples = new ArrayList<>();
            List<String> drugs = rows.hasDrug() ? new ArrayList<>() : null;
            MatrixReader.FloatBuffer targets = new MatrixReader.FloatBuffer(1 << 14);
            int missing = 0;
            String[] row;
            while ((row = in.next()) != null) {
                position++;
                if (whereCol >= 0 && !row[whereCol].trim().equals(whereValue)) {
                    if (studies.size() < 20) {
                        studies.add(row[whereCol].trim());
                    }
                    fate.write(ResponseRows.OTHER);
                    other++;
                    continue;
                }
                if (MatrixReader.isMissing(row[targetCol])) {
                    if (!rows.dropsMissing()) {
                        throw new BadInputException(file + ":" + in.line() + ": column '" + rows.target() + "': missing "
                                + (byLabel ? "label" : "value") + " (data.rows.missing is refuse; drop skips such rows and counts them)");
                    }
                    missing++;
                    fate.write(ResponseRows.NO_TARGET);
                    continue;
                }
                fate.write(ResponseRows.KEPT);
                fileRows.add(position);
                String sample = Ids.normalise(row[sampleCol]);
                if (sample.isEmpty()) {
                    throw new BadInputException(file + ":" + in.line() + ": empty sample id in column '" + rows.sample() + "'");
                }
                samples.add(sample);
                if (drugs != null) {
                    String drug = Ids.normalise(row[drugCol]);
                    if (drug.isEmpty()) {
                        throw new BadInputException(file + ":" + in.line() + ": empty drug id in column '" + rows.drug() + "'");
                    }
                    drugs.add(drug);
                }
                if (byLabel) {
                    String label = row[targetCol].trim();
                    labels.add(label);
                    targets.add(label.equals(task.positive()) ? 1f : 0f);
                } else {
                    float value = in.number(row, targetCol);
                    if (task.isClassification()) {
                        boolean positive = "above".equals(task.positive()) ? value > task.threshold() : value < task.threshold();
                        value = positive ? 1f : 0f;
                    }
                    targets.add(value);
                }
            }
            if (samples.isEmpty() && whereCol >= 0 && missing == 0) {
                throw new BadInputException(file + ": no row has " + rows.where().keySet().iterator().next() + " = '" + whereValue
                        + "' (data.rows.where); its values are: " + String.join(", ", studies));
            }
            if (samples.isEmpty()) {
                throw new BadInputException(file + ": no data rows after the header" + (missing > 0 ? " with a value in column '"
                        + rows.target() + "' (" + missing + " rows have none)" : ""));
            }
            if (byLabel && !labels.contains(task.positive())) {
                throw new BadInputException(file + ": task.positive '" + task.positive() + "' never occurs in column '" + rows.target() + "'"
                        + labelsOrNumeric(labels));
            }
            float[] t = targets.toArray();
            if (task.isClassification()) {
                double positives = 0;
                for (float v : t) {
                    positives += v;
                }
                if (positives == 0 || positives == t.length) {
                    throw new BadInputException(file + ": every row falls in one class (" + (positives == 0 ? "negative" : "positive")
                            + "); check task.positive / task.threshold");
                }
            }
            return new ResponseRows(samples, drugs, t, List.copyOf(labels), missing, fileRows.toArray(), fate.toByteArray(), other);
        }
    }

    /** "; its labels are: .." (cut to 20), or, when every label is a number, that the target is numeric and wants task.threshold. */
    private static String labelsOrNumeric(Set<String> labels) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (String label : labels) {
            try {
                double v = Double.parseDouble(label);
                min = Math.min(min, v);
                max = Math.max(max, v);
            } catch (NumberFormatException e) {
                List<String> shown = labels.stream().limit(20).toList();
                return "; its labels are: " + String.join(", ", shown) + (labels.size() > shown.size() ? ", ... (" + labels.size() + " labels)" : "");
            }
        }
        return String.format(java.util.Locale.ROOT, ", which is numeric (%d distinct values from %s to %s); to classify a numeric target, set "
                + "task.threshold and positive: below or above (e.g. task={kind: classification, threshold: 0.0, positive: below})",
                labels.size(), compact(min), compact(max));
    }

    private static String compact(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
