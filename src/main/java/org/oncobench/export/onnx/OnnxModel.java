package org.oncobench.export.onnx;

import java.util.List;
import java.util.Map;

/**
 * An exported ONNX model: its serialised bytes (an {@code onnx.ModelProto}), the named float inputs in feeding order
 * (each [batch, width], raw features in the bundle's column order), the one double output ([batch, 1]), the opset and
 * how many nodes of each operator the graph has.
 */
public record OnnxModel(byte[] bytes, List<Input> inputs, String output, String outputMeaning, int opset, Map<String, Integer> operators) {
    /** One named input: the table's name, its kind in the input schema and its width. */
    public record Input(String name, String kind, int width) {
    }
}
