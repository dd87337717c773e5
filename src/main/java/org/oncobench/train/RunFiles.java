package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.CsvText;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.FoldSummary;
import org.oncobench.runs.RunFolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text of a run's split.csv, predictions.csv and metrics.json. */
final class RunFiles {
    private RunFiles() {
    }

    /** One row per cohort row: sample, drug, then the part (train/validation/test) in each fold. */
    static String splitCsv(Cohort cohort, List<Fold> folds) {
        StringBuilder sb = new StringBuilder("sample,drug");
        for (Fold f : folds) {
            sb.append(folds.size() == 1 ? ",part" : ",repeat" + (f.repeat() + 1) + "_fold" + (f.fold() + 1));
        }
        sb.append('\n');
        for (int r = 0; r < cohort.size(); r++) {
            sb.append(CsvText.field(cohort.sampleLabels().get(cohort.rowSample()[r]))).append(',')
                    .append(cohort.hasDrugs() ? CsvText.field(cohort.drugIds().get(cohort.rowDrug()[r])) : "");
            for (Fold f : folds) {
                sb.append(',').append(SplitAssignment.name(f.assignment().parts()[r]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Test predictions of every fold: sample, drug, observed, predicted, fold (1-based), repeat (1-based). */
    static String predictionsCsv(Cohort cohort, List<FoldOutcome> outcomes) {
        StringBuilder sb = new StringBuilder("sample,drug,observed,predicted,fold,repeat\n");
        for (FoldOutcome o : outcomes) {
            for (int i = 0; i < o.testRows().length; i++) {
                int r = o.testRows()[i];
                sb.append(CsvText.field(cohort.sampleLabels().get(cohort.rowSample()[r]))).append(',')
                        .append(cohort.hasDrugs() ? CsvText.field(cohort.drugIds().get(cohort.rowDrug()[r])) : "").append(',')
                        .append(cohort.targets()[r]).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", o.predicted()[i])).append(',')
                        .append(o.fold().fold() + 1).append(',').append(o.fold().repeat() + 1).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * What the data files gave, for run.json: rows read, joined (and why others were not), replicates merged, and the
     * cohort's rows, samples and drugs (an external study's rows included).
     */
    static Map<String, Object> dataSummary(Cohort.JoinReport join, Cohort cohort, List<String> notes) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rows_read", join.rowsRead());
        d.put("rows_missing_target", join.missingTargetRows());
        d.put("rows_joined", join.rowsKept());
        d.put("rows_unmatched_sample", join.unmatchedSampleRows());
        d.put("rows_unmatched_drug", join.unmatchedDrugRows());
        int withTarget = join.rowsRead() - join.missingTargetRows();
        d.put("rows_unmatched_sample_share", withTarget == 0 ? 0.0 : Math.round(1e4 * join.unmatchedSampleRows() / (double) withTarget) / 1e4);
        d.put("rows_unmatched_drug_share", withTarget == 0 ? 0.0 : Math.round(1e4 * join.unmatchedDrugRows() / (double) withTarget) / 1e4);
        d.put("replicated_pairs", join.replicatedPairs());
        d.put("replicate_rows_merged", join.replicateRows());
        d.put("rows", cohort.size());
        d.put("samples", cohort.sampleIds().size());
        d.put("drugs", cohort.drugIds().size());
        if (!notes.isEmpty()) {
            d.put("notes", List.copyOf(notes));
        }
        return d;
    }

    /** The top features of every explained prediction: one line per (prediction, feature), best first. */
    static String explanationsCsv(List<org.oncobench.explain.RunExplainer.Row> rows) {
        StringBuilder sb = new StringBuilder("sample,drug,predicted,rank,table,feature,value,attribution\n");
        for (org.oncobench.explain.RunExplainer.Row r : rows) {
            int rank = 1;
            for (org.oncobench.explain.RunExplainer.Feature f : r.top()) {
                sb.append(org.oncobench.data.CsvText.field(r.sample())).append(',').append(r.drug() == null ? "" : org.oncobench.data.CsvText.field(r.drug()))
                        .append(',').append(String.format(java.util.Locale.ROOT, "%.6g", r.predicted())).append(',').append(rank++).append(',')
                        .append(org.oncobench.data.CsvText.field(f.table())).append(',').append(org.oncobench.data.CsvText.field(f.name())).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.6g,%.6g", f.value(), f.attribution())).append('\n');
            }
        }
        return sb.toString();
    }
}
