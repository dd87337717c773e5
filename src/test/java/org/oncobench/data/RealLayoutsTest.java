package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.GroupConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.SampleIdsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small fixtures written in the exact layouts GDSC and DepMap release. */
class RealLayoutsTest {
    @TempDir
    Path dir;

    static final String GDSC_HEADER = "DATASET,NLME_RESULT_ID,NLME_CURVE_ID,COSMIC_ID,CELL_LINE_NAME,SANGER_MODEL_ID,TCGA_DESC,DRUG_ID,"
            + "DRUG_NAME,PUTATIVE_TARGET,PATHWAY_NAME,COMPANY_ID,WEBRELEASE,MIN_CONC,MAX_CONC,LN_IC50,AUC,RMSE,Z_SCORE\n";
    static final String MODEL_CSV = "ModelID,PatientID,CellLineName,StrippedCellLineName,DepmapModelType,OncotreeLineage,"
            + "OncotreePrimaryDisease,SangerModelID,COSMICID,CCLEName\n"
            + "ACH-000001,PT-gj46wT,NIH:OVCAR-3,NIHOVCAR3,HGSOC,Ovary/Fallopian Tube,Ovarian Epithelial Tumor,SIDM00105,905933.0,NIHOVCAR3_OVARY\n"
            + "ACH-000002,PT-5qa3uk,HL-60,HL60,AML,Myeloid,Acute Myeloid Leukemia,SIDM00829,905938.0,HL60_HAEMATOPOIETIC_AND_LYMPHOID_TISSUE\n"
            + "ACH-000003,PT-puKIyc,CACO2,CACO2,COAD,Bowel,Colorectal Adenocarcinoma,SIDM00891,,CACO2_LARGE_INTESTINE\n";

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void newerDepMapLayoutKeepsOnlyDefaultEntries() throws IOException {
        Path f = write("OmicsExpressionProteinCodingGenesTPMLogp1.csv",
                ",SequencingID,ModelID,IsDefaultEntryForModel,ModelConditionID,IsDefaultEntryForMC,TSPAN6 (7105),TNMD (64102)\n"
                        + "0,CDS-010xbm,ACH-000001,Yes,MC-000001-Rt4B,Yes,4.33,0.0\n"
                        + "1,CDS-010xbz,ACH-000001,No,MC-000001-Rt4B,No,9.99,9.99\n"
                        + "2,CDS-01AZ9Z,ACH-000002,Yes,MC-000002-5PQn,Yes,0.0,1.25\n");
        FeatureTable t = new MatrixReader().read("expression", f, "ModelID", "data.samples.expression");
        assertEquals(List.of("ACH-000001", "ACH-000002"), t.ids());
        assertEquals(List.of("TSPAN6 (7105)", "TNMD (64102)"), t.columns());
        assertEquals(4.33f, t.get(0, 0));
    }

