package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.eval.Charts;
import org.oncobench.explain.Uncertainty;
import org.oncobench.runs.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prediction intervals ({@code evaluation.uncertainty}): split conformal, calibrated on a single split's calibration
 * part ({@link Uncertainty}); for {@code kind: ensemble}, the ensemble's other members are trained here and saved under
 * {@code ensemble/} for the bundle.
 */
final class UncertaintyAnalysis implements Analysis {
    record Result(Uncertainty.Result intervals) implements AnalysisResult {
        @Override
        public Object json() {
            Map<String, Object> u = new LinkedHashMap<>(intervals.summary());
            u.put("calibration", intervals.calibration());
            return u;
        }

        /** The headline: coverage on the test rows at the configured level, and the intervals' mean width (or the sets' size). */
        @Override
        @SuppressWarnings("unchecked")
        public String console() {
            Map<String, Object> u = (Map<String, Object>) json();
            boolean sets = u.containsKey("mean_set_size");
            return String.format(Locale.ROOT, "  prediction %s at %s%%: test coverage %.3f, mean %s %.3f (%s; %s calibration rows)%n",
                    sets ? "sets" : "intervals", java.math.BigDecimal.valueOf(((Number) u.get("level")).doubleValue()).movePointRight(2).stripTrailingZeros()
                            .toPlainString(), ((Number) u.get("coverage")).doubleValue(), sets ? "set size" : "width",
                    ((Number) u.get(sets ? "mean_set_size" : "mean_width")).doubleValue(), u.get("method"), u.get("calibration_rows"));
        }

        @Override
        @SuppressWarnings("unchecked")
        public String section() {
            StringBuilder sb = new StringBuilder();
            Map<String, Object> u = (Map<String, Object>) json();
            boolean sets = u.containsKey("mean_set_size");
            sb.append(String.format(Locale.ROOT, "%n## How sure: prediction %s%n%n%s, calibrated on %s calibration rows (held out of training, validation and test: they "
                            + "chose nothing). At the nominal %.4g%%: test "
                            + "coverage %.3f, mean %s %.3f.%n%n| nominal | test coverage | mean %s |%n|---:|---:|---:|%n", sets ? "sets" : "intervals", u.get("method"),
                    u.get("calibration_rows"), 100 * ((Number) u.get("level")).doubleValue(), ((Number) u.get("coverage")).doubleValue(),
                    sets ? "set size" : "width", ((Number) u.get(sets ? "mean_set_size" : "mean_width")).doubleValue(), sets ? "set size" : "width"));
            ((Map<String, Object>) u.get("levels")).forEach((level, v) -> {
                Map<String, Object> l = (Map<String, Object>) v;
                sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", level, ((Number) l.get("coverage")).doubleValue(),
                        ((Number) l.get(sets ? "mean_set_size" : "mean_width")).doubleValue()));
            });
            return sb.toString();
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Chart> charts() {
            return List.of(new Chart("coverage.png", "Prediction intervals: measured test coverage against the nominal level (calibrated on the "
                    + "calibration rows)", Charts.coverage((Map<String, Object>) json())));
        }
    }

    @Override
    public String key() {
        return "uncertainty";
    }

    @Override
    public String configKey() {
        return "evaluation.uncertainty";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.evaluation().uncertainty() != null ? Request.EXPLICIT : Request.OFF;
    }

    @Override
    public Set<RunShape> shapes() {
        return EnumSet.of(RunShape.SINGLE_SPLIT);
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TEST_ROWS);
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        ExperimentConfig.UncertaintyConfig u = c.config().evaluation().uncertainty();
        c.status().accept("calibrating prediction intervals on the calibration rows (" + u.kind().replace('_', ' ') + ") ...");
        FoldOutcome o = c.first();
        if (c.config().model().members() > 1) {
            // model.ensemble: its members are the ensemble (none trained here), and the point prediction is their mean
            TrainedModel ensemble = new TrainedModel(o.net(), o.prepared(), o.transforms(), o.residual(), o.others());
            int batch = Math.max(256, c.config().training().batch());
            return new Result(new Uncertainty(u.kind(), o.members().size(), u.level(), "ensemble".equals(u.kind()) ? o.others() : List.of(),
                    rows -> ensemble.predict(rows, batch)).run(o.net(), o.prepared(), o.transforms(),
                    o.fold().assignment().rows(SplitAssignment.CALIBRATION), o.testRows(), c.config().seed()));
        }
        List<ComputationGraph> members = "ensemble".equals(u.kind())
                ? members(c, o.fold(), u.samples() - 1) : List.of();
        return new Result(new Uncertainty(u.kind(), u.samples(), u.level(), members).run(o.net(), o.prepared(), o.transforms(),
                o.fold().assignment().rows(SplitAssignment.CALIBRATION), o.testRows(), c.config().seed()));
    }

    /**
     * An ensemble's other members: the same experiment under seeds seed + 7919 m, on the same split and transforms, without
     * baselines; each saved as {@code ensemble/member-m.zip} (the bundle carries them, so served intervals use them too).
     */
    private static List<ComputationGraph> members(AnalysisContext c, Fold fold, int count) {
        ExperimentConfig config = c.config();
        RunFolder run = c.run();
        Cohort cohort = c.cohort();
        List<ComputationGraph> members = new ArrayList<>();
        for (int m = 1; m <= count; m++) {
            c.status().accept(String.format(Locale.ROOT, "ensemble member %d of %d (seed %d) ...", m + 1, count + 1, org.oncobench.model.Seeds.member(config.seed(), m)));
            ExperimentConfig member = config.withSeed(org.oncobench.model.Seeds.member(config.seed(), m))
                    .withEvaluation(new ExperimentConfig.EvaluationConfig(List.of(), config.evaluation().group(), 0));
            ComputationGraph net = new FoldTrainer(member, c.progress(), null, c.baselines()).run(cohort, fold).net();
            members.add(net);
            try {
                Files.createDirectories(run.file(ModelArchive.ENSEMBLE_DIR));
                Path tmp = run.file(ModelArchive.ENSEMBLE_DIR).resolve(".member-" + m + ".zip.tmp");
                ModelSerializer.writeModel(net, tmp.toFile(), false);
                RunFolder.moveIntoPlace(tmp, run.file(ModelArchive.ENSEMBLE_DIR).resolve(ModelArchive.memberFile(m)));
            } catch (IOException e) {
                throw new UncheckedIOException("run " + run.id() + ": cannot save ensemble member " + m, e);
            }
        }
        return members;
    }
}
