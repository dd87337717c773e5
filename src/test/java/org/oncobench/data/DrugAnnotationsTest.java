package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drug names and targets for the report: GDSC's DRUG_NAME / PUTATIVE_TARGET, from the drug table first, then the response rows. */
class DrugAnnotationsTest {
    @TempDir
    Path dir;

    @Test
    void namesComeFromTheDrugTableThenTheResponseRows() throws Exception {
        Path drugs = Files.writeString(dir.resolve("drugs.csv"), "DRUG_ID,DRUG_NAME,PUTATIVE_TARGET,SMILES\n1003,Camptothecin,TOP1,C\n1004.0,Vinblastine,\"Microtubule destabiliser\",C\n");
        Path rows = Files.writeString(dir.resolve("rows.csv"), "COSMIC_ID,DRUG_ID,DRUG_NAME,PUTATIVE_TARGET,LN_IC50\n1,1003,other name,other,0.1\n1,1011,Nutlin-3a,MDM2,0.2\n");
        DataConfig data = new DataConfig(new RowsConfig(rows.toString(), "COSMIC_ID", "DRUG_ID", "LN_IC50"), null, Map.of(),
                Map.of("fingerprints", new FingerprintTableConfig(drugs.toString(), "DRUG_ID", "SMILES", 2, 64)), Map.of(), 0.5);
        DrugAnnotations a = DrugAnnotations.read(data);
        assertEquals(new DrugAnnotations.Drug("Camptothecin", "TOP1"), a.of("1003"), "the drug table wins over the rows");
        assertEquals(new DrugAnnotations.Drug("Vinblastine", "Microtubule destabiliser"), a.of("1004"), "ids normalised as the readers do");
        assertEquals(new DrugAnnotations.Drug("Nutlin-3a", "MDM2"), a.of("1011"), "a drug only the rows name");
        assertNull(a.of("9999"));
    }

    @Test
    void filesWithoutNameColumnsNameNothing() throws Exception {
        Path drugs = Files.writeString(dir.resolve("drugs.csv"), "DRUG_ID,SMILES\n1003,C\n");
        DataConfig data = new DataConfig(null, null, Map.of(), Map.of("fp", new FingerprintTableConfig(drugs.toString(), "DRUG_ID", "SMILES", 2, 64)),
                Map.of(), 0.5);
        assertTrue(DrugAnnotations.read(data).isEmpty());
    }
}
