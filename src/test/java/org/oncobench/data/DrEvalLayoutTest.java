package org.oncobench.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ConfigException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DrEval's released layout (data.dreval), missing responses (data.rows.missing) and DrEval's test modes as split kinds:
 * small fixtures in DrEval's folder layout, and the real example files of ../shared/datasets/dreval-example when present.
 */
class DrEvalLayoutTest {
    static final Path EXAMPLE = Path.of("../shared/datasets/dreval-example").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** A dataset TOY in DrEval's folders: rows, gene expression in TPM, the transposed fingerprint map, a gene list. */
    private Path toyLayout() throws IOException {
        write("data/TOY/TOY.csv", """
                cell_line_name,cellosaurus_id,pubchem_id,LN_IC50_curvecurator,AUC_curvecurator,tissue
                A,CVCL_0001,11,1.5,0.4,Lung
                A,CVCL_0001,22,,0.5,Lung
                B,CVCL_0002,11,2.5,0.6,Breast
                B,CVCL_0002,22,3.5,0.7,Breast
                C,CVCL_0003,11,NA,0.2,Lung
                C,CVCL_0003,22,0.5,0.3,Lung
                """);
        write("data/TOY/gene_expression.csv", """
                cellosaurus_id,cell_line_name,EGFR,TP53,KRAS
                CVCL_0001,A,0,1,3
                CVCL_0002,B,7,15,1
                CVCL_0003,C,1,0,0
                """);
        // one column per drug, one row per bit (DrEval's pubchem_id_to_demorgan_128_map.csv, read transposed)
        write("data/TOY/drug_fingerprints/pubchem_id_to_demorgan_128_map.csv", """
                11,22
                1,0
                0,1
                1,1
                """);
        write("data/meta/gene_lists/landmark_genes.csv", """
                Entrez ID,Symbol,Name
                1956,EGFR,epidermal growth factor receptor
                3845,KRAS,KRAS proto-oncogene
                """);
        return dir.resolve("data");
    }

    private ExperimentConfig load(String yaml, String... overrides) throws IOException {
        return new ExperimentLoader().load(write("exp.yaml", yaml), List.of(overrides)).config();
    }

    private static final String TOY = """
            data:
              dreval: {dir: data, dataset: TOY, views: {gene_expression: {select: {gene_list: landmark_genes}}}}
            split: {kind: LCO, folds: 3}
            """;

    @Test
    void theLayoutExpandsIntoTheOrdinaryRecords() throws IOException {
        Path data = toyLayout();
        ExperimentConfig c = load(TOY);
        ExperimentConfig.RowsConfig rows = c.data().rows();
        assertEquals(data.resolve("TOY/TOY.csv").toString(), rows.file());
        assertEquals(List.of("cell_line_name", "pubchem_id", "LN_IC50_curvecurator", "drop"),
                List.of(rows.sample(), rows.drug(), rows.target(), rows.missing()), "DrEval's keys and default measure");
        MatrixTableConfig gex = (MatrixTableConfig) c.data().samples().get("gene_expression");
        assertEquals(data.resolve("TOY/gene_expression.csv").toString(), gex.file());
        assertEquals("log1p", gex.transform(), "DrEval releases gene expression as TPM");
        assertEquals(List.of("cellosaurus_id"), gex.ignore());
        assertEquals(data.resolve("meta/gene_lists/landmark_genes.csv").toString(), gex.select().genes());
        FingerprintTableConfig fp = c.data().drugs().get("fingerprints");
        assertEquals(data.resolve("TOY/drug_fingerprints/pubchem_id_to_demorgan_128_map.csv").toString(), fp.file());
        assertEquals("auto", fp.precomputed());
        assertEquals("tissue", c.data().groups().get("tissue").column());
        assertEquals(List.of("kfold", "sample", 3, 0.1), List.of(c.split().kind(), c.split().group(), c.split().folds(), c.split().validation()));
    }

