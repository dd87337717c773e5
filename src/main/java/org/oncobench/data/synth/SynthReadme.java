package org.oncobench.data.synth;

import java.util.Locale;

/** The README written beside a synthetic cohort: the generator's model, the files, and the noise ceiling. */
final class SynthReadme {
    private SynthReadme() {
    }

    static String text(SynthSpec spec, int rows, NoiseCeiling c) {
        return String.format(Locale.ROOT, """
                # Synthetic drug-response cohort

                Made by `oncobench data synth --out DIR --cell-lines %d --drugs %d --genes %d --seed %d`
                (tiles: %d per cell line, %dx%d). The same command gives the same bytes. All identifiers are synthetic
                (ModelID `ACH-9xxxxx`, COSMIC_ID `29xxxxx`, drugs `Synthinib-NNN`, genes `SYNGnnnnn`); the %d named
                target genes (EGFR, BRAF, ...) carry real symbols and Entrez ids but synthetic values.

                ## Files (real layouts, so the real readers are used)
                | file | layout |
                |---|---|
                | `Model.csv` | DepMap Model.csv: ModelID, COSMICID, SangerModelID, CellLineName, CCLEName, OncotreeLineage |
                | `OmicsExpressionProteinCodingGenesTPMLogp1.csv` | DepMap expression, older layout: first column (unnamed) ModelID, genes as `SYMBOL (ENTREZ)`, log2(TPM+1) |
                | `OmicsSomaticMutationsMatrixDamaging.csv` | same layout, 1 = damaging mutation |
                | `drugs.csv` | DRUG_ID, DRUG_NAME, PUTATIVE_TARGET, PATHWAY_NAME, SMILES (valid molecules; CDK parses them) |
                | `GDSC2_fitted_dose_response.csv` | GDSC fitted dose response: DATASET ... LN_IC50, AUC, RMSE, Z_SCORE |
                | `images/<ModelID>/tile_N.png` | grey-scale image tiles per cell line |
                | `ceiling.json` | the numbers below, machine-readable |

                ## Generator model
                - Each cell line has a lineage (10, with OncotreeLineage and TCGA_DESC) and %d latent factors
                  z ~ N(lineage shift, 1). Its general drug sensitivity is s = beta . z with |beta| = 1.
                - Expression of a gene = base (U(1, 7)) + loading x one factor + N(0, 0.35), clipped at 0. Each target
                  gene's expression also carries its own cell-specific component (not shared with any factor).
                - Mutations: per-gene rates U(0, 0.04); mutation-driven targets (BRAF, PIK3CA, KRAS, ALK) U(0.15, 0.35),
                  higher in some lineages.
                - Images: an image factor m ~ N(0, 1), independent of the omics, sets the number and brightness of blobs.
                - Drugs: each has one target; the target fixes one substituent of its SMILES, so fingerprints carry it.
                  Potency = 1.5 + effects of the two other substituents + N(0, 0.8); gain ~ U(0.6, 1.4).
                - LN_IC50 = potency + gain x s + interaction + N(0, %.2f), where the interaction is
                  -%.1f x (standardised target expression) for expression-driven targets (EGFR, ERBB2, MTOR, CDK4, MET, BCL2),
                  -%.1f if the target is mutated (BRAF, PIK3CA, KRAS, ALK), and -%.1f x m for image-driven targets (PARP1, AURKA).
                  %.0f%% of cell line x drug pairs are kept, as GDSC does not screen every pair.
                - AUC is a logistic function of LN_IC50 within each drug's concentration range; RMSE (curve-fit quality)
                  is random; Z_SCORE is LN_IC50 standardised per drug. RMSE and Z_SCORE are outcome-derived: never features.

                ## Best achievable scores (noise ceiling), over all %d rows
                A model that knew the noise-free signal exactly would score:

                | metric | value |
                |---|---|
                | RMSE (LN_IC50) | %.3f |
                | Pearson | %.3f |
                | R² | %.3f |
                | per-drug Pearson, mean across drugs | %.3f |

                For comparison, the drug-mean predictor (each drug's own mean, fitted on all rows) has Pearson %.3f.
                Models that see only expression and fingerprints cannot reach the ceiling: the mutation and image
                interactions are invisible to them.
                """, spec.cellLines(), spec.drugs(), spec.genes(), spec.seed(), spec.tilesPerCellLine(), spec.tileSize(), spec.tileSize(),
                SyntheticCohortGenerator.TARGETS.length, SyntheticCohortGenerator.FACTORS, SyntheticCohortGenerator.NOISE_SD,
                SyntheticCohortGenerator.EXPRESSION_EFFECT, SyntheticCohortGenerator.MUTATION_EFFECT, SyntheticCohortGenerator.IMAGE_EFFECT,
                100 * SyntheticCohortGenerator.PAIR_KEEP, rows, c.rmse(), c.pearson(), c.r2(), c.perDrugPearsonMean(), c.drugMeanPearson());
    }
}
