package org.oncobench.data.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.FingerprintReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticCohortGeneratorTest {
    @TempDir
    Path dir;

    static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        SynthSpec spec = new SynthSpec(30, 6, 60, 7, 1, 16);
        new SyntheticCohortGenerator().generate(spec, dir.resolve("a"), p -> { });
        new SyntheticCohortGenerator().generate(spec, dir.resolve("b"), p -> { });
        new SyntheticCohortGenerator().generate(new SynthSpec(30, 6, 60, 8, 1, 16), dir.resolve("c"), p -> { });
        Map<String, String> a = digests(dir.resolve("a"));
        assertEquals(a, digests(dir.resolve("b")));
        assertEquals(7 + 30, a.size(), a.keySet().toString()); // 5 tables, README, ceiling.json + 30 tiles
        Map<String, String> c = digests(dir.resolve("c"));
        assertNotEquals(a.get("GDSC2_fitted_dose_response.csv"), c.get("GDSC2_fitted_dose_response.csv"));
    }

    @Test
    void embeddedCohortIsExactlyWhatTheGeneratorWrites() throws Exception {
        Path embedded = Path.of("datasets/synthetic");
        new SyntheticCohortGenerator().generate(new SynthSpec(240, 30, 600, 42, 2, 32), dir.resolve("primary"), dir.resolve("external"), p -> { });
        assertEquals(digests(dir.resolve("primary")), digests(embedded), "regenerate with: ./oncobench data synth --out datasets/synthetic "
                + "--external datasets/synthetic-external");
        assertEquals(digests(dir.resolve("external")), digests(Path.of("datasets/synthetic-external")), "the external study too");
    }

    @Test
    void writesRealLayoutsAndParseableSmiles() throws IOException {
        SynthResult r = new SyntheticCohortGenerator().generate(new SynthSpec(20, 24, 40, 3, 0, 16), dir, p -> { });
        List<String> expr = Files.readAllLines(dir.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        assertEquals(21, expr.size());
        assertTrue(expr.get(0).startsWith(",EGFR (1956),BRAF (673),"), expr.get(0).substring(0, 40));
        assertEquals(41, expr.get(1).split(",").length);
        List<String> gdsc = Files.readAllLines(dir.resolve("GDSC2_fitted_dose_response.csv"));
        assertEquals("DATASET,NLME_RESULT_ID,NLME_CURVE_ID,COSMIC_ID,CELL_LINE_NAME,SANGER_MODEL_ID,TCGA_DESC,DRUG_ID,DRUG_NAME,"
                + "PUTATIVE_TARGET,PATHWAY_NAME,COMPANY_ID,WEBRELEASE,MIN_CONC,MAX_CONC,LN_IC50,AUC,RMSE,Z_SCORE", gdsc.get(0));
        assertEquals(r.responseRows() + 1, gdsc.size());
        // about 90% of 20 x 24 pairs
        assertTrue(r.responseRows() > 380 && r.responseRows() < 480, "rows " + r.responseRows());
        assertTrue(Files.readString(dir.resolve("Model.csv")).startsWith("ModelID,COSMICID,SangerModelID,CellLineName,CCLEName,OncotreeLineage\n"));
        // CDK parses every SMILES and gives distinct fingerprints
        FeatureTable fp = new FingerprintReader().read("fp", new FingerprintTableConfig(dir.resolve("drugs.csv").toString(), "DRUG_ID",
                "SMILES", 2, 1024), "data.drugs.fp");
        assertEquals(24, fp.rows());
        long distinct = java.util.stream.IntStream.range(0, fp.rows()).mapToObj(i -> {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < fp.width(); b++) {
                sb.append(fp.get(i, b) > 0 ? '1' : '0');
            }
            return sb.toString();
        }).distinct().count();
        assertEquals(24, distinct);
    }

    @Test
    void noiseCeilingMatchesThePlantedNoise() {
        SynthResult r = new SyntheticCohortGenerator().generate(new SynthSpec(200, 40, 40, 5, 0, 16), dir, p -> { });
        // observed = signal + N(0, 0.5): the best RMSE is the noise's own RMSE, about 0.5
        assertEquals(0.5, r.ceiling().rmse(), 0.02);
        assertTrue(r.ceiling().pearson() > 0.9 && r.ceiling().pearson() < 1, "pearson " + r.ceiling().pearson());
    }

    @Test
    void everyWarheadAndSubstituentIsValid() {
        org.openscience.cdk.smiles.SmilesParser parser = new org.openscience.cdk.smiles.SmilesParser(
                org.openscience.cdk.silent.SilentChemObjectBuilder.getInstance());
        for (int core = 0; core < SmilesFactory.CORES.length; core++) {
            for (int t = 0; t < SmilesFactory.WARHEADS.length; t++) {
                for (int s = 0; s < SmilesFactory.SUBSTITUENTS.length; s++) {
                    String smiles = SmilesFactory.build(core, t, s, (s + t) % SmilesFactory.SUBSTITUENTS.length);
                    try {
                        assertTrue(parser.parseSmiles(smiles).getAtomCount() > 6, smiles);
                    } catch (Exception e) {
                        throw new AssertionError(smiles + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
