package org.oncobench.eval;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The bridge to liblinear (de.bwaldvogel:liblinear, the Java port of LIBLINEAR) for the {@code svr} and
 * {@code logistic_l1} baselines: rows of a cohort as liblinear instances and an inner cross-validation that runs its
 * (fold x setting) fits on an executor.
 * <p>
 * Instances are the model's inputs (sample tables, then drug tables: what {@code ridge} sees, or the sample tables only),
 * their zeros left out, and a last constant feature 1 whose weight is the intercept, not penalised
 * ({@code regularize_bias = false}). The nodes of one cell line (and of one drug) are shared by all its rows, so the
 * instances cost a reference per nonzero value, not an object. Every training call gets its own {@link Random} from the
 * seed, so a fit does not depend on the thread it runs on or on what else runs (liblinear's shared default generator
 * is never used).
 */
final class Liblinear {
    static {
        Linear.disableDebugOutput(); // liblinear prints each iteration to stdout otherwise; the console stays quiet
    }

    /** Instances of some rows, {@code width} features each (the intercept's constant is feature width + 1). */
    record Instances(Feature[][] x, int width) {
        Problem problem(double[] y, int[] subset) {
            Problem p = new Problem();
            p.l = subset.length;
            p.n = width + 1;
            p.bias = 1;
            p.x = new Feature[subset.length][];
            p.y = new double[subset.length];
            for (int i = 0; i < subset.length; i++) {
                p.x[i] = x[subset[i]];
                p.y[i] = y[subset[i]];
            }
            return p;
        }
    }

    private Liblinear() {
    }

    static Instances instances(Cohort c, int[] rows, boolean samplesOnly) {
        List<FeatureTable> sampleTables = c.sampleTables();
        List<FeatureTable> drugTables = samplesOnly ? List.of() : c.drugTables();
        int sampleWidth = sampleTables.stream().mapToInt(FeatureTable::width).sum();
        int width = sampleWidth + drugTables.stream().mapToInt(FeatureTable::width).sum();
        Feature bias = new FeatureNode(width + 1, 1);
        Feature[][] bySample = new Feature[c.sampleIds().size()][];
        Feature[][] byDrug = drugTables.isEmpty() ? null : new Feature[c.drugIds().size()][];
        Feature[][] x = new Feature[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int s = c.rowSample()[rows[i]];
            if (bySample[s] == null) {
                bySample[s] = nodes(sampleTables, s, 0);
            }
            Feature[] drug = new Feature[0];
            if (byDrug != null) {
                int d = c.rowDrug()[rows[i]];
                if (byDrug[d] == null) {
                    byDrug[d] = nodes(drugTables, d, sampleWidth);
                }
                drug = byDrug[d];
            }
            Feature[] row = new Feature[bySample[s].length + drug.length + 1];
            System.arraycopy(bySample[s], 0, row, 0, bySample[s].length);
            System.arraycopy(drug, 0, row, bySample[s].length, drug.length);
            row[row.length - 1] = bias;
            x[i] = row;
        }
        return new Instances(x, width);
    }

    /** One entity's nonzero values over the tables, as 1-based liblinear features from {@code offset + 1}. */
    private static Feature[] nodes(List<FeatureTable> tables, int entity, int offset) {
        int w = tables.stream().mapToInt(FeatureTable::width).sum();
        float[] v = new float[w];
        int at = 0;
        for (FeatureTable t : tables) {
            t.copyRow(entity, v, at);
            at += t.width();
        }
        List<Feature> out = new ArrayList<>();
        for (int j = 0; j < w; j++) {
            if (v[j] != 0) {
                out.add(new FeatureNode(offset + j + 1, v[j]));
            }
        }
        return out.toArray(new Feature[0]);
    }

    /** Trains with a generator of its own, seeded, and the intercept unpenalised. */
    static Model train(Problem problem, Parameter parameter, long seed) {
        Parameter p = parameter.clone();
        p.setRandom(new Random(seed));
        p.setRegularizeBias(false);
        return Linear.train(problem, p);
    }

    /** A fitted model's weights: {@code width} feature weights then the intercept. */
    static double[] weights(Model m) {
        return m.getFeatureWeights().clone();
    }

    /** The linear score w'x + b of the rows, from their row-major inputs. */
    static double[] scores(double[] weights, Cohort c, int[] rows, boolean samplesOnly) {
        int p = weights.length - 1;
        double[] out = new double[rows.length];
        for (int from = 0; from < rows.length; from += ElasticNet.BLOCK) {
            int to = Math.min(rows.length, from + ElasticNet.BLOCK);
            float[] x = InputRows.of(c, java.util.Arrays.copyOfRange(rows, from, to), samplesOnly);
            for (int i = from; i < to; i++) {
                int base = (i - from) * p;
                double s = weights[p];
                for (int j = 0; j < p; j++) {
                    s += weights[j] * x[base + j];
                }
                out[i] = s;
            }
        }
        return out;
    }

    /** The linear score of instances (by index into {@code x}). */
    static double score(double[] weights, Feature[] row) {
        double s = 0;
        for (Feature f : row) {
            s += weights[f.getIndex() - 1] * f.getValue();
        }
        return s;
    }

    static int nonzero(double[] weights) {
        int c = 0;
        for (int j = 0; j < weights.length - 1; j++) {
            c += weights[j] != 0 ? 1 : 0;
        }
        return c;
    }

    /** Runs the tasks on the executor (null: this thread) and waits for all of them. */
    static void run(List<Runnable> tasks, Executor pool) {
        if (pool == null) {
            tasks.forEach(Runnable::run);
            return;
        }
        CompletableFuture.allOf(tasks.stream().map(t -> CompletableFuture.runAsync(t, pool)).toArray(CompletableFuture[]::new)).join();
    }

    /** {training positions, held-out positions} of inner fold f. */
    static int[][] parts(int[] fold, int f) {
        List<Integer> in = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            (fold[i] == f ? out : in).add(i);
        }
        return new int[][]{in.stream().mapToInt(Integer::intValue).toArray(), out.stream().mapToInt(Integer::intValue).toArray()};
    }
}
