package org.oncobench.data;

import java.util.List;
import java.util.Map;

/**
 * What {@code data inspect} reports about an experiment's data, before any training: join coverage, table shapes
 * and missing cells, the target's distribution, groups and the split's part sizes.
 */
public record CohortInspection(Cohort.JoinReport join, List<TableShape> tables, TargetSummary target, Map<String, Map<String, Integer>> groups,
                               List<FoldSizes> folds) {

    public record TableShape(String name, String entity, int rows, int columns, long missingCells, int usedRows) {
    }

    /** Distribution of the target over the joined rows; for classification the class counts are in positives. */
    public record TargetSummary(String name, int n, double mean, double sd, double min, double q25, double median, double q75, double max,
                                int positives) {
    }

    public record FoldSizes(int repeat, int fold, int trainRows, int validationRows, int testRows, int trainSamples, int testSamples) {
    }

    /** The report {@code oncobench data inspect} prints (and a notebook shows): join, shapes, target, groups, split sizes. */
    public String describe(String name, java.nio.file.Path file, String splitKind) {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter out = new java.io.PrintWriter(text);
        out.println("Experiment " + name + " (" + file + ")");
        out.println();
        out.printf(java.util.Locale.ROOT, "Rows: %d read, %d joined (%.1f%%)%n", join().rowsRead(), join().rowsKept(),
                100.0 * join().rowsKept() / join().rowsRead());
        if (join().missingTargetRows() > 0) {
            out.printf(java.util.Locale.ROOT, "  %d rows with no target value, dropped (data.rows.missing: drop)%n", join().missingTargetRows());
        }
        if (join().unmatchedSampleRows() > 0) {
            out.printf(java.util.Locale.ROOT, "  %d rows with a sample missing from the sample tables, e.g. %s%n", join().unmatchedSampleRows(),
                    String.join(", ", join().unmatchedSamples()));
        }
        if (join().unmatchedDrugRows() > 0) {
            out.printf(java.util.Locale.ROOT, "  %d rows with a drug missing from the drug tables, e.g. %s%n", join().unmatchedDrugRows(),
                    String.join(", ", join().unmatchedDrugs()));
        }
        out.println();
        out.printf(java.util.Locale.ROOT, "%-16s %-7s %9s %9s %14s%n", "table", "entity", "rows", "columns", "missing cells");
        for (CohortInspection.TableShape t : tables()) {
            out.printf(java.util.Locale.ROOT, "%-16s %-7s %9d %9d %14d%n", t.name(), t.entity(), t.rows(), t.columns(), t.missingCells());
        }
        out.println();
        CohortInspection.TargetSummary t = target();
        if (t.positives() >= 0) {
            out.printf(java.util.Locale.ROOT, "Target %s: %d rows, %d positive (%.1f%%), %d negative%n", t.name(), t.n(), t.positives(),
                    100.0 * t.positives() / t.n(), t.n() - t.positives());
        } else {
            out.printf(java.util.Locale.ROOT, "Target %s: %d rows, mean %.3f, sd %.3f; min %.3f, quartiles %.3f / %.3f / %.3f, max %.3f%n", t.name(),
                    t.n(), t.mean(), t.sd(), t.min(), t.q25(), t.median(), t.q75(), t.max());
        }
        for (Map.Entry<String, Map<String, Integer>> g : groups().entrySet()) {
            out.printf(java.util.Locale.ROOT, "Group %s: %d values: %s%n", g.getKey(), g.getValue().size(),
                    g.getValue().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        }
        out.println();
        out.printf(java.util.Locale.ROOT, "Split %s:%n", splitKind);
        out.printf(java.util.Locale.ROOT, "  %-14s %10s %10s %10s %14s %13s%n", "fold", "train rows", "val rows", "test rows", "train samples",
                "test samples");
        for (CohortInspection.FoldSizes f : folds()) {
            String fold = folds().size() == 1 ? "-" : "r" + (f.repeat() + 1) + " f" + (f.fold() + 1);
            out.printf(java.util.Locale.ROOT, "  %-14s %10d %10d %10d %14d %13d%n", fold, f.trainRows(), f.validationRows(), f.testRows(),
                    f.trainSamples(), f.testSamples());
        }
        out.flush();
        return text.toString();
    }
}
