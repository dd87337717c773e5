package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.SampleTableConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code data.improve}: one study of IMPROVE's cross-study benchmark data ({@code csa_data/raw_data}), expanded into the
 * ordinary records, so a run's resolved experiment.yaml is the long form. The layout, as improvelib reads it
 * (JDACS4C-IMPROVE/IMPROVE, {@code improvelib/applications/drug_response_prediction/drp_utils.py},
 * {@code omics_utils.py}, {@code drug_utils.py}, {@code improvelib/utils_app_generic.py}):
 * <ul>
 * <li>{@code y_data/response.tsv}: every study in one file, tab separated, keyed {@code improve_sample_id} and
 * {@code improve_chem_id}, the study in {@code source} (newer releases: {@code study}), then the curve metrics
 * {@code auc, ic50, ec50, ec50se, r2fit, einf, hs, aac1, auc1, dss1} ({@code get_response_data});</li>
 * <li>{@code x_data/cancer_*.tsv}: sample x gene matrices whose first column is the sample id and whose header has one
 * line per gene identifier system ({@code OmicsLoader}: {@code read_csv(index_col=0, header=[0..n-1])}; gene
 * expression: Ensembl, Entrez, Gene_Symbol; copy number and mutation counts: Entrez, Gene_Symbol, Ensembl; RPPA and
 * miRNA: one line). The gene symbol line names the features here;</li>
 * <li>{@code x_data/drug_SMILES.tsv} ({@code improve_chem_id, canSMILES}) and {@code x_data/drug_ecfp4_nbits512.tsv}
 * ({@code improve_chem_id} then 512 bits) ({@code DrugsLoader}: {@code read_csv(sep="\t").set_index(drug_col_name)});</li>
 * <li>{@code splits/<STUDY>_split_<k>_{train,val,test}.txt} and {@code <STUDY>_all.txt}: 0-based row positions into
 * response.tsv, one per line, no header ({@code _get_stage_splits}: {@code np.loadtxt(dtype=int)}, then
 * {@code df.loc[ids]} on the default RangeIndex).</li>
 * </ul>
 * {@code dir} is the {@code raw_data} folder, or a folder holding {@code csa_data/raw_data}.
 */
final class ImproveLayout {
    static final Set<String> KEYS = Set.of("dir", "study", "study_column", "metric", "views", "drugs", "missing");
    static final String SAMPLE_ID = "improve_sample_id";
    static final String DRUG_ID = "improve_chem_id";
    /** View name, file, header lines, the line naming the genes (improvelib's level_map, the Gene_Symbol level). */
    static final Map<String, Object[]> VIEWS = views();
    static final List<String> DRUG_TABLES = List.of("ecfp4", "smiles");

    /** What the layout expands into, and where its split files are. */
    record Parts(RowsConfig rows, Map<String, SampleTableConfig> samples, Map<String, FingerprintTableConfig> drugs, Path splits,
                 String study) {
    }

    private ImproveLayout() {
    }

    private static Map<String, Object[]> views() {
        Map<String, Object[]> v = new LinkedHashMap<>();
        v.put("gene_expression", new Object[]{"cancer_gene_expression.tsv", 3, 2});
        v.put("copy_number", new Object[]{"cancer_copy_number.tsv", 3, 1});
        v.put("discretized_copy_number", new Object[]{"cancer_discretized_copy_number.tsv", 3, 1});
        v.put("mutation_count", new Object[]{"cancer_mutation_count.tsv", 3, 1});
        v.put("methylation", new Object[]{"cancer_DNA_methylation.tsv", 4, 0}); // TSS level: one gene has several promoters
        v.put("mirna_expression", new Object[]{"cancer_miRNA_expression.tsv", 1, 0});
        v.put("rppa", new Object[]{"cancer_RPPA.tsv", 1, 0});
        return v;
    }

    static Parts expand(Section d) {
        d.allowOnly(KEYS);
        String dirName = d.existingDir("dir");
        Path base = Path.of(dirName == null ? "." : dirName);
        if (Files.isDirectory(base.resolve("csa_data/raw_data"))) {
            base = base.resolve("csa_data/raw_data");
        }
        Section in = d.resolvingAgainst(base);
        String study = d.string("study", null);
        String metric = d.string("metric", "auc");
        String response = in.existingFile("dir", "y_data/response.tsv");
        String studyColumn = d.string("study_column", "source");
        RowsConfig rows = new RowsConfig(response, SAMPLE_ID, DRUG_ID, metric, "mean",
                d.choice("missing", RowsConfig.MISSING_DEFAULT, List.of("drop", "refuse")),
                study == null ? null : Map.of(studyColumn, study));

        Map<String, SampleTableConfig> samples = new LinkedHashMap<>();
        JsonNode views = d.raw("views");
        if (views == null || views.isArray()) {
            for (String view : views == null ? List.of("gene_expression") : d.choiceList("views", List.of("gene_expression"), List.copyOf(VIEWS.keySet()))) {
                Object[] v = VIEWS.get(view);
                samples.put(view, new MatrixTableConfig(in.existingFile("views", "x_data/" + v[0]), SAMPLE_ID, null, "fail", null, null,
                        (Integer) v[1], (Integer) v[2]));
            }
        } else {
            for (Map.Entry<String, Section> e : d.namedSections("views").entrySet()) {
                Section v = e.getValue().resolvingAgainst(base);
                v.allowOnly(Set.of("file", "header_rows", "name_row", "missing", "transform"));
                Object[] known = VIEWS.get(e.getKey());
                if (known == null && !v.has("file")) {
                    v.fail("file", "'" + e.getKey() + "' is not one of IMPROVE's views", "a file (relative to dir), or one of " + VIEWS.keySet());
                    continue;
                }
                int header = (int) v.integer("header_rows", known == null ? 1 : (Integer) known[1], 1, 10);
                int names = (int) v.integer("name_row", known == null ? header - 1 : Math.min((Integer) known[2], header - 1), 0, header - 1);
                String file = v.has("file") ? v.existingFile("file") : v.existingFile("file", "x_data/" + known[0]);
                String transform = v.choice("transform", "none", List.of("none", "log1p"));
                samples.put(e.getKey(), new MatrixTableConfig(file, SAMPLE_ID, null, v.choice("missing", "fail", ExperimentValidator.MISSING),
                        "none".equals(transform) ? null : transform, null, header, names));
            }
        }
        if (samples.isEmpty()) {
            d.fail("views", "no omics view", "a list of views, e.g. [gene_expression], from " + VIEWS.keySet());
        }

        Map<String, FingerprintTableConfig> drugs = new LinkedHashMap<>();
        for (String t : d.choiceList("drugs", List.of("ecfp4"), DRUG_TABLES)) {
            if (t.equals("ecfp4")) {
                drugs.put("ecfp4", new FingerprintTableConfig(in.existingFile("drugs", "x_data/drug_ecfp4_nbits512.tsv"), DRUG_ID, "SMILES", 2, 512,
                        "rows"));
            } else {
                drugs.put("smiles", new FingerprintTableConfig(in.existingFile("drugs", "x_data/drug_SMILES.tsv"), DRUG_ID, "canSMILES", 2, 1024));
            }
        }
        if (drugs.isEmpty()) {
            d.fail("drugs", "no drug table: the rows are pairs and the model needs a drug input", "[ecfp4] and/or [smiles]");
        }
        return new Parts(rows, samples, drugs, base.resolve("splits").toAbsolutePath().normalize(), study);
    }
}
