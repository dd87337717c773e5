package org.oncobench.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameColumnTest {
    @Test
    void namesThatFitKeepTheOldWidthALongerOneWidensTheColumnForEveryRow() {
        assertEquals(22, NameColumn.width(List.of("model (mlp)", "drug_cell_additive", "group_drug_mean")));
        assertEquals("  ridge                 ", NameColumn.cell("ridge", 22), "2 spaces + 22 characters: the tables' old layout");
        int w = NameColumn.width(List.of("model (mlp)", "single_drug_elastic_net", "single_drug_rf"));
        assertEquals(23, w);
        assertEquals(NameColumn.cell("single_drug_elastic_net", w).length(), NameColumn.cell("rf", w).length());
        assertEquals("  single_drug_elastic_net", NameColumn.cell("single_drug_elastic_net", w));
    }
}
