package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.GroupConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.SampleTableConfig;
import org.oncobench.config.ExperimentConfig.SelectConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code data.dreval}: a dataset in DrEval's released layout, expanded into the ordinary records (rows, sample tables,
 * drug tables, the tissue group), so a run's resolved experiment.yaml is the long form and runs again as it is.
 * The layout, as drevalpy (Bernett, Iversen et al., https://github.com/daisybio/drevalpy, read at commit f3afe32) reads it:
 * <ul>
 * <li>{@code <dir>/<dataset>/<dataset>.csv}: one row per curve, keyed {@code cell_line_name} and {@code pubchem_id}
 * ({@code drevalpy/datasets/utils.py}: CELL_LINE_IDENTIFIER, DRUG_IDENTIFIER), with {@code tissue} and one column per
 * measure, e.g. {@code LN_IC50_curvecurator}, its default ({@code datasets/loader.py}, {@code _load_zenodo_dataset});</li>
 * <li>{@code <dir>/<dataset>/<view>.csv}: {@code cellosaurus_id, cell_line_name, <genes>}, the second id column dropped
 * ({@code models/utils.py}, {@code load_and_select_gene_features}); views gene_expression, methylation, mutations,
 * copy_number_variation_gistic, proteomics ({@code get_multiomics_feature_dataset});</li>
 * <li>{@code <dir>/<dataset>/drug_fingerprints/pubchem_id_to_demorgan_128_map.csv}: one column per pubchem id, one
 * row per bit, read transposed ({@code load_drug_fingerprint_features}); the documentation's example file has the row
 * form {@code pubchem_id, dim_0, ...}; both are read ({@code precomputed: auto});</li>
 * <li>{@code <dir>/meta/gene_lists/<name>.csv}: a gene list with a {@code Symbol} column (landmark_genes, ...);</li>
 * <li>{@code <dir>/<dataset>/drug_smiles.csv}: {@code pubchem_id, canonical_smiles} ({@code datasets/featurizer}).</li>
 * </ul>
 * Any file can be named instead (relative to {@code dir}), for data in DrEval's shape but not its folder names.
 */
final class DrEvalLayout {
    static final Set<String> KEYS = Set.of("dir", "dataset", "measure", "cell_line", "response", "missing", "views", "fingerprints",
            "smiles", "tissue");
    static final List<String> VIEWS = List.of("gene_expression", "methylation", "mutations", "copy_number_variation_gistic", "proteomics");
    static final String DRUG_ID = "pubchem_id";
    /** DrEval releases gene expression as TPM; the other views are not counts. */
    static final String TPM_VIEW = "gene_expression";

    /** What the layout expands into. */
    record Parts(RowsConfig rows, Map<String, SampleTableConfig> samples, Map<String, FingerprintTableConfig> drugs,
                 Map<String, GroupConfig> groups) {
    }

    private DrEvalLayout() {
    }

    static Parts expand(Section d) {
        d.allowOnly(KEYS);
        String dirName = d.existingDir("dir");
        Path base = Path.of(dirName == null ? "." : dirName);
        Section in = d.resolvingAgainst(base);
        String dataset = d.optionalString("dataset");
        String cellLine = d.choice("cell_line", "cell_line_name", List.of("cell_line_name", "cellosaurus_id"));
        String otherId = cellLine.equals("cell_line_name") ? "cellosaurus_id" : "cell_line_name";

        String response = file(in, "response", dataset, dataset == null ? null : dataset + "/" + dataset + ".csv");
        RowsConfig rows = new RowsConfig(response, cellLine, DRUG_ID, d.string("measure", "LN_IC50_curvecurator"), "mean",
                d.choice("missing", RowsConfig.MISSING_DEFAULT, List.of("drop", "refuse")));

        Map<String, SampleTableConfig> samples = new LinkedHashMap<>();
        JsonNode views = d.raw("views");
        if (views == null || views.isArray()) {
            List<String> names = views == null ? List.of(TPM_VIEW) : d.choiceList("views", List.of(TPM_VIEW), VIEWS);
            for (String view : names) {
                samples.put(view, new MatrixTableConfig(file(in, "views", dataset, dataset + "/" + view + ".csv"), cellLine, null, "fail",
                        TPM_VIEW.equals(view) ? "log1p" : null, List.of(otherId)));
            }
        } else {
            for (Map.Entry<String, Section> e : d.namedSections("views").entrySet()) {
                samples.put(e.getKey(), view(e.getKey(), e.getValue().resolvingAgainst(base),
                        dataset, cellLine, otherId));
            }
        }
        if (samples.isEmpty()) {
            d.fail("views", "no omics view", "a list of views, e.g. [gene_expression], or a mapping view: {file, select, transform}");
        }

        Map<String, FingerprintTableConfig> drugs = new LinkedHashMap<>();
        JsonNode fingerprints = d.raw("fingerprints");
        if (fingerprints == null || !fingerprints.isBoolean() || fingerprints.asBoolean()) {
            String fp = fingerprints != null && fingerprints.isTextual() ? in.existingFile("fingerprints")
                    : file(in, "fingerprints", dataset, dataset + "/drug_fingerprints/pubchem_id_to_demorgan_128_map.csv");
            drugs.put("fingerprints", new FingerprintTableConfig(fp, DRUG_ID, "SMILES", 2, 128, "auto"));
        }
        JsonNode smiles = d.raw("smiles");
        if (smiles != null && !(smiles.isBoolean() && !smiles.asBoolean())) {
            if (smiles.isObject()) {
                Section s = d.section("smiles", false).resolvingAgainst(base);
                s.allowOnly(Set.of("file", "column", "radius", "bits"));
                String file = s.has("file") ? s.existingFile("file") : file(in, "smiles", dataset, dataset + "/drug_smiles.csv");
                drugs.put("ecfp", new FingerprintTableConfig(file, DRUG_ID, s.string("column", "canonical_smiles"),
                        (int) s.integer("radius", 2, 0, 3), (int) s.integer("bits", 1024, 16, 16384)));
            } else {
                drugs.put("ecfp", new FingerprintTableConfig(file(in, "smiles", dataset, dataset + "/drug_smiles.csv"), DRUG_ID,
                        "canonical_smiles", 2, 1024));
            }
        }
        if (drugs.isEmpty()) {
            d.fail("fingerprints", "no drug table: the rows are pairs and the model needs a drug input", "a fingerprint file, or smiles: {...}");
        }

        Map<String, GroupConfig> groups = new LinkedHashMap<>();
        JsonNode tissue = d.raw("tissue");
        if (tissue == null || !tissue.isBoolean() || tissue.asBoolean()) {
            groups.put("tissue", new GroupConfig(response, cellLine, tissue != null && tissue.isTextual() ? tissue.asText() : "tissue"));
        }
        return new Parts(rows, samples, drugs, groups);
    }

    private static MatrixTableConfig view(String name, Section v, String dataset, String cellLine, String otherId) {
        v.allowOnly(Set.of("file", "select", "transform", "missing"));
        String file = v.has("file") ? v.existingFile("file") : file(v, "file", dataset, dataset + "/" + name + ".csv");
        SelectConfig select = null;
        if (v.has("select")) {
            Section sel = v.section("select", false);
            sel.allowOnly(Set.of("gene_list", "genes", "top_variance"));
            Integer top = sel.has("top_variance") ? (int) sel.integer("top_variance", 1000, 1, Integer.MAX_VALUE) : null;
            String genes = sel.has("genes") ? sel.existingFile("genes") : null;
            if (sel.has("gene_list")) {
                String list = sel.string("gene_list", null);
                genes = list == null ? null : sel.existingFile("gene_list", "meta/gene_lists/" + list + ".csv");
            }
            if (top == null && genes == null) {
                v.fail("select", "empty selection", "gene_list: NAME (meta/gene_lists/NAME.csv), genes: FILE and/or top_variance: N");
            }
            select = new SelectConfig(top, genes);
        }
        String transform = v.choice("transform", TPM_VIEW.equals(name) ? "log1p" : "none", List.of("log1p", "none"));
        return new MatrixTableConfig(file, cellLine, select, v.choice("missing", "fail", ExperimentValidator.MISSING),
                "none".equals(transform) ? null : transform, List.of(otherId));
    }

    /** The layout's file for {@code key}: named by the key (relative to dir) or at its place in the layout. */
    private static String file(Section in, String key, String dataset, String place) {
        JsonNode named = in.raw(key);
        if (named != null && named.isTextual() && !"views".equals(key)) {
            return in.existingFile(key);
        }
        if (dataset == null) {
            in.fail("dataset", "missing: the layout's files are found under dir/<dataset>/", "a dataset name such as GDSC2 or CTRPv2, or "
                    + key + " naming the file");
            return null;
        }
        return in.existingFile(key, place);
    }
}
