package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.ExternalConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.inchi.InChIGenerator;
import org.openscience.cdk.inchi.InChIGeneratorFactory;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A second study joined to the primary one for cross-study evaluation. Its rows are appended to the primary cohort (to
 * be marked {@link SplitAssignment#EXTERNAL}: never trained on), its samples kept apart under {@code NAME:id} so the
 * two studies' measurements of one cell line never mix, while {@link #mappedSample} remembers the shared id for the
 * leakage rule. Feature tables are aligned to the primary's columns by gene symbol ("EGFR (1956)" and "EGFR" are one
 * gene); genes the external study lacks take the primary study's mean over its samples (no response is involved). Drugs
 * are matched by id, else by structure (standard InChIKey from the SMILES, CDK with the IUPAC InChI library); unmatched
 * drugs join as new ones, with their own fingerprints.
 */
public record ExternalStudy(String name, Cohort merged, int firstRow, String[] mappedSample, Report report) {

    /** What the join found: per table the shared columns; drugs matched by id, by structure, not at all. */
    public record Report(Map<String, int[]> sharedColumns, int drugsById, int drugsByStructure, int drugsUnmatched, int samples, int rows) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> shared = new LinkedHashMap<>();
            sharedColumns.forEach((t, c) -> { // in this order: Map.of's would change from one JVM to the next
                Map<String, Object> counts = new java.util.LinkedHashMap<>();
                counts.put("shared", c[0]);
                counts.put("primary", c[1]);
                shared.put(t, counts);
            });
            m.put("shared_features", shared);
            m.put("drugs_matched_by_id", drugsById);
            m.put("drugs_matched_by_structure", drugsByStructure);
            m.put("drugs_unmatched", drugsUnmatched);
            m.put("samples", samples);
            m.put("rows", rows);
            return m;
        }

        public String describe(String name) {
            StringBuilder sb = new StringBuilder("external study " + name + ": " + rows + " rows, " + samples + " samples; ");
            sharedColumns.forEach((t, c) -> sb.append(String.format(Locale.ROOT, "%s: %d of %d features shared; ", t, c[0], c[1])));
            return sb.append(String.format(Locale.ROOT, "drugs matched by id %d, by structure (InChIKey) %d, unmatched %d", drugsById,
                    drugsByStructure, drugsUnmatched)).toString();
        }
    }

    public static ExternalStudy join(Cohort primary, DataConfig primaryData, ExternalConfig config, Cohort external) {
        String name = config.name();
        // features: the primary's columns, by symbol
        List<FeatureTable> sampleTables = new ArrayList<>();
        Map<String, int[]> shared = new LinkedHashMap<>();
        for (int t = 0; t < primary.sampleTables().size(); t++) {
            FeatureTable p = primary.sampleTables().get(t);
            FeatureTable x = external.sampleTables().stream().filter(e -> e.name().equals(p.name())).findFirst().orElseThrow();
            Map<String, Integer> xColumn = new HashMap<>();
            for (int c = 0; c < x.width(); c++) {
                xColumn.putIfAbsent(symbol(x.columns().get(c)), c);
            }
            int w = p.width();
            int[] map = new int[w];
            int common = 0;
            for (int c = 0; c < w; c++) {
                map[c] = xColumn.getOrDefault(symbol(p.columns().get(c)), -1);
                common += map[c] >= 0 ? 1 : 0;
            }
            shared.put(p.name(), new int[]{common, w});
            if (common < config.minShared() * w) {
                throw new BadInputException(String.format(Locale.ROOT, "data.external (%s): table %s shares %d of the primary study's %d features "
                        + "(%.0f%%), below data.external.min_shared = %.2f; are the column names gene symbols in both?", name, p.name(), common, w,
                        100.0 * common / w, config.minShared()));
            }
            float[] mean = new float[w];
            for (int c = 0; c < w; c++) {
                double sum = 0;
                int n = 0;
                for (int r = 0; r < p.rows(); r++) {
                    float v = p.get(r, c);
                    if (!Float.isNaN(v)) {
                        sum += v;
                        n++;
                    }
                }
                mean[c] = n == 0 ? 0f : (float) (sum / n);
            }
            int rows = p.rows() + x.rows();
            float[] values = new float[rows * w];
            float[] row = new float[w];
            for (int r = 0; r < p.rows(); r++) {
                p.copyRow(r, values, r * w);
            }
            for (int r = 0; r < x.rows(); r++) {
                for (int c = 0; c < w; c++) {
                    row[c] = map[c] >= 0 ? x.get(r, map[c]) : mean[c];
                }
                System.arraycopy(row, 0, values, (p.rows() + r) * w, w);
            }
            List<String> ids = new ArrayList<>(p.ids());
            x.ids().forEach(id -> ids.add(name + ":" + id));
            sampleTables.add(new FeatureTable(p.name(), ids, p.columns(), values));
        }
        List<String> sampleIds = new ArrayList<>(primary.sampleIds());
        List<String> sampleLabels = new ArrayList<>(primary.sampleLabels());
        String[] mapped = new String[external.sampleIds().size()];
        for (int s = 0; s < external.sampleIds().size(); s++) {
            sampleIds.add(name + ":" + external.sampleIds().get(s));
            sampleLabels.add(name + ":" + external.sampleLabels().get(s));
            mapped[s] = external.sampleIds().get(s);
        }

        // drugs: by id, else by InChIKey, else new
        int[] drugOf = new int[external.drugIds().size()];
        int byId = 0;
        int byStructure = 0;
        int unmatched = 0;
        List<String> drugIds = new ArrayList<>(primary.drugIds());
        List<Integer> newDrugs = new ArrayList<>();
        if (external.hasDrugs()) {
            Map<String, Integer> primaryIndex = new HashMap<>();
            for (int d = 0; d < primary.drugIds().size(); d++) {
                primaryIndex.put(primary.drugIds().get(d), d);
            }
            Map<String, Integer> primaryByKey = new HashMap<>();
            Map<String, String> primarySmiles = smilesById(primaryData.drugs().values().iterator().next(), "data.drugs");
            for (int d = 0; d < primary.drugIds().size(); d++) {
                String smiles = primarySmiles.get(primary.drugIds().get(d));
                if (smiles != null) {
                    primaryByKey.putIfAbsent(inchiKey(smiles), d);
                }
            }
            Map<String, String> externalSmiles = smilesById(config.data().drugs().values().iterator().next(), "data.external.drugs");
            for (int d = 0; d < external.drugIds().size(); d++) {
                String id = external.drugIds().get(d);
                Integer same = primaryIndex.get(id);
                if (same != null) {
                    drugOf[d] = same;
                    byId++;
                    continue;
                }
                String smiles = externalSmiles.get(id);
                Integer byKey = smiles == null ? null : primaryByKey.get(inchiKey(smiles));
                if (byKey != null) {
                    drugOf[d] = byKey;
                    byStructure++;
                } else {
                    drugOf[d] = drugIds.size();
                    drugIds.add(name + ":" + id);
                    newDrugs.add(d);
                    unmatched++;
                }
            }
        }
        List<FeatureTable> drugTables = new ArrayList<>();
        for (int t = 0; t < primary.drugTables().size(); t++) {
            FeatureTable p = primary.drugTables().get(t);
            FeatureTable x = external.drugTables().get(t);
            int w = p.width();
            float[] values = new float[(p.rows() + newDrugs.size()) * w];
            for (int r = 0; r < p.rows(); r++) {
                p.copyRow(r, values, r * w);
            }
            for (int i = 0; i < newDrugs.size(); i++) {
                x.copyRow(newDrugs.get(i), values, (p.rows() + i) * w);
            }
            List<String> ids = new ArrayList<>(p.ids());
            newDrugs.forEach(d -> ids.add(name + ":" + external.drugIds().get(d)));
            drugTables.add(new FeatureTable(p.name(), ids, p.columns(), values));
        }

        // rows appended
        int n0 = primary.size();
        int n = n0 + external.size();
        int[] rowSample = java.util.Arrays.copyOf(primary.rowSample(), n);
        int[] rowDrug = java.util.Arrays.copyOf(primary.rowDrug(), n);
        float[] targets = java.util.Arrays.copyOf(primary.targets(), n);
        for (int r = 0; r < external.size(); r++) {
            rowSample[n0 + r] = primary.sampleIds().size() + external.rowSample()[r];
            rowDrug[n0 + r] = external.hasDrugs() ? drugOf[external.rowDrug()[r]] : -1;
            targets[n0 + r] = external.targets()[r];
        }
        Map<String, String[]> groups = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> g : primary.groups().entrySet()) {
            String[] merged = java.util.Arrays.copyOf(g.getValue(), sampleIds.size());
            String[] theirs = external.groups().get(g.getKey());
            for (int s = 0; s < external.sampleIds().size(); s++) {
                merged[primary.sampleIds().size() + s] = theirs == null ? "unknown" : theirs[s];
            }
            groups.put(g.getKey(), merged);
        }
        Cohort merged = new Cohort(primary.targetName(), sampleIds, sampleLabels, drugIds, rowSample, rowDrug, targets, sampleTables, drugTables,
                groups, primary.joinReport(), primary.classLabels(), primary.origins());
        return new ExternalStudy(name, merged, n0, mapped, new Report(shared, byId, byStructure, unmatched, external.sampleIds().size(),
                external.size()));
    }

    /** The mapped (shared) id of an external row's sample, e.g. its DepMap id; null for primary rows. */
    public String mappedSampleOfRow(int row) {
        return row < firstRow ? null : mappedSample[merged.rowSample()[row] - (merged.sampleIds().size() - mappedSample.length)];
    }

    /** "EGFR (1956)" and "EGFR" are the same gene. */
    static String symbol(String column) {
        int paren = column.indexOf(" (");
        return (paren > 0 ? column.substring(0, paren) : column).trim().toUpperCase(Locale.ROOT);
    }

    static Map<String, String> smilesById(FingerprintTableConfig config, String key) {
        Map<String, String> out = new HashMap<>();
        if (config.isPrecomputed()) {
            return out; // bits without structures (DrEval's map, IMPROVE's ECFP4 file): drugs match by id only
        }
        try (DelimitedFile in = DelimitedFile.open(Path.of(config.file()))) {
            int idCol = in.column(config.id(), key + ".id");
            int smilesCol = in.column(config.smiles(), key + ".smiles");
            String[] row;
            while ((row = in.next()) != null) {
                out.put(Ids.normalise(row[idCol]), row[smilesCol].trim());
            }
        }
        return out;
    }

    /** The standard InChIKey of a SMILES, or the SMILES itself when it cannot be computed (then only identical strings match). */
    static String inchiKey(String smiles) {
        try {
            InChIGenerator g = InChIGeneratorFactory.getInstance().getInChIGenerator(
                    new SmilesParser(SilentChemObjectBuilder.getInstance()).parseSmiles(smiles));
            String key = g.getInchiKey();
            return key == null ? "smiles:" + smiles : key;
        } catch (CDKException | RuntimeException e) {
            return "smiles:" + smiles;
        }
    }
}