    @Test
    void gdscJoinsDepMapThroughModelCsv() throws IOException {
        write("GDSC2_fitted_dose_response_27Oct23.csv", GDSC_HEADER
                + "GDSC2,343,15946310,905933,NIH:OVCAR-3,SIDM00105,OV,1003,Camptothecin,TOP1,DNA replication,1046,Y,0.0001,0.1,-1.46,0.93,0.03,0.44\n"
                + "GDSC2,343,15946548,905938,HL-60,SIDM00829,LAML,1003,Camptothecin,TOP1,DNA replication,1046,Y,0.0001,0.1,-4.87,0.61,0.11,-1.52\n"
                + "GDSC2,343,15946830,905938,HL-60,SIDM00829,LAML,1004,Vinblastine,Microtubule destabiliser,Mitosis,1046,Y,0.0001,0.1,-5.1,0.55,0.05,0.1\n"
                + "GDSC2,343,15946831,999999,UNKNOWN,SIDM99999,UNCLASSIFIED,1004,Vinblastine,Microtubule destabiliser,Mitosis,1046,Y,0.0001,0.1,1.0,0.9,0.05,0.1\n");
        write("Model.csv", MODEL_CSV);
        write("expr.csv", ",TSPAN6 (7105),TNMD (64102)\nACH-000001,4.33,0.0\nACH-000002,0.0,1.25\nACH-000003,1.0,1.0\n");
        write("drugs.csv", "DRUG_ID,DRUG_NAME,SMILES\n1003,Camptothecin,CCC1(C2=C(COC1=O)C(=O)N3CC4=CC5=CC=CC=C5N=C4C3=C2)O\n"
                + "1004,Vinblastine,CCC1(CC2CC(C3=C(CCN(C2)C1)C4=CC=CC=C4N3)(C5=C(C=C6C(=C5)C78CCN9C7C(C=CC9)(C(C(C8N6C)(C(=O)OC)O)OC(=O)C)CC)OC)C(=O)OC)O\n");
        DataConfig data = new DataConfig(new RowsConfig(dir.resolve("GDSC2_fitted_dose_response_27Oct23.csv").toString(), "COSMIC_ID", "DRUG_ID", "LN_IC50"),
                new SampleIdsConfig(dir.resolve("Model.csv").toString(), "COSMICID", "ModelID"),
                Map.of("expression", new MatrixTableConfig(dir.resolve("expr.csv").toString(), "ModelID", null, "fail")),
                Map.of("fingerprints", new FingerprintTableConfig(dir.resolve("drugs.csv").toString(), "DRUG_ID", "SMILES", 2, 256)),
                Map.of("tissue", new GroupConfig(dir.resolve("Model.csv").toString(), "ModelID", "OncotreeLineage")), 0.5);
        Cohort c = new CohortBuilder().build(data);
        assertEquals(3, c.size());
        assertEquals(List.of("ACH-000001", "ACH-000002"), c.sampleIds());
        assertEquals(List.of("905933", "905938"), c.sampleLabels());
        assertEquals(1, c.joinReport().unmatchedSampleRows());
        assertEquals(List.of("999999"), c.joinReport().unmatchedSamples());
        assertEquals("Myeloid", c.groups().get("tissue")[1]);
        assertEquals(-5.1f, c.targets()[2]);
        assertEquals(2 + 256, c.inputWidth());
        // above the allowed unmatched fraction the build fails and names what did not join
        DataConfig strict = new DataConfig(data.rows(), data.sampleIds(), data.samples(), data.drugs(), data.groups(), 0.1);
        String msg = assertThrows(BadInputException.class, () -> new CohortBuilder().build(strict)).getMessage();
        assertTrue(msg.contains("3 of 4 rows joined; 1 rows have a sample (COSMIC_ID) missing from the sample tables, e.g. 999999"), msg);
        assertTrue(msg.contains("above data.max_unmatched = 0.1"), msg);
    }

    @Test
    void outcomeDerivedColumnsAreNeverFeatures() throws IOException {
        Path f = write("gdsc-as-matrix.csv", "ModelID,GENE1 (1),Z_SCORE\nm1,1,0.5\n");
        String msg = assertThrows(BadInputException.class, () -> new MatrixReader().read("x", f, "ModelID", "data.samples.x")).getMessage();
        assertTrue(msg.contains("column 'Z_SCORE' (data.samples.x) is derived from the outcome"), msg);
    }

    @Test
    void classificationLabelsAndThresholds() throws IOException {
        Path f = write("pheno.csv", "sample_id,outcome,batch,cancer\nGSM1,Normal,2,Normal\nGSM2,mTCC,1,Cancer\nGSM3,Biopsy,4,Biopsy\n");
        ResponseRows byLabel = new ResponseReader().read(new RowsConfig(f.toString(), "sample_id", null, "cancer"),
                new ExperimentConfig.TaskConfig("classification", "Cancer", null));
        assertEquals(0f, byLabel.targets()[0]);
        assertEquals(1f, byLabel.targets()[1]);
        assertEquals(0f, byLabel.targets()[2]);
        String msg = assertThrows(BadInputException.class, () -> new ResponseReader().read(new RowsConfig(f.toString(), "sample_id", null, "cancer"),
                new ExperimentConfig.TaskConfig("classification", "cancer", null))).getMessage();
        assertTrue(msg.contains("task.positive 'cancer' never occurs in column 'cancer'; its labels are: Biopsy, Cancer, Normal"), msg);
        Path g = write("ic50.csv", "COSMIC_ID,DRUG_ID,LN_IC50\n1,5,-2.0\n2,5,0.5\n3,5,3.0\n");
        ResponseRows sensitive = new ResponseReader().read(new RowsConfig(g.toString(), "COSMIC_ID", "DRUG_ID", "LN_IC50"),
                new ExperimentConfig.TaskConfig("classification", "below", 0.0));
        assertEquals(List.of(1f, 0f, 0f), List.of(sensitive.targets()[0], sensitive.targets()[1], sensitive.targets()[2]));
    }
}