    @Test
    void theCohortHasLog1pExpressionTransposedFingerprintsAndTissues() throws IOException {
        toyLayout();
        ExperimentConfig c = load(TOY);
        Cohort cohort = new CohortBuilder().build(c.data(), c.task());
        Cohort.JoinReport join = cohort.joinReport();
        assertEquals(List.of(6, 2, 4), List.of(join.rowsRead(), join.missingTargetRows(), join.rowsKept()), "the empty and the NA cell dropped");
        assertEquals(0.0, join.unmatchedFraction(), "rows without a target are not unmatched");
        FeatureTable gex = cohort.sampleTables().get(0);
        assertEquals(List.of("EGFR", "TP53", "KRAS"), gex.columns(), "cellosaurus_id is an id, not a gene");
        int b = gex.rowOf("B");
        assertEquals((float) Math.log1p(7), gex.get(b, 0), 1e-6);
        assertEquals((float) Math.log1p(15), gex.get(b, 1), 1e-6);
        FeatureTable fp = cohort.drugTables().get(0);
        assertEquals(List.of("dim_0", "dim_1", "dim_2"), fp.columns());
        assertArrayEquals(new float[]{1, 0, 1}, row(fp, "11"));
        assertArrayEquals(new float[]{0, 1, 1}, row(fp, "22"));
        String[] tissue = cohort.groups().get("tissue");
        assertEquals("Breast", tissue[cohort.sampleIds().indexOf("B")]);
        assertEquals("Lung", tissue[cohort.sampleIds().indexOf("C")]);
        int[] genes = TransformFitter.geneColumns(gex, Path.of(((MatrixTableConfig) c.data().samples().get("gene_expression")).select().genes()), "k");
        assertArrayEquals(new int[]{0, 2}, genes, "the list's Symbol column: EGFR and KRAS");
    }

    @Test
    void rowFormAndTransposedMapGiveTheSameTable() throws IOException {
        Path rows = write("rows.csv", "pubchem_id,dim_0,dim_1,dim_2\n11,1.0,0.0,1.0\n22,0.0,1.0,1.0\n");
        Path columns = write("map.csv", "11,22\n1,0\n0,1\n1,1\n");
        FingerprintReader reader = new FingerprintReader();
        for (String layout : List.of("auto", "rows")) {
            FeatureTable a = reader.read("fp", new FingerprintTableConfig(rows.toString(), "pubchem_id", "SMILES", 2, 128, layout), "k");
            FeatureTable b = reader.read("fp", new FingerprintTableConfig(columns.toString(), "pubchem_id", "SMILES", 2, 128,
                    "auto".equals(layout) ? "auto" : "columns"), "k");
            assertEquals(a.ids(), b.ids());
            assertEquals(a.columns(), b.columns());
            assertArrayEquals(row(a, "11"), row(b, "11"));
            assertArrayEquals(row(a, "22"), row(b, "22"));
        }
    }

    @Test
    void missingResponsesAreRefusedOnRequestNamingTheLineAndTheOption() throws IOException {
        toyLayout();
        ExperimentConfig c = load(TOY.replace("dataset: TOY,", "dataset: TOY, missing: refuse,"));
        String msg = assertThrows(BadInputException.class, () -> new CohortBuilder().build(c.data(), c.task())).getMessage();
        assertTrue(msg.contains("TOY.csv:3: column 'LN_IC50_curvecurator': missing value") && msg.contains("drop"), msg);
        // the ordinary rows take the same key
        ExperimentConfig plain = load("""
                data:
                  rows: {file: data/TOY/TOY.csv, sample: cell_line_name, drug: pubchem_id, target: LN_IC50_curvecurator, missing: refuse}
                  samples: {gene_expression: {file: data/TOY/gene_expression.csv, id: cell_line_name, ignore: [cellosaurus_id]}}
                """);
        assertEquals("refuse", plain.data().rows().missing());
        assertThrows(BadInputException.class, () -> new CohortBuilder().build(plain.data(), plain.task()));
        ExperimentConfig dropping = load("""
                data:
                  rows: {file: data/TOY/TOY.csv, sample: cell_line_name, drug: pubchem_id, target: LN_IC50_curvecurator}
                  samples: {gene_expression: {file: data/TOY/gene_expression.csv, id: cell_line_name, ignore: [cellosaurus_id]}}
                """);
        assertEquals("drop", dropping.data().rows().missing(), "drop by default");
        assertNull(((MatrixTableConfig) dropping.data().samples().get("gene_expression")).transform(), "log1p only when asked outside dreval");
        assertEquals(4, new CohortBuilder().build(dropping.data(), dropping.task()).size());
    }

