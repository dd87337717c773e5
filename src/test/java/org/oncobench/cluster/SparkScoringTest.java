package org.oncobench.cluster;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.export.BatchScoring;
import org.oncobench.export.BundleWriter;
import org.oncobench.export.ZooBundles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SparkScoring in local[2] against single-machine BatchScoring on the model zoo's bundle and cohort. Tagged "spark": the
 * pom runs it in its own surefire execution, on Spark's netty (the CLI's class path keeps DL4J's).
 */
@org.junit.jupiter.api.Tag("spark")
class SparkScoringTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static ZooBundles.Made made;
    static Path inputs;
    static List<String[]> pairs;

    @BeforeAll
    static void setUp() throws Exception {
        made = ZooBundles.make(dir, new ZooBundles.Case("mlp", "dense", false, "relu", true, true, false), Map.of());
        Cohort c = made.cohort();
        inputs = Files.createDirectories(dir.resolve("inputs"));
        FeatureTable omics = c.sampleTables().get(0);
        StringBuilder m = new StringBuilder();
        omics.columns().forEach(col -> m.append(',').append(col));
        m.append('\n');
        for (int r = 0; r < omics.rows(); r++) {
            m.append(omics.ids().get(r));
            for (int j = 0; j < omics.width(); j++) {
                m.append(',').append(omics.get(r, j));
            }
            m.append('\n');
        }
        Files.writeString(inputs.resolve(omics.name() + ".csv"), m);
        String[] smiles = {"CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "CCN(CC)CC", "OC(=O)c1ccccc1OC(C)=O"};
        StringBuilder d = new StringBuilder(",SMILES\n");
        List<String> drugs = c.drugTables().get(0).ids();
        for (int i = 0; i < drugs.size(); i++) {
            d.append(drugs.get(i)).append(',').append(smiles[i % smiles.length]).append('\n');
        }
        Files.writeString(inputs.resolve("drugs.csv"), d);
        // every sample with every drug, in an order neither table has (drug-major, samples reversed), six times over:
        // 1,200 rows, more than two of predict's 512-row batches, so the Spark job's chunks cross its partitions
        pairs = new ArrayList<>();
        StringBuilder p = new StringBuilder("sample,drug\n");
        for (int copy = 0; copy < 6; copy++) {
            for (String drug : drugs) {
                for (int r = omics.rows() - 1; r >= 0; r--) {
                    pairs.add(new String[]{omics.ids().get(r), drug});
                    p.append(omics.ids().get(r)).append(',').append(drug).append('\n');
                }
            }
        }
        Files.writeString(inputs.resolve("pairs.csv"), p);
        spark = SparkSession.builder().master("local[2]").appName("SparkScoringTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> pairsDataset(int partitions) {
        StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("sample", DataTypes.StringType, false),
                DataTypes.createStructField("drug", DataTypes.StringType, true)));
        List<Row> rows = pairs.stream().map(x -> RowFactory.create(x[0], x[1])).toList();
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, partitions).rdd(), schema);
    }

    /** The rows as predict writes them. */
    private static List<String> lines(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            StringBuilder b = new StringBuilder(r.getString(0) + "," + r.getString(1) + String.format(Locale.ROOT, ",%.6f", r.getDouble(2)));
            for (int k = 3; k < r.size(); k++) {
                b.append(String.format(Locale.ROOT, ",%.6f", r.getDouble(k)));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static List<String> singleMachine(Path bundle) throws Exception {
        Path out = dir.resolve("single-" + bundle.getFileName() + ".csv");
        new BatchScoring().score(org.oncobench.export.Bundle.open(bundle), List.of(inputs), out);
        List<String> all = Files.readAllLines(out);
        assertEquals("sample,drug,predicted", all.get(0));
        return all.subList(1, all.size());
    }

    @Test
    void scoresEveryPairAsSingleMachinePredictDoesAcrossPartitions() throws Exception {
        List<String> expected = singleMachine(made.bundle());
        assertEquals(1200, expected.size(), "40 samples x 5 drugs, six times");
        for (int partitions : new int[]{1, 3, 7}) {
            Dataset<Row> scored = new SparkScoring().score(spark, pairsDataset(partitions),
                    new SparkScoring.Options(made.bundle(), null, List.of(inputs)));
            assertEquals(List.of("sample", "drug", "predicted"), List.of(scored.columns()));
            assertEquals(expected, lines(scored.collectAsList()), partitions + " partitions");
        }
        // the predictions are the network's, not a constant: the 200 distinct pairs hold many distinct values
        assertTrue(expected.stream().map(l -> l.substring(l.lastIndexOf(',') + 1)).distinct().count() > 100);
    }

    @Test
    void aSignedBundleIsVerifiedWithItsKeyAndAnUnsignedOneIsRefusedOnTheDriver() throws Exception {
        java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path priv = dir.resolve("team.key.pem");
        Path pub = dir.resolve("team.pub.pem");
        Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path signed = dir.resolve("signed.zip");
        new BundleWriter().export(made.store(), made.runId(), signed, priv);
        Dataset<Row> scored = new SparkScoring().score(spark, pairsDataset(2), new SparkScoring.Options(signed, pub, List.of(inputs)));
        assertEquals(singleMachine(signed), lines(scored.collectAsList()));

        BadInputException refused = assertThrows(BadInputException.class,
                () -> new SparkScoring().score(spark, pairsDataset(2), new SparkScoring.Options(made.bundle(), pub, List.of(inputs))));
        assertTrue(refused.getMessage().contains(made.bundle().getFileName().toString()), refused.getMessage());
    }

    @Test
    void aPairWhoseSampleHasNoInputsIsNamedByItsRowInTheDataset() {
        StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("sample", DataTypes.StringType, false),
                DataTypes.createStructField("drug", DataTypes.StringType, true)));
        List<Row> rows = new ArrayList<>(pairs.stream().limit(600).map(x -> RowFactory.create(x[0], x[1])).toList());
        rows.set(530, RowFactory.create("nobody", pairs.get(0)[1])); // in the second 512-row chunk
        Dataset<Row> bad = spark.createDataFrame(rows, schema);
        Dataset<Row> scored = new SparkScoring().score(spark, bad, new SparkScoring.Options(made.bundle(), null, List.of(inputs)));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        Throwable cause = e;
        while (cause != null && !(cause instanceof BadInputException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "no BadInputException in " + e);
        assertEquals("dataset row 530: sample 'nobody' is in none of the input tables", cause.getMessage());
    }

    @Test
    void aDatasetWithoutSampleAndDrugColumnsIsRefusedNamingWhatItHas() {
        Dataset<Row> wrong = pairsDataset(1).withColumnRenamed("drug", "compound");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SparkScoring().score(spark, wrong, new SparkScoring.Options(made.bundle(), null, List.of(inputs))));
        assertTrue(e.getMessage().contains("'sample' and 'drug'") && e.getMessage().contains("compound"), e.getMessage());
    }
}
