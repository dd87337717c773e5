package org.oncobench.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ExternalStudyTest {
    @Test
    void genesAreMatchedBySymbol() {
        assertEquals("EGFR", ExternalStudy.symbol("EGFR (1956)"));
        assertEquals("EGFR", ExternalStudy.symbol("egfr"));
        assertEquals("SYNG00012", ExternalStudy.symbol("SYNG00012 (9000012)"));
    }

    @Test
    void drugsAreMatchedByStructureNotByHowTheSmilesIsWritten() {
        // acetaminophen written two ways, and a different molecule
        String a = ExternalStudy.inchiKey("CC(=O)Nc1ccc(O)cc1");
        String b = ExternalStudy.inchiKey("Oc1ccc(NC(C)=O)cc1");
        assertEquals("RZVAJINKPMORJF-UHFFFAOYSA-N", a);
        assertEquals(a, b);
        assertNotEquals(a, ExternalStudy.inchiKey("CC(=O)Oc1ccccc1C(=O)O"));
    }
}
