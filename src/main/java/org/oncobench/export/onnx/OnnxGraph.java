package org.oncobench.export.onnx;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction, on the protobuf classes ND4J ships ({@code onnx.Onnx}): nodes with their
 * attributes, constant tensors (initializers, little-endian raw data) and the typed inputs and outputs. Value names
 * are unique: {@link #fresh} derives one from a hint.
 */
final class OnnxGraph {
    /** The batch dimension's symbolic name in every input and output shape. */
    static final String BATCH = "batch";
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final java.util.Map<String, Integer> ops = new java.util.TreeMap<>();

    OnnxGraph(String name, String doc) {
        graph.setName(name).setDocString(doc);
    }

    /** A name not used yet, {@code hint} itself when it is free. */
    String fresh(String hint) {
        String name = hint;
        for (int k = 1; !names.add(name); k++) {
            name = hint + "_" + k;
        }
        return name;
    }

    /** Reserves a name that must stay exactly as given (an input or output of the model). */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX value name used twice: " + name);
        }
    }

    /** A graph input of element type {@code type} and shape [batch, dims...]. */
    void input(String name, Onnx.TensorProto.DataType type, long... dims) {
        reserve(name);
        graph.addInput(valueInfo(name, type, dims));
    }

    /** Declares {@code name} (already produced by a node) a graph output of shape [batch, dims...]. */
    void output(String name, Onnx.TensorProto.DataType type, long... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static Onnx.ValueInfoProto valueInfo(String name, Onnx.TensorProto.DataType type, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        shape.addDimBuilder().setDimParam(BATCH);
        for (long d : dims) {
            shape.addDimBuilder().setDimValue(d);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    /** A float constant of the given shape (row-major data). */
    String floats(String hint, long[] dims, float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        return constant(hint, Onnx.TensorProto.DataType.FLOAT, dims, bytes.array(), data.length);
    }

    /** A double constant of the given shape (row-major data). */
    String doubles(String hint, long[] dims, double[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(data);
        return constant(hint, Onnx.TensorProto.DataType.DOUBLE, dims, bytes.array(), data.length);
    }

    /** An int64 constant of the given shape (shapes, axes, slice bounds). */
    String longs(String hint, long[] dims, long[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(data);
        return constant(hint, Onnx.TensorProto.DataType.INT64, dims, bytes.array(), data.length);
    }

    private String constant(String hint, Onnx.TensorProto.DataType type, long[] dims, byte[] raw, int count) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != count) {
            throw new IllegalStateException(hint + ": " + count + " values for a tensor of shape " + java.util.Arrays.toString(dims));
        }
        String name = fresh(hint);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node {@code op(inputs) -> output} and returns the output's name (fresh, from {@code hint}). */
    String node(String op, String hint, List<String> inputs, Onnx.AttributeProto... attributes) {
        String out = fresh(hint);
        nodeInto(op, out, inputs, attributes);
        return out;
    }

    /** Adds a node writing the output {@code out}, a name reserved by the caller (a graph output). */
    void nodeInto(String op, String out, List<String> inputs, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(fresh("node_" + out)).addAllInput(inputs).addOutput(out);
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        ops.merge(op, 1, Integer::sum);
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static Onnx.AttributeProto real(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static Onnx.AttributeProto text(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    /** How many nodes of each operator the graph has (sorted by operator). */
    java.util.Map<String, Integer> operators() {
        return java.util.Collections.unmodifiableMap(ops);
    }

    Onnx.GraphProto build() {
        return graph.build();
    }
}
