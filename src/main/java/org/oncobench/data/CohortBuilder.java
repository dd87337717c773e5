package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.GroupConfig;
import org.oncobench.config.ExperimentConfig.ImageTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.SampleTableConfig;
import org.oncobench.config.ExperimentConfig.TaskConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every file an experiment names and joins them into a {@link Cohort}: response rows, the optional sample-id
 * map (e.g. GDSC COSMIC_ID to DepMap ModelID), sample feature tables, drug fingerprints and groups. Rows whose sample
 * or drug is missing from any table are dropped and reported; above {@code data.max_unmatched} the build fails.
 * Replicates (several rows of one pair) become one row ({@link Replicates}).
 */
public final class CohortBuilder {
    private static final int SHOWN = 5;

    public Cohort build(DataConfig data) {
        return build(data, new TaskConfig("regression", null, null));
    }

    public Cohort build(DataConfig data, TaskConfig task) {
        ResponseRows rows = new ResponseReader().read(data.rows(), task);
        Map<String, String> idMap = data.sampleIds() == null ? null
                : new KeyValueReader().read(Path.of(data.sampleIds().file()), data.sampleIds().from(), data.sampleIds().to(),
                "data.sample_ids");

        List<FeatureTable> sampleTables = new ArrayList<>();
        for (Map.Entry<String, SampleTableConfig> e : data.samples().entrySet()) {
            String key = "data.samples." + e.getKey();
            if (e.getValue() instanceof MatrixTableConfig t) {
                sampleTables.add(new MatrixReader().read(e.getKey(), Path.of(t.file()), t.id(), key, "median".equals(t.missing()),
                        t.ignore() == null ? List.of() : t.ignore(), t.log1p(), t.headerLines(), t.namesLine()));
            } else if (e.getValue() instanceof ImageTableConfig images) {
                sampleTables.add(new ImageTableReader().read(e.getKey(), images, key));
            }
        }
        List<FeatureTable> drugTables = new ArrayList<>();
        for (Map.Entry<String, FingerprintTableConfig> e : data.drugs().entrySet()) {
            drugTables.add(new FingerprintReader().read(e.getKey(), e.getValue(), "data.drugs." + e.getKey()));
        }

        Map<String, Integer> sampleIndex = new LinkedHashMap<>();
        Map<String, Integer> drugIndex = new LinkedHashMap<>();
        List<String> sampleLabels = new ArrayList<>();
        Set<String> missingSamples = new LinkedHashSet<>();
        Set<String> missingDrugs = new LinkedHashSet<>();
        int missingSampleRows = 0;
        int missingDrugRows = 0;
        int n = rows.size();
        int[] rowSample = new int[n];
        int[] rowDrug = new int[n];
        float[] targets = new float[n];
        int[] origin = new int[rows.fate().length];
        for (int i = 0; i < origin.length; i++) {
            origin[i] = rows.fate()[i] == ResponseRows.OTHER ? Cohort.RowOrigins.OTHER : Cohort.RowOrigins.NO_TARGET;
        }
        int[] keptFrom = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            String label = rows.samples().get(i);
            String sample = idMap == null ? label : idMap.get(label);
            boolean sampleOk = sample != null && sampleTables.stream().allMatch(t -> t.rowOf(sample) >= 0);
            String drug = rows.drugs() == null ? null : rows.drugs().get(i);
            boolean drugOk = drug == null || drugTables.stream().allMatch(t -> t.rowOf(drug) >= 0);
            if (!sampleOk) {
                origin[rows.fileRows()[i]] = Cohort.RowOrigins.NO_SAMPLE;
                missingSampleRows++;
                missingSamples.add(label);
                continue;
            }
            if (!drugOk) {
                origin[rows.fileRows()[i]] = Cohort.RowOrigins.NO_DRUG;
                missingDrugRows++;
                missingDrugs.add(drug);
                continue;
            }
            Integer s = sampleIndex.get(sample);
            if (s == null) {
                s = sampleIndex.size();
                sampleIndex.put(sample, s);
                sampleLabels.add(label);
            }
            int d = -1;
            if (drug != null) {
                Integer di = drugIndex.get(drug);
                if (di == null) {
                    di = drugIndex.size();
                    drugIndex.put(drug, di);
                }
                d = di;
            }
            rowSample[kept] = s;
            rowDrug[kept] = d;
            targets[kept] = rows.targets()[i];
            keptFrom[kept] = rows.fileRows()[i];
            kept++;
        }
        Cohort.JoinReport report = new Cohort.JoinReport(n, kept, missingSampleRows, first(missingSamples), missingDrugRows,
                first(missingDrugs)).withMissingTargets(rows.missingTargets());
        if (kept == 0 || report.unmatchedFraction() > data.maxUnmatched()) {
            throw new BadInputException(describe(data, report) + String.format(
                    "; %.1f%% of rows did not join, above data.max_unmatched = %s. Check the id columns%s, or raise data.max_unmatched",
                    100 * report.unmatchedFraction(), data.maxUnmatched(), data.sampleIds() == null ? " (or add data.sample_ids to map them)" : ""));
        }

