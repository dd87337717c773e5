package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.data.FingerprintReader;
import org.oncobench.export.RestServer.RequestException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Open Inference Protocol (KServe v2, REST) over a bundle, beside {@code serve}'s own API: {@code GET /v2},
 * {@code /v2/health/live}, {@code /v2/health/ready}, {@code /v2/models/{name}[/versions/{run id}]} (metadata: inputs,
 * outputs, shapes, datatypes), {@code .../ready} and {@code POST .../infer} with named tensors. The model's name is the
 * experiment's, its one version the run id.
 * <p>
 * Inputs are the tables the model was trained on, each a tensor [batch, width] of raw values in the input schema's
 * column order ({@code GET /schema}), any numeric datatype; where the schema records training medians a {@code null}
 * or {@code NaN} takes the column's median. A fingerprint table may instead come as BYTES [batch] of SMILES, which
 * the server fingerprints with the schema's ECFP settings. The output {@code prediction} is FP64 [batch, 1]: the
 * response in the target's units, or the positive class's probability, computed by the bundle's {@link Predictor}
 * exactly as {@code /predict} computes it. Requests get {@code /predict}'s limits (body size, instances, time) and its
 * 400s naming the field ({@code inputs[1].data[7]}). The binary tensor extension is not supported.
 */
final class OpenInferenceProtocol {
    private static final Set<String> NUMERIC = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
            "FP32", "FP64");

    /** One endpoint: its HTTP method and what it answers (the request body is null for GET). */
    record Route(String method, Function<JsonNode, JsonNode> answer) {
    }

    private final Predictor predictor;
    private final JsonNode schema;
    private final ObjectMapper json;
    private final String name;
    private final String version;
    private final String serverVersion;

    OpenInferenceProtocol(Bundle bundle, Predictor predictor, ObjectMapper json) {
        this.predictor = predictor;
        this.schema = bundle.schema();
        this.json = json;
        this.version = bundle.modelCard().path("run_id").asText();
        String experimentName;
        String oncobench;
        try {
            experimentName = new YAMLMapper().readTree(bundle.text(BundleFormat.EXPERIMENT)).path("name").asText("model");
            oncobench = json.readTree(bundle.text(BundleFormat.PROVENANCE)).path("versions").path("oncobench").asText("unknown");
        } catch (IOException e) {
            throw new BadInputException(bundle.file() + ": unreadable experiment or provenance (" + e.getMessage() + ")");
        }
        this.name = experimentName;
        this.serverVersion = oncobench;
    }

    /** The model's name in the protocol's paths ({@code /v2/models/{name}}): the experiment's name. */
    String modelName() {
        return name;
    }

    /** The endpoint for a path under {@code /v2}, or null when there is none. */
    Route route(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        switch (p) {
            case "/v2":
                return new Route("GET", body -> serverMetadata());
            case "/v2/health/live":
                return new Route("GET", body -> json.createObjectNode().put("live", true));
            case "/v2/health/ready":
                return new Route("GET", body -> json.createObjectNode().put("ready", true));
            default:
                break;
        }
        if (!p.startsWith("/v2/models/")) {
            return null;
        }
        String[] parts = p.substring("/v2/models/".length()).split("/", -1);
        String model = parts[0];
        int at = 1;
        String requested = null;
        if (parts.length >= 3 && parts[1].equals("versions")) {
            requested = parts[2];
            at = 3;
        }
        String action = parts.length == at ? "" : parts.length == at + 1 ? parts[at] : null;
        if (action == null || model.isEmpty()) {
            return null;
        }
        String version = requested;
        return switch (action) {
            case "" -> new Route("GET", body -> {
                check(model, version);
                return metadata();
            });
            case "ready" -> new Route("GET", body -> {
                check(model, version);
                return json.createObjectNode().put("name", name).put("ready", true);
            });
            case "infer" -> new Route("POST", body -> {
                check(model, version);
                return infer(body);
            });
            default -> null;
        };
    }

    /** The endpoints, for the service's 404 message. */
    static String endpoints() {
        return "GET /v2, GET /v2/health/live, GET /v2/health/ready, GET /v2/models/{name}, GET /v2/models/{name}/ready, "
                + "POST /v2/models/{name}/infer (also under /v2/models/{name}/versions/{version}/...)";
    }

    private void check(String model, String requested) {
        if (!model.equals(name)) {
            throw new RequestException(404, "no model '" + model + "' here; this server serves '" + name + "' (GET /v2/models/" + name + ")", null);
        }
        if (requested != null && !requested.equals(version)) {
            throw new RequestException(404, "model '" + name + "' has no version '" + requested + "'; its one version is " + version, null);
        }
    }

    private JsonNode serverMetadata() {
        ObjectNode n = json.createObjectNode();
        n.put("name", "oncobench");
        n.put("version", serverVersion);
        n.putArray("extensions");
        return n;
    }

    private JsonNode metadata() {
        ObjectNode n = json.createObjectNode();
        n.put("name", name);
        n.putArray("versions").add(version);
        n.put("platform", "oncobench_dl4j");
        ArrayNode inputs = n.putArray("inputs");
        for (JsonNode in : predictor.inputs()) {
            ObjectNode t = inputs.addObject();
            t.put("name", in.path("name").asText());
            t.put("datatype", "FP32");
            t.putArray("shape").add(-1).add(in.path("width").asInt());
            ObjectNode params = t.putObject("parameters");
            params.put("kind", in.path("kind").asText());
            params.put("content", "raw values in the column order of GET /schema" + (in.path("fill").isArray()
                    ? "; null or NaN takes the training median" : ""));
            if ("fingerprint".equals(in.path("kind").asText())) {
                params.put("also_accepts", "BYTES [-1]: SMILES, fingerprinted as ECFP radius " + in.path("fingerprint").path("radius").asInt()
                        + ", " + in.path("fingerprint").path("bits").asInt() + " bits");
            }
        }
        ObjectNode out = n.putArray("outputs").addObject();
        out.put("name", org.oncobench.export.onnx.OnnxConverter.OUTPUT);
        out.put("datatype", "FP64");
        out.putArray("shape").add(-1).add(1);
        out.putObject("parameters").put("content", schema.path("output").asText());
        return n;
    }

    /** A request's tensor for one schema input: raw rows, or SMILES to fingerprint. */
    private record Tensor(int index, int rows, float[][] values, String[] smiles) {
    }

    private JsonNode infer(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("inputs").isArray() || body.path("inputs").isEmpty()) {
            throw new RequestException(400, "expected {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}, ...]} (Open Inference Protocol)", "inputs");
        }
        JsonNode requestedOutputs = body.path("outputs");
        if (!requestedOutputs.isMissingNode() && !requestedOutputs.isNull()) {
            if (!requestedOutputs.isArray()) {
                throw new RequestException(400, "outputs: expected a list of {\"name\"}", "outputs");
            }
            for (int o = 0; o < requestedOutputs.size(); o++) {
                String out = requestedOutputs.get(o).path("name").asText();
                if (!out.equals(org.oncobench.export.onnx.OnnxConverter.OUTPUT)) {
                    throw new RequestException(400, "outputs[" + o + "].name: '" + out + "' is not an output of this model; it has one, '"
                            + org.oncobench.export.onnx.OnnxConverter.OUTPUT + "'", "outputs[" + o + "].name");
                }
            }
        }
        List<JsonNode> declared = predictor.inputs();
        Map<String, Integer> position = new HashMap<>();
        for (int k = 0; k < declared.size(); k++) {
            position.put(declared.get(k).path("name").asText(), k);
        }
        Tensor[] tensors = new Tensor[declared.size()];
        JsonNode inputs = body.path("inputs");
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode in = inputs.get(t);
            String at = "inputs[" + t + "]";
            String tensorName = in.path("name").asText(null);
            Integer k = tensorName == null ? null : position.get(tensorName);
            if (k == null) {
                throw new RequestException(400, at + ".name: " + (tensorName == null ? "missing" : "'" + tensorName + "' is not an input of this model")
                        + "; its inputs are " + position.keySet().stream().sorted().toList(), at + ".name");
            }
            if (tensors[k] != null) {
                throw new RequestException(400, at + ".name: '" + tensorName + "' is given twice", at + ".name");
            }
            tensors[k] = tensor(in, t, declared.get(k));
        }
        int n = -1;
        for (int k = 0; k < tensors.length; k++) {
            String input = declared.get(k).path("name").asText();
            if (tensors[k] == null) {
                throw new RequestException(400, "inputs: '" + input + "' is missing; this model needs " + position.keySet().stream().sorted().toList(), "inputs");
            }
            if (n >= 0 && tensors[k].rows() != n) {
                throw new RequestException(400, "inputs[" + tensors[k].index() + "].shape: " + tensors[k].rows() + " rows where the other inputs have " + n
                        + "; every input needs one row per prediction", "inputs[" + tensors[k].index() + "].shape");
            }
            n = tensors[k].rows();
        }
        float[][][] rows = new float[tensors.length][][];
        for (int k = 0; k < tensors.length; k++) {
            rows[k] = tensors[k].smiles() == null ? tensors[k].values() : fingerprints(tensors[k], declared.get(k));
        }
        double[] values;
        try {
            values = predictor.predictRows(n, (k, i) -> rows[k][i]);
        } catch (InputFieldException e) {
            throw new RequestException(400, e.getMessage().replaceFirst("^request ", "row "), "inputs");
        }
        ObjectNode out = json.createObjectNode();
        out.put("model_name", name);
        out.put("model_version", version);
        if (body.path("id").isTextual()) {
            out.put("id", body.path("id").asText());
        }
        ObjectNode tensor = out.putArray("outputs").addObject();
        tensor.put("name", org.oncobench.export.onnx.OnnxConverter.OUTPUT);
        tensor.put("datatype", "FP64");
        tensor.putArray("shape").add(n).add(1);
        ArrayNode data = tensor.putArray("data");
        for (double v : values) {
            data.add(v);
        }
        return out;
    }

    private Tensor tensor(JsonNode in, int index, JsonNode declared) {
        String at = "inputs[" + index + "]";
        String input = declared.path("name").asText();
        int width = declared.path("width").asInt();
        String datatype = in.path("datatype").asText("");
        JsonNode shape = in.path("shape");
        if (!shape.isArray() || shape.isEmpty()) {
            throw new RequestException(400, at + ".shape: expected [rows, " + width + "]", at + ".shape");
        }
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber() || d.asLong() < 1) {
                throw new RequestException(400, at + ".shape: " + shape + " must hold positive whole numbers", at + ".shape");
            }
        }
        long rows = shape.get(0).asLong();
        if (rows > RestServer.MAX_INSTANCES) {
            throw new RequestException(400, at + ".shape: " + rows + " rows; at most " + RestServer.MAX_INSTANCES + " per request", at + ".shape");
        }
        List<JsonNode> data = new ArrayList<>();
        flatten(in.path("data"), data, at + ".data");
        boolean fingerprint = "fingerprint".equals(declared.path("kind").asText());
        if (datatype.equals("BYTES")) {
            if (!fingerprint) {
                throw new RequestException(400, at + ".datatype: BYTES (SMILES) is for fingerprint inputs; '" + input + "' takes numbers (FP32)", at + ".datatype");
            }
            if (shape.size() > 2 || (shape.size() == 2 && shape.get(1).asLong() != 1)) {
                throw new RequestException(400, at + ".shape: SMILES come as [rows] or [rows, 1], got " + shape, at + ".shape");
            }
            if (data.size() != rows) {
                throw new RequestException(400, at + ".data: " + data.size() + " values for shape " + shape, at + ".data");
            }
            String[] smiles = new String[(int) rows];
            for (int i = 0; i < rows; i++) {
                if (!data.get(i).isTextual() || data.get(i).asText().isBlank()) {
                    throw new RequestException(400, at + ".data[" + i + "]: expected a SMILES string", at + ".data[" + i + "]");
                }
                smiles[i] = data.get(i).asText();
            }
            return new Tensor(index, (int) rows, null, smiles);
        }
        if (!NUMERIC.contains(datatype)) {
            throw new RequestException(400, at + ".datatype: '" + datatype + "' is not supported; send FP32 (any numeric datatype is read as numbers)"
                    + (fingerprint ? ", or BYTES of SMILES" : ""), at + ".datatype");
        }
        if (shape.size() != 2 || shape.get(1).asLong() != width) {
            throw new RequestException(400, at + ".shape: " + shape + " where '" + input + "' is [rows, " + width + "]", at + ".shape");
        }
        if (data.size() != rows * width) {
            throw new RequestException(400, at + ".data: " + data.size() + " values for shape " + shape + " (" + rows * width + " expected)", at + ".data");
        }
        JsonNode fill = declared.path("fill");
        float[][] values = new float[(int) rows][width];
        for (int i = 0; i < data.size(); i++) {
            JsonNode v = data.get(i);
            int r = i / width;
            int c = i % width;
            String field = at + ".data[" + i + "]";
            boolean missing = v.isNull() || (v.isNumber() && Double.isNaN(v.asDouble()));
            if (missing && fill.isArray()) {
                values[r][c] = (float) fill.get(c).asDouble();
                continue;
            }
            if (!v.isNumber() && !v.isBoolean()) {
                throw new RequestException(400, field + ": " + v + " is not a number" + (v.isNull() ? " ('" + input + "' records no training medians to fill it)" : ""), field);
            }
            double x = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
            if (!Double.isFinite(x) || Math.abs(x) > Float.MAX_VALUE) {
                throw new RequestException(400, field + ": " + v.asText() + (Double.isFinite(x) ? " is outside the range of the model's 32-bit floats (about ±3.4e38)"
                        : " is not a finite number") + (Double.isNaN(x) ? " ('" + input + "' records no training medians to fill it)" : ""), field);
            }
            values[r][c] = (float) x;
        }
        return new Tensor(index, (int) rows, values, null);
    }

    /** The data of a tensor, flat in row-major order (the protocol allows nested lists as well as a flat one). */
    private static void flatten(JsonNode node, List<JsonNode> out, String field) {
        if (!node.isArray()) {
            throw new RequestException(400, field + ": expected a list of values", field);
        }
        for (JsonNode v : node) {
            if (v.isArray()) {
                flatten(v, out, field);
            } else {
                out.add(v);
            }
            if (out.size() > RestServer.MAX_BODY) {
                throw new RequestException(400, field + ": too many values", field);
            }
        }
    }

    private static float[][] fingerprints(Tensor t, JsonNode declared) {
        Function<String, float[]> fingerprinter = FingerprintReader.fingerprinter(declared.path("fingerprint").path("radius").asInt(),
                declared.path("fingerprint").path("bits").asInt());
        float[][] out = new float[t.rows()][];
        for (int i = 0; i < t.rows(); i++) {
            String field = "inputs[" + t.index() + "].data[" + i + "]";
            try {
                out[i] = fingerprinter.apply(t.smiles()[i]);
            } catch (RuntimeException e) { // the SMILES is at fault, whether CDK cannot parse it or cannot fingerprint it
                throw new RequestException(400, field + ": CDK cannot fingerprint '" + t.smiles()[i] + "' (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", field);
            }
        }
        return out;
    }
}
