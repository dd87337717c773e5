package org.oncobench.data;

import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.ImageTableConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads image tiles per sample from {@code dir/<sample id>/} (PNG, JPEG, TIFF) with DataVec's
 * {@link NativeImageLoader}, resized to the configured height x width x channels and scaled to [0, 1]. A sample's
 * tiles are averaged pixel-wise into one input row; samples without a folder or without tiles do not join.
 */
public final class ImageTableReader {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff");

    /** The tiles of one sample averaged pixel-wise and scaled to [0, 1], as in training. */
    public static float[] meanTile(List<Path> tiles, int height, int width, int channels) {
        return meanTile(new NativeImageLoader(height, width, channels), tiles, height * width * channels);
    }

    private static float[] meanTile(NativeImageLoader loader, List<Path> tiles, int size) {
        float[] mean = new float[size];
        for (Path tile : tiles) {
            INDArray image;
            requireDecodable(tile);
            try {
                image = loader.asMatrix(tile.toFile());
            } catch (IOException | RuntimeException e) {
                throw new BadInputException(tile + ": cannot read image (" + e.getMessage() + ")");
            }
            if (image == null || image.length() != size) {
                throw new BadInputException(tile + ": cannot read image (unsupported or corrupt file)");
            }
            float[] pixels = image.reshape(size).toFloatVector();
            for (int i = 0; i < size; i++) {
                mean[i] += pixels[i] / 255f / tiles.size();
            }
        }
        return mean;
    }

    /**
     * Refuses a tile Java's own decoders cannot read before it reaches OpenCV and Leptonica, whose native error
     * printing ("libpng error", "Error in pixReadMem") would otherwise reach the console beside oncobench's message.
     */
    private static void requireDecodable(Path tile) {
        try {
            if (javax.imageio.ImageIO.read(tile.toFile()) == null) {
                throw new BadInputException(tile + ": cannot read image (not a PNG, JPEG or TIFF file)");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(tile + ": cannot read image (corrupt or truncated: " + e.getMessage() + ")");
        }
    }

    /** The image files in a sample's folder, in name order. */
    public static List<Path> tilesIn(Path sampleDir) {
        try (Stream<Path> s = Files.list(sampleDir)) {
            return s.filter(p -> EXTENSIONS.stream().anyMatch(ext -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(sampleDir + ": cannot list tiles (" + e.getMessage() + ")");
        }
    }

    public FeatureTable read(String name, ImageTableConfig config, String configKey) {
        Path dir = Path.of(config.dir());
        int width = config.height() * config.width() * config.channels();
        NativeImageLoader loader = new NativeImageLoader(config.height(), config.width(), config.channels());
        List<String> ids = new ArrayList<>();
        MatrixReader.FloatBuffer values = new MatrixReader.FloatBuffer(1 << 16);
        List<Path> sampleDirs;
        try (Stream<Path> s = Files.list(dir)) {
            sampleDirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot list " + configKey + ".dir (" + e.getMessage() + ")");
        }
        for (Path sampleDir : sampleDirs) {
            List<Path> tiles = tilesIn(sampleDir);
            if (tiles.isEmpty()) {
                continue;
            }
            ids.add(Ids.normalise(sampleDir.getFileName().toString()));
            for (float v : meanTile(loader, tiles, width)) {
                values.add(v);
            }
        }
        if (ids.isEmpty()) {
            throw new BadInputException(dir + ": no image tiles found (" + configKey + " expects DIR/<sample id>/*.png|jpg|tif)");
        }
        List<String> columns = new ArrayList<>(width);
        for (int c = 0; c < config.channels(); c++) {
            for (int y = 0; y < config.height(); y++) {
                for (int x = 0; x < config.width(); x++) {
                    columns.add("px_c" + c + "_y" + y + "_x" + x);
                }
            }
        }
        return new FeatureTable(name, ids, columns, values.toArray());
    }
}
