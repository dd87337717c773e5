package org.oncobench.data.synth;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders a grey-scale "cell painting" tile: a dim noisy background with bright round blobs. The number and
 * brightness of blobs follow the cell line's image factor, which the response depends on for some drugs.
 */
final class TileRenderer {
    private TileRenderer() {
    }

    static byte[] render(int size, double imageFactor, Rng rng) {
        double[] pixels = new double[size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 0.15 + 0.05 * rng.normal();
        }
        int blobs = (int) Math.max(0, Math.min(12, Math.round(5 + 2.5 * imageFactor + 0.5 * rng.normal())));
        double brightness = 0.55 + 0.1 * Math.tanh(imageFactor);
        double radius = size / 12.0;
        for (int b = 0; b < blobs; b++) {
            double cx = rng.uniform(0, size);
            double cy = rng.uniform(0, size);
            double r = radius * rng.uniform(0.8, 1.3);
            int lo = (int) Math.max(0, Math.floor(cy - 3 * r));
            int hi = (int) Math.min(size - 1, Math.ceil(cy + 3 * r));
            int left = (int) Math.max(0, Math.floor(cx - 3 * r));
            int right = (int) Math.min(size - 1, Math.ceil(cx + 3 * r));
            for (int y = lo; y <= hi; y++) {
                for (int x = left; x <= right; x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    pixels[y * size + x] += brightness * StrictMath.exp(-d2 / (2 * r * r));
                }
            }
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = (int) Math.round(255 * Math.max(0, Math.min(1, pixels[y * size + x])));
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
