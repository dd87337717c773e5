package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.schedule.ISchedule;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.config.ExperimentConfig.ScheduleConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training recipe options of issue 28 (item 3): decoupled weight decay (AdamW), cosine and one-cycle schedules,
 * per-layer gradient clipping. Each reaches the built network's configuration, survives ModelSerializer, and trains
 * deterministically.
 */
class TrainingRecipeTest {
    private static final int EPOCHS = 10;

    /** An MLP over the zoo fixture's omics and fingerprints with one recipe option switched on. */
    static ModelSpec spec(String option) {
        ModelConfig m = new ModelConfig("mlp", List.of(16), 0.1, "relu", 1e-5, false, "dense", List.of(16), new ConvConfig(List.of(4), 3, 2), "mse");
        ScheduleConfig schedule = switch (option) {
            case "cosine" -> new ScheduleConfig("cosine", 0.9, 1, 2, EPOCHS);
            case "one_cycle" -> new ScheduleConfig("one_cycle", 0.9, 1, 0, EPOCHS);
            default -> new ScheduleConfig("none", 0.9, 1);
        };
        OptimizerConfig o = new OptimizerConfig(option.equals("adamw") ? "adamw" : "adam", 0.01, 0.9, option.equals("adamw") ? 0.05 : 0,
                schedule, option.equals("clip") ? 0.5 : null);
        return new ModelSpec(m, o, List.of(InputSpec.flat("omics", InputSpec.Kind.OMICS, 12), InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, 16)),
                11, null);
    }

    /** The fixture without its image table. */
    static Cohort cohort() {
        Cohort c = ModelZooTest.cohort(false);
        return c.withTables(List.of(c.sampleTables().get(0)), c.drugTables());
    }

    static ComputationGraph trained(String option) {
        Cohort c = cohort();
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph net = ModelRegistry.forKind("mlp").build(spec(option));
        GatheringIterator train = new GatheringIterator(c, rows, 32, t, 5, true);
        for (int epoch = 0; epoch < 3; epoch++) {
            train.reset();
            net.fit(train);
        }
        return net;
    }

    @Test
    void weightDecayIsDecoupledAdamW() {
        String json = ModelRegistry.forKind("mlp").build(spec("adamw")).getConfiguration().toJson();
        assertTrue(json.contains("org.nd4j.linalg.learning.regularization.WeightDecay"), json);
        assertTrue(json.replace(" ", "").contains("\"applyLR\":true"), "AdamW: the decay is scaled by the learning rate, outside Adam's moments");
        assertTrue(json.contains("0.05"), json);
        assertFalse(ModelRegistry.forKind("mlp").build(spec("none")).getConfiguration().toJson().contains("WeightDecay"), "off by default");
    }

    @Test
    void cosineAndOneCycleSchedulesReachTheUpdater() {
        ISchedule cosine = updaterOfFirstLayer(ModelRegistry.forKind("mlp").build(spec("cosine"))).getLearningRateSchedule();
        assertEquals(new CosineSchedule(0.01, EPOCHS, 2), cosine);
        // warm-up over epochs 0 and 1, the full rate at epoch 2, then half a cosine to 0 after epoch 9
        assertEquals(0.01 / 3, cosine.valueAt(0, 0), 1e-15);
        assertEquals(0.02 / 3, cosine.valueAt(0, 1), 1e-15);
        assertEquals(0.01, cosine.valueAt(0, 2), 1e-15);
        assertEquals(0.005, cosine.valueAt(0, 6), 1e-15);
        assertTrue(cosine.valueAt(0, 9) < 0.001 && cosine.valueAt(0, 9) > 0);
        ISchedule cycle = updaterOfFirstLayer(ModelRegistry.forKind("mlp").build(spec("one_cycle"))).getLearningRateSchedule();
        assertTrue(cycle instanceof org.nd4j.linalg.schedule.CycleSchedule, String.valueOf(cycle));
        assertEquals(0.001, cycle.valueAt(0, 0), 1e-12, "starts at lr / 10");
        double peak = 0;
        for (int e = 0; e < EPOCHS; e++) {
            peak = Math.max(peak, cycle.valueAt(0, e));
        }
        assertEquals(0.01, peak, 1e-3, "rises to lr");
        assertTrue(cycle.valueAt(0, EPOCHS - 1) < 0.001, "ends annealed below the start");
        for (int epochs : new int[]{3, 4, 10, 30, 31}) { // never back up to the peak after coming down (M2.1's CycleSchedule with an odd rest)
            org.nd4j.linalg.schedule.CycleSchedule c = new org.nd4j.linalg.schedule.CycleSchedule(org.nd4j.linalg.schedule.ScheduleType.EPOCH, 0.001,
                    0.01, epochs, Layers.oneCycleAnnealing(epochs), 0.1);
            int top = 0;
            for (int e = 1; e < epochs; e++) {
                top = c.valueAt(0, e) > c.valueAt(0, top) ? e : top;
            }
            for (int e = top + 1; e < epochs; e++) {
                assertTrue(c.valueAt(0, e) < c.valueAt(0, e - 1), epochs + " epochs: rate rises again at epoch " + e);
            }
        }
    }

    @Test
    void gradientClippingIsPerLayerL2() {
        String json = ModelRegistry.forKind("mlp").build(spec("clip")).getConfiguration().toJson().replace(" ", "");
        assertTrue(json.contains("\"gradientNormalization\":\"ClipL2PerLayer\""), json);
        assertTrue(json.contains("\"gradientNormalizationThreshold\":0.5"), json);
        assertFalse(ModelRegistry.forKind("mlp").build(spec("none")).getConfiguration().toJson().contains("ClipL2PerLayer"), "off by default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "cosine", "one_cycle", "clip"})
    void savedAndReloadedWithTheOptionAndTrainedDeterministically(String option) throws IOException {
        ComputationGraph a = trained(option);
        ComputationGraph b = trained(option);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), option + ": same seed, same weights");
        assertFalse(java.util.Arrays.equals(a.params().toFloatVector(), trained("none").params().toFloatVector()), option + " changes training");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(a, bytes, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(a.getConfiguration().toJson(), back.getConfiguration().toJson());
        assertArrayEquals(a.params().toFloatVector(), back.params().toFloatVector());
        assertEquals(updaterOfFirstLayer(a).getLearningRateSchedule(), updaterOfFirstLayer(back).getLearningRateSchedule());
    }

    private static org.nd4j.linalg.learning.config.Adam updaterOfFirstLayer(ComputationGraph net) {
        org.deeplearning4j.nn.conf.layers.BaseLayer layer = null;
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
                layer = b;
                break;
            }
        }
        return (org.nd4j.linalg.learning.config.Adam) layer.getIUpdater();
    }
}
