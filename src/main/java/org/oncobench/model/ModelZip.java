package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a ComputationGraph in DL4J's model-zip format (the entries {@link ModelSerializer#writeModel} writes, plus its
 * normaliser entry and {@code objects/} entries as {@code addNormalizerToModel} and {@code addObjectToFile} add them),
 * in one pass and without compressing the arrays. DL4J deflates them, which for float parameters saves about 5% of the
 * size for most of the time a checkpoint takes (quickstart MLP: 130 of 145 ms per checkpoint; ModelSerializerTest
 * style round trip in ModelZipTest). {@link ModelSerializer} reads the files as it reads its own.
 */
public final class ModelZip {
    private ModelZip() {
    }

    /**
     * @param normalizer DL4J normaliser to store (null: none)
     * @param objects    entries stored as {@code addObjectToFile} stores them (Java-serialised, under {@code objects/})
     */
    public static void write(ComputationGraph net, Path file, boolean withUpdater, Normalizer<?> normalizer, Map<String, ? extends Serializable> objects)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelSerializer.CONFIGURATION_JSON, net.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        INDArray params = net.params();
        if (params != null) {
            entries.put(ModelSerializer.COEFFICIENTS_BIN, array(params));
        } else {
            entries.put(ModelSerializer.NO_PARAMS_MARKER, new byte[0]);
        }
        if (withUpdater && net.getUpdater() != null) {
            INDArray state = net.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                entries.put(ModelSerializer.UPDATER_BIN, array(state));
            }
        }
        if (normalizer != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            NormalizerSerializer.getDefault().write(normalizer, bytes);
            entries.put(ModelSerializer.NORMALIZER_BIN, bytes.toByteArray());
        }
        if (objects != null) {
            for (Map.Entry<String, ? extends Serializable> o : objects.entrySet()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(o.getValue());
                }
                entries.put("objects/" + o.getKey(), bytes.toByteArray());
            }
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** Without normaliser or objects: a checkpoint. */
    public static void write(ComputationGraph net, Path file, boolean withUpdater) throws IOException {
        write(net, file, withUpdater, null, null);
    }

    /** ND4J's own array format ({@link Nd4j#write}), into memory first: written straight into a zip it went float by float through the deflater. */
    private static byte[] array(INDArray a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, a.length() * 4 + 1024));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
            Nd4j.write(a, out);
        }
        return bytes.toByteArray();
    }
}