        Replicates merged = Replicates.merge(data.rows(), task, java.util.Arrays.copyOf(rowSample, kept), java.util.Arrays.copyOf(rowDrug, kept),
                java.util.Arrays.copyOf(targets, kept), sampleLabels, new ArrayList<>(drugIndex.keySet()));
        report = report.withReplicates(merged.pairs(), merged.mergedRows());
        for (int k = 0; k < kept; k++) {
            origin[keptFrom[k]] = merged.mergedOf()[k];
        }

        List<String> sampleIds = new ArrayList<>(sampleIndex.keySet());
        List<String> drugIds = new ArrayList<>(drugIndex.keySet());
        List<FeatureTable> alignedSamples = new ArrayList<>();
        for (FeatureTable t : sampleTables) {
            alignedSamples.add(t.selectRows(sampleIds.stream().mapToInt(t::rowOf).toArray(), sampleIds));
        }
        List<FeatureTable> alignedDrugs = new ArrayList<>();
        for (FeatureTable t : drugTables) {
            alignedDrugs.add(t.selectRows(drugIds.stream().mapToInt(t::rowOf).toArray(), drugIds));
        }
        Map<String, String[]> groups = new LinkedHashMap<>();
        for (Map.Entry<String, GroupConfig> e : data.groups().entrySet()) {
            GroupConfig g = e.getValue();
            Map<String, String> labels = new KeyValueReader().read(Path.of(g.file()), g.id(), g.column(), "data.groups." + e.getKey());
            groups.put(e.getKey(), sampleIds.stream().map(id -> labels.getOrDefault(id, "unknown")).toArray(String[]::new));
        }
        return new Cohort(data.rows().target(), sampleIds, sampleLabels, drugIds, merged.rowSample(), merged.rowDrug(), merged.targets(),
                alignedSamples, alignedDrugs, groups, report, rows.labels(), new Cohort.RowOrigins(data.rows().file(), origin));
    }

    /** A one-line account of what did not join, naming the first few ids. */
    public static String describe(DataConfig data, Cohort.JoinReport r) {
        StringBuilder sb = new StringBuilder(data.rows().file()).append(": ").append(r.rowsKept()).append(" of ").append(r.rowsRead())
                .append(" rows joined");
        if (r.missingTargetRows() > 0) {
            sb.append("; ").append(r.missingTargetRows()).append(" rows have no ").append(data.rows().target())
                    .append(" and were dropped (data.rows.missing: drop)");
        }
        if (r.unmatchedSampleRows() > 0) {
            sb.append("; ").append(r.unmatchedSampleRows()).append(" rows have a sample (").append(data.rows().sample())
                    .append(") missing from the sample tables, e.g. ").append(String.join(", ", r.unmatchedSamples()));
        }
        if (r.unmatchedDrugRows() > 0) {
            sb.append("; ").append(r.unmatchedDrugRows()).append(" rows have a drug (").append(data.rows().drug())
                    .append(") missing from the drug tables, e.g. ").append(String.join(", ", r.unmatchedDrugs()));
        }
        if (r.replicateRows() > 0) {
            sb.append("; ").append(Replicates.describe(data.rows(), r.replicatedPairs(), r.replicateRows()));
        }
        return sb.toString();
    }

    private static List<String> first(Set<String> ids) {
        return ids.stream().limit(SHOWN).toList();
    }
}
