package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.stats.DistributionStats;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ModelZip writes what ModelSerializer writes (and adds), and ModelSerializer reads it back as its own. */
class ModelZipTest {
    @TempDir
    Path dir;

    @Test
    void modelSerializerReadsItBackWithUpdaterNormaliserAndObjects() throws Exception {
        var c = ModelZooTest.cohort(false);
        ComputationGraph net = ModelRegistry.forKind("multimodal").build(ModelZooTest.spec("multimodal", "dense", false, "adam", "mse"));
        int[] rows = IntStream.range(0, c.size()).toArray();
        GatheringIterator it = new GatheringIterator(c, rows, 32, new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN), 1, true);
        it.startEpoch(1);
        net.fit(it); // a non-trivial updater state
        MultiNormalizerStandardize normalizer = new MultiNormalizerStandardize();
        normalizer.setFeatureStats(List.of(new DistributionStats(Nd4j.create(new float[]{1f, 2f}, 1, 2), Nd4j.create(new float[]{3f, 4f}, 1, 2))));

        Path ours = dir.resolve("ours.zip");
        ModelZip.write(net, ours, true, normalizer, Map.of("input_schema.json", "{\"format\": 1}"));
        Path dl4j = dir.resolve("dl4j.zip");
        ModelSerializer.writeModel(net, dl4j.toFile(), true);
        ModelSerializer.addNormalizerToModel(dl4j.toFile(), normalizer);
        ModelSerializer.addObjectToFile(dl4j.toFile(), "input_schema.json", "{\"format\": 1}");

        assertEquals(entries(dl4j), entries(ours));
        ComputationGraph back = ModelSerializer.restoreComputationGraph(ours.toFile(), true);
        assertEquals(net.getConfiguration().toJson(), back.getConfiguration().toJson());
        assertArrayEquals(net.params().toFloatVector(), back.params().toFloatVector());
        assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(), back.getUpdater().getStateViewArray().toFloatVector());
        MultiNormalizerStandardize n = ModelSerializer.restoreNormalizerFromFile(ours.toFile());
        assertArrayEquals(new float[]{3f, 4f}, n.getFeatureStd(0).toFloatVector());
        assertEquals("{\"format\": 1}", ModelSerializer.getObjectFromFile(ours.toFile(), "input_schema.json"));

        Path noUpdater = dir.resolve("best.zip");
        ModelZip.write(net, noUpdater, false);
        assertTrue(!entries(noUpdater).contains(ModelSerializer.UPDATER_BIN));
        assertArrayEquals(net.params().toFloatVector(), ModelSerializer.restoreComputationGraph(noUpdater.toFile(), false).params().toFloatVector());
    }

    private static Set<String> entries(Path zip) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(java.util.zip.ZipEntry::getName).collect(Collectors.toSet());
        }
    }
}