    @Test
    void drevalTestModesAreKFoldsOverTheirUnitWithDrEvalsSevenFolds() throws IOException {
        toyLayout();
        Map<String, String> unit = Map.of("LPO", "row", "LCO", "sample", "LDO", "drug", "LTO", "tissue");
        for (Map.Entry<String, String> e : unit.entrySet()) {
            ExperimentConfig c = load(TOY, "split={kind: " + e.getKey() + "}");
            assertEquals(List.of("kfold", e.getValue(), 7, 1, 0.1),
                    List.of(c.split().kind(), c.split().group(), c.split().folds(), c.split().repeats(), c.split().validation()), e.getKey());
        }
        String msg = assertThrows(ConfigException.class, () -> load(TOY, "split={kind: LCO, test: 0.2, group: drug}")).getMessage();
        assertTrue(msg.contains("split.test: LCO is a cross-validation") && msg.contains("split.group: LCO holds out samples"), msg);
        String lto = assertThrows(ConfigException.class, () -> load(TOY.replace("views:", "tissue: false, views:"), "split={kind: LTO}"))
                .getMessage();
        assertTrue(lto.contains("split.group: 'tissue' is neither sample, drug, row nor a table under data.groups"), lto);
    }

    @Test
    void aMissingDatasetFolderOrFileIsNamed() throws IOException {
        toyLayout();
        String msg = assertThrows(ConfigException.class, () -> load("""
                data:
                  dreval: {dir: data, dataset: GDSC2, views: [gene_expression, methylation]}
                """)).getMessage();
        assertTrue(msg.contains("data.dreval.response: file not found: " + dir.resolve("data/GDSC2/GDSC2.csv")), msg);
        assertTrue(msg.contains("data/GDSC2/methylation.csv"), msg);
        String noDataset = assertThrows(ConfigException.class, () -> load("data:\n  dreval: {dir: data}\n")).getMessage();
        assertTrue(noDataset.contains("data.dreval.dataset: missing"), noDataset);
    }

    /** The real example as DrEval ships it: every row accounted for. */
    @Test
    void theRealExampleIsReadWithEveryRowAccountedFor() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(EXAMPLE.resolve("response_example.csv")),
                "skipped: the shared dreval-example data is not beside the project (" + EXAMPLE + ")");
        ExperimentConfig c = new ExperimentLoader().load(Path.of("experiments/dreval-example.yaml"), List.of()).config();
        Cohort cohort = new CohortBuilder().build(c.data(), c.task());
        Cohort.JoinReport join = cohort.joinReport();
        assertEquals(2329, join.rowsRead());
        assertEquals(20, join.missingTargetRows());
        assertEquals(2309, join.rowsKept(), "every row with an AUC joins expression and fingerprints");
        assertEquals(List.of(27, 27), List.of(join.replicatedPairs(), join.replicateRows()), "27 rows repeat a pair exactly (SUIT-2 ...)");
        assertEquals(List.of(87, 32, 2282), List.of(cohort.sampleIds().size(), cohort.drugIds().size(), cohort.size()));
        assertEquals(38, cohort.sampleTables().get(0).width());
        assertEquals(32, cohort.drugTables().get(0).width());

        // the same bits written as DrEval's transposed map read to the same table
        FeatureTable rows = cohort.drugTables().get(0);
        FeatureTable all = new FingerprintReader().read("fingerprints", c.data().drugs().get("fingerprints"), "k");
        Path map = dir.resolve("pubchem_id_to_demorgan_128_map.csv");
        Files.writeString(map, transposed(all));
        FeatureTable fromMap = new FingerprintReader().read("fingerprints", new FingerprintTableConfig(map.toString(), "pubchem_id", "SMILES", 2,
                128, "auto"), "k");
        assertEquals(35, fromMap.ids().size());
        for (String drug : rows.ids()) {
            assertArrayEquals(row(rows, drug), row(fromMap, drug), drug);
        }
    }

    /** One column per drug, one row per bit: DrEval's map layout. */
    static String transposed(FeatureTable t) {
        StringBuilder sb = new StringBuilder(String.join(",", t.ids())).append('\n');
        for (int c = 0; c < t.width(); c++) {
            List<String> cells = new ArrayList<>();
            for (int r = 0; r < t.rows(); r++) {
                cells.add(Float.toString(t.get(r, c)));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static float[] row(FeatureTable t, String id) {
        int r = t.rowOf(id);
        float[] out = new float[t.width()];
        for (int c = 0; c < out.length; c++) {
            out[c] = t.get(r, c);
        }
        return out;
    }
}
