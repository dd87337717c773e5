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
}
