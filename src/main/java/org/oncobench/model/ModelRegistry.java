package org.oncobench.model;

import org.oncobench.config.BadInputException;

import java.util.Map;

/** Maps {@code model.kind} to its builder. */
public final class ModelRegistry {
    private static final Map<String, NetworkBuilder> BUILDERS = Map.of("mlp", new MlpModel(), "resmlp", new ResMlpModel(), "twin", new TwinModel(),
            "cnn", new CnnModel(), "multimodal", new MultimodalModel(), "film", new FilmModel(), "factorization", new FactorizationModel());

    private ModelRegistry() {
    }

    public static NetworkBuilder forKind(String kind) {
        NetworkBuilder b = BUILDERS.get(kind);
        if (b == null) {
            throw new BadInputException("model.kind: '" + kind + "' is not supported; allowed: " + String.join(", ", BUILDERS.keySet()));
        }
        return b;
    }
}
