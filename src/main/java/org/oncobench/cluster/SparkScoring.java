package org.oncobench.cluster;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.oncobench.config.BadInputException;
import org.oncobench.data.CsvText;
import org.oncobench.data.DelimitedFile;
import org.oncobench.export.BatchScoring;
import org.oncobench.export.Bundle;
import org.oncobench.export.Predictor;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Batch scoring on Spark, for production pipelines: a {@code Dataset<Row>} of (sample, drug) pairs in, the same rows
 * with {@code predicted} (and {@code low}, {@code high} when the bundle carries a conformal calibration) out, row for
 * row what single-machine {@code predict} writes for those pairs. The bundle is verified on the driver, broadcast as
 * bytes, and opened and verified again once per executor JVM ({@link ExecutorBundles}). The pairs are cut into
 * chunks of {@link Predictor#BATCH_ROWS} consecutive rows, where single-machine {@code predict} cuts its batches, and
 * each chunk is scored by {@link BatchScoring} itself, so the two paths give identical numbers and cannot drift apart.
 * The result keeps the input's row order.
 * <p>
 * The feature files ({@code <input>.csv}, image folders, {@code drugs.csv}, laid out as for {@code predict --input})
 * are read by the executors from {@code inputs}: on a cluster those paths must be on a file system every executor sees.
 */
public final class SparkScoring {

    /**
     * @param bundle    the bundle file (read on the driver)
     * @param publicKey a PEM public key its manifest must be signed with (as {@code predict --verify}), or null
     * @param inputs    the feature files or folders, as for {@code predict --input}; a {@code pairs.csv} among them is
     *                  ignored (the pairs are the dataset's rows)
     */
    public record Options(Path bundle, Path publicKey, List<Path> inputs) {
        public Options {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * Scores {@code pairs} (string columns {@code sample} and {@code drug}; drug may be null for a bundle without a drug
     * input). Lazy, like any Spark transformation: bundle errors show here, input errors when the result is computed.
     */
    public Dataset<Row> score(SparkSession spark, Dataset<Row> pairs, Options options) {
        List<String> columns = Arrays.asList(pairs.columns());
        if (!columns.contains("sample") || !columns.contains("drug")) {
            throw new BadInputException("SparkScoring: the dataset needs string columns 'sample' and 'drug' (found " + columns + ")");
        }
        byte[] bytes = read(options.bundle(), "bundle");
        byte[] pem = options.publicKey() == null ? null : read(options.publicKey(), "public key");
        Bundle bundle = Bundle.open(options.bundle(), options.publicKey()); // fail on the driver, with the file's name
        boolean intervals = bundle.predictor().hasCalibration() && !"classification".equals(bundle.schema().path("task").asText());
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("sample", DataTypes.StringType, false),
                DataTypes.createStructField("drug", DataTypes.StringType, true),
                DataTypes.createStructField("predicted", DataTypes.DoubleType, false)));
        if (intervals) {
            fields.add(DataTypes.createStructField("low", DataTypes.DoubleType, false));
            fields.add(DataTypes.createStructField("high", DataTypes.DoubleType, false));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> bundleBytes = jsc.broadcast(bytes);
        Broadcast<byte[]> keyBytes = pem == null ? null : jsc.broadcast(pem);
        List<String> inputs = options.inputs().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        // chunks of Predictor.BATCH_ROWS consecutive rows, cut where single-machine predict cuts its batches: the same
        // rows meet in one network call, so the predictions are identical to the last digit
        JavaRDD<Row> in = pairs.select("sample", "drug").javaRDD();
        int partitions = in.getNumPartitions();
        JavaPairRDD<Long, Tuple2<Long, String[]>> chunked = in.zipWithIndex().mapToPair(new ChunkOf());
        JavaRDD<Row> scored = chunked.groupByKey(partitions)
                .flatMap(new ScoreChunk(ExecutorBundles.key(bytes, pem), bundleBytes, keyBytes, new ArrayList<>(inputs), intervals));
        List<StructField> indexed = new ArrayList<>(fields);
        indexed.add(0, DataTypes.createStructField(ROW, DataTypes.LongType, false));
        return spark.createDataFrame(scored, DataTypes.createStructType(indexed)).orderBy(ROW).drop(ROW);
    }

    /** The column holding each pair's position in the input, while the chunks are scored. */
    private static final String ROW = "__oncobench_row";

    /** A pair's chunk (its row / BATCH_ROWS) with its row and ids. */
    private static final class ChunkOf implements PairFunction<Tuple2<Row, Long>, Long, Tuple2<Long, String[]>> {
        @Override
        public Tuple2<Long, Tuple2<Long, String[]>> call(Tuple2<Row, Long> t) {
            Row r = t._1();
            String[] ids = {r.getString(0), r.isNullAt(1) ? null : r.getString(1)};
            return new Tuple2<>(t._2() / Predictor.BATCH_ROWS, new Tuple2<>(t._2(), ids));
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the " + what + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The error with the chunk's pairs.csv line in it ("/tmp/.../pairs.csv:20: ...") named by the dataset row it came
     * from ("dataset row 530: ..."); other errors (an input file's) unchanged.
     */
    private static BadInputException inDataset(BadInputException e, Path pairs, List<Tuple2<Long, String[]>> rows) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(pairs.toString()) + ":(\\d+): ")
                .matcher(e.getMessage());
        if (!m.lookingAt()) {
            return e;
        }
        int line = Integer.parseInt(m.group(1)); // line 1 is the header
        return new BadInputException("dataset row " + rows.get(line - 2)._1() + ": " + e.getMessage().substring(m.end()));
    }

    /** One chunk: its pairs to a pairs.csv, {@link BatchScoring} over them, its CSV back as rows with their positions. */
    private record ScoreChunk(String key, Broadcast<byte[]> bundle, Broadcast<byte[]> publicKey, ArrayList<String> inputs, boolean intervals)
            implements FlatMapFunction<Tuple2<Long, Iterable<Tuple2<Long, String[]>>>, Row> {
        @Override
        public Iterator<Row> call(Tuple2<Long, Iterable<Tuple2<Long, String[]>>> chunk) throws IOException {
            List<Tuple2<Long, String[]>> rows = new ArrayList<>();
            chunk._2().forEach(rows::add);
            rows.sort(Comparator.comparing(Tuple2::_1));
            ExecutorBundles.Loaded loaded = ExecutorBundles.get(key, bundle.value(), publicKey == null ? null : publicKey.value());
            Path dir = Files.createTempDirectory("oncobench-spark-chunk");
            try {
                Path pairs = dir.resolve("pairs.csv");
                try (java.io.BufferedWriter w = Files.newBufferedWriter(pairs, StandardCharsets.UTF_8)) {
                    w.write("sample,drug\n");
                    for (Tuple2<Long, String[]> r : rows) {
                        w.write(CsvText.field(r._2()[0]) + "," + CsvText.field(r._2()[1]) + "\n");
                    }
                }
                List<Path> files = new ArrayList<>();
                for (String in : inputs) {
                    Path p = Path.of(in);
                    if (Files.isDirectory(p) && Files.exists(p.resolve("pairs.csv"))) { // the folder's own pairs give way to the chunk's
                        try (Stream<Path> s = Files.list(p)) {
                            s.filter(f -> !f.getFileName().toString().equals("pairs.csv")).sorted().forEach(files::add);
                        }
                    } else {
                        files.add(p);
                    }
                }
                files.add(pairs);
                Path out = dir.resolve("scored.csv");
                try {
                    new BatchScoring().score(loaded.bundle(), loaded.predictor(), files, out, 0);
                } catch (BadInputException e) {
                    throw inDataset(e, pairs, rows);
                }
                List<Row> result = new ArrayList<>();
                try (DelimitedFile d = DelimitedFile.open(out)) {
                    String[] line;
                    int i = 0;
                    while ((line = d.next()) != null) {
                        long row = rows.get(i++)._1();
                        String drug = line[1].isEmpty() ? null : line[1];
                        result.add(intervals
                                ? RowFactory.create(row, line[0], drug, Double.parseDouble(line[2]), Double.parseDouble(line[3]), Double.parseDouble(line[4]))
                                : RowFactory.create(row, line[0], drug, Double.parseDouble(line[2])));
                    }
                }
                return result.iterator();
            } finally {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (UncheckedIOException ignored) {
                    // a temporary folder left for the OS
                }
            }
        }
    }
}
