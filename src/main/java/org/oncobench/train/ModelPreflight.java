package org.oncobench.train;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.DelimitedFile;
import org.oncobench.model.InputSpec;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;
import org.oncobench.model.NetworkBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sizes the network an experiment asks for from its configuration and the headers of its feature files, before any
 * data is read or a run folder exists: a network whose parameters, gradients and optimiser state cannot fit in the
 * memory ND4J may use is refused now (naming {@code model.hidden} and the estimate), not minutes later as a failed run.
 * The widths are upper bounds (a {@code top_variance} or the header's columns; training-time cleaning can only drop
 * features), so an accepted experiment is checked again, exactly, when its network is built.
 */
final class ModelPreflight {
    private ModelPreflight() {
    }

    /** The parameter count of the experiment's network, or refuses it (BadInputException); -1 when a header is unreadable (the loader then says why). */
    static long check(ExperimentConfig config) {
        List<InputSpec> inputs = inputs(config);
        if (inputs == null) {
            return -1;
        }
        double[] classWeights = config.task().isClassification() ? new double[]{1, 1} : null;
        NetworkBuilder builder = ModelRegistry.forKind(config.model().kind());
        try {
            return NetworkBuilder.parameters(builder.configure(new ModelSpec(config.model(), config.training().optimizer(), inputs, config.seed(),
                    classWeights)));
        } catch (BadInputException tooLarge) {
            throw new BadInputException(tooLarge.getMessage() + " (estimated from the experiment and its files' headers: "
                    + inputs.stream().map(i -> i.name() + " " + i.width()).collect(java.util.stream.Collectors.joining(", "))
                    + " input features; nothing was read or created)");
        }
    }

    /** The network's inputs as the headers give them, in feeding order (sample tables, then drug tables); null if a header cannot be read. */
    static List<InputSpec> inputs(ExperimentConfig config) {
        List<InputSpec> inputs = new ArrayList<>();
        try {
            for (var e : config.data().samples().entrySet()) {
                if (e.getValue() instanceof ExperimentConfig.ImageTableConfig img) {
                    inputs.add(InputSpec.image(e.getKey(), img.height(), img.width(), img.channels()));
                } else if (e.getValue() instanceof ExperimentConfig.MatrixTableConfig m) {
                    inputs.add(InputSpec.flat(e.getKey(), InputSpec.Kind.OMICS, Math.max(1, featureWidth(m))));
                }
            }
            for (var e : config.data().drugs().entrySet()) {
                inputs.add(InputSpec.flat(e.getKey(), InputSpec.Kind.DRUG, Math.max(1, fingerprintWidth(e.getValue()))));
            }
        } catch (RuntimeException unreadable) {
            return null;
        }
        return inputs;
    }

    /** The columns a matrix has, less its id and ignored columns; at most its {@code top_variance}. */
    static int featureWidth(ExperimentConfig.MatrixTableConfig m) {
        int columns = headerFeatures(m);
        Integer top = m.select() == null ? null : m.select().topVariance();
        return top == null ? columns : Math.min(top, columns);
    }

    /** The feature columns in a matrix's header (every column but the id and the ignored ones, as the reader takes them). */
    static int headerFeatures(ExperimentConfig.MatrixTableConfig m) {
        return org.oncobench.data.MatrixReader.featureColumns(Path.of(m.file()), m.id(), "data.samples", m.ignore() == null ? List.of() : m.ignore(),
                m.headerLines(), m.namesLine());
    }

    private static int fingerprintWidth(ExperimentConfig.FingerprintTableConfig fp) {
        if (!fp.isPrecomputed()) {
            return fp.bits();
        }
        try (DelimitedFile f = DelimitedFile.open(Path.of(fp.file()))) {
            boolean rows = "rows".equals(fp.precomputed()) || ("auto".equals(fp.precomputed()) && Arrays.asList(f.header()).contains(fp.id()));
            if (rows) {
                return f.header().length - 1;
            }
            int bits = 0;
            while (f.next() != null) {
                bits++;
            }
            return bits;
        }
    }
}
