package org.oncobench.model;

/**
 * One named network input, fed as a flat row per example: an omics matrix, a drug fingerprint or an image
 * (height x width x channels, flattened channel-first).
 */
public record InputSpec(String name, Kind kind, int width, int height, int imageWidth, int channels) {
    public enum Kind { OMICS, DRUG, IMAGE }

    public static InputSpec flat(String name, Kind kind, int width) {
        return new InputSpec(name, kind, width, 0, 0, 0);
    }

    public static InputSpec image(String name, int height, int imageWidth, int channels) {
        return new InputSpec(name, Kind.IMAGE, height * imageWidth * channels, height, imageWidth, channels);
    }

    /** The names of a pair network's two sides: per-sample inputs and drug inputs, in feeding order. */
    record Sides(java.util.List<String> samples, java.util.List<String> drugs) {
        /** Both sides of {@code inputs}; refused naming {@code kind} when either is empty. */
        static Sides of(java.util.List<InputSpec> inputs, String kind) {
            java.util.List<String> samples = new java.util.ArrayList<>();
            java.util.List<String> drugs = new java.util.ArrayList<>();
            for (InputSpec in : inputs) {
                (in.kind() == Kind.DRUG ? drugs : samples).add(in.name());
            }
            if (samples.isEmpty() || drugs.isEmpty()) {
                throw new IllegalArgumentException("model.kind " + kind + " needs per-sample and drug inputs, got " + inputs);
            }
            return new Sides(samples, drugs);
        }
    }
}
