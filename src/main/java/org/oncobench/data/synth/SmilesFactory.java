package org.oncobench.data.synth;

/**
 * Builds drug-like SMILES from a core ring system and three substituents. The first substituent (the "warhead") is
 * fixed by the drug's target, so fingerprints carry the target; the other two are random and shift potency.
 * Substituents use ring-closure digits 7-9 so they never clash with the core's 1-2.
 */
final class SmilesFactory {
    static final String[] CORES = {
        "c1cc(X)c(Y)cc1Z",            // benzene
        "c1nc(X)c(Y)cc1Z",            // pyridine
        "c1nc(X)nc(Y)c1Z",            // pyrimidine
        "c1cc(X)c2cc(Y)ccc2c1Z",      // naphthalene
        "c1cc(Z)c2[nH]c(X)c(Y)c2c1",  // indole
    };

    static final String[] SUBSTITUENTS = {
        "C", "CC", "OC", "N", "F", "Cl", "Br", "C(F)(F)F", "C(=O)N", "C(=O)O", "S(C)(=O)=O", "N7CCOCC7",
        "N7CCN(C)CC7", "c7ccncc7", "C7CC7", "Nc7ccccc7", "C#N", "OCCN(C)C", "C#C", "OC(F)(F)F", "N(C)C", "CO",
    };

    /** One warhead per target in {@link SyntheticCohortGenerator#TARGETS}, same order. */
    static final String[] WARHEADS = {
        "NC(=O)C=C",                  // EGFR: acrylamide
        "NS(=O)(=O)CCC",              // BRAF: propyl sulfonamide
        "Oc7ccc(Cl)cc7",              // ERBB2: chlorophenoxy
        "N7CCOCC7",                   // MTOR: morpholine
        "c7cnc(N)nc7",                // PIK3CA: aminopyrimidine
        "C(=O)N7CCN(C(=O)C=C)CC7",    // KRAS: acryloyl piperazine
        "S(=O)(=O)C(C)C",             // ALK: isopropyl sulfone
        "N7CCNCC7",                   // CDK4: piperazine
        "C(=O)NC7CC7",                // PARP1: cyclopropyl amide
        "OC7CCN(C)CC7",               // MET: methylpiperidinyl ether
        "Nc7nccs7",                   // AURKA: aminothiazole
        "S(=O)(=O)Nc7ccccc7",         // BCL2: phenyl sulfonamide
    };

    private SmilesFactory() {
    }

    static String build(int core, int target, int y, int z) {
        return CORES[core].replace("X", WARHEADS[target]).replace("Y", SUBSTITUENTS[y]).replace("Z", SUBSTITUENTS[z]);
    }
}
