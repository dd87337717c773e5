package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.data.Cohort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve}'s Open Inference Protocol (KServe v2) endpoints, driven as a KServe v2 client drives them: health,
 * metadata, and infer requests with named tensors whose answers are compared with {@code /predict}'s for the same rows.
 */
class OpenInferenceProtocolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SMILES = List.of("CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "CN1C=NC2=C1C(=O)N(C(=O)N2C)C", "c1ccc2ccccc2c1");
    @TempDir
    static Path dir;
    static RestServer server;
    static ZooBundles.Made made;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws IOException {
        float[] medians = new float[12];
        for (int j = 0; j < 12; j++) {
            medians[j] = 0.1f * j;
        }
        made = ZooBundles.make(dir, new ZooBundles.Case("multimodal", "dense", false, "relu", true, true, false), Map.of("omics", medians));
        server = new RestServer(Bundle.open(made.bundle()), "127.0.0.1", 0, 2);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthServerAndModelMetadataFollowTheProtocol() throws Exception {
        assertEquals("{\"live\":true}", get("/v2/health/live").body());
        assertEquals("{\"ready\":true}", get("/v2/health/ready").body());
        assertEquals("oncobench", JSON.readTree(get("/v2").body()).path("name").asText());
        HttpResponse<String> meta = get("/v2/models/zoo");
        assertEquals(200, meta.statusCode(), meta.body());
        JsonNode m = JSON.readTree(meta.body());
        assertEquals("zoo", m.path("name").asText());
        assertEquals(made.runId(), m.path("versions").get(0).asText());
        assertEquals("omics", m.path("inputs").get(0).path("name").asText());
        assertEquals("FP32", m.path("inputs").get(0).path("datatype").asText());
        assertEquals("[-1,12]", m.path("inputs").get(0).path("shape").toString());
        assertEquals("[-1,16]", m.path("inputs").get(1).path("shape").toString());
        assertTrue(m.path("inputs").get(1).path("parameters").path("also_accepts").asText().startsWith("BYTES"), m.toString());
        assertEquals("prediction", m.path("outputs").get(0).path("name").asText());
        assertEquals("FP64", m.path("outputs").get(0).path("datatype").asText());
        assertEquals("[-1,1]", m.path("outputs").get(0).path("shape").toString());
        assertEquals(200, get("/v2/models/zoo/versions/" + made.runId() + "/ready").statusCode());
        assertEquals(404, get("/v2/models/zoo/versions/other/ready").statusCode());
        HttpResponse<String> unknown = get("/v2/models/other");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("this server serves 'zoo'"), unknown.body());
        assertEquals(405, get("/v2/models/zoo/infer").statusCode());
        assertEquals(404, get("/v2/models/zoo/explain").statusCode());
    }

    /** /predict's body for rows [0, n): genes by name, the drug by fingerprint bits or by SMILES. */
    static String predictBody(Cohort c, int n, boolean smiles) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        for (int i = 0; i < n; i++) {
            float[][] raw = ZooBundles.raw(c, i);
            ObjectNode instance = instances.addObject();
            ObjectNode sample = instance.putObject("sample").put("id", "s" + i);
            ObjectNode omics = sample.putObject("omics");
            for (int j = 0; j < 12; j++) {
                omics.put(c.sampleTables().get(0).columns().get(j), raw[0][j]);
            }
            ObjectNode drug = instance.putObject("drug").put("id", "d" + i);
            if (smiles) {
                drug.put("smiles", SMILES.get(i % SMILES.size()));
            } else {
                ArrayNode bits = drug.putArray("fingerprint");
                for (float b : raw[1]) {
                    bits.add(b);
                }
            }
        }
        return body.toString();
    }

    /** The same rows as an Open Inference Protocol request: omics as a flat FP32 tensor, the drug as nested FP32 rows or BYTES SMILES. */
    static ObjectNode inferBody(Cohort c, int n, boolean smiles) {
        ObjectNode body = JSON.createObjectNode().put("id", "request-7");
        ArrayNode inputs = body.putArray("inputs");
        ObjectNode omics = inputs.addObject().put("name", "omics").put("datatype", "FP32");
        omics.putArray("shape").add(n).add(12);
        ArrayNode data = omics.putArray("data");
        ObjectNode drugs = inputs.addObject().put("name", "fingerprints").put("datatype", smiles ? "BYTES" : "FP32");
        if (smiles) {
            drugs.putArray("shape").add(n);
        } else {
            drugs.putArray("shape").add(n).add(16);
        }
        ArrayNode drugData = drugs.putArray("data");
        for (int i = 0; i < n; i++) {
            float[][] raw = ZooBundles.raw(c, i);
            for (float v : raw[0]) {
                data.add(v);
            }
            if (smiles) {
                drugData.add(SMILES.get(i % SMILES.size()));
            } else {
                ArrayNode row = drugData.addArray();
                for (float b : raw[1]) {
                    row.add(b);
                }
            }
        }
        body.putArray("outputs").addObject().put("name", "prediction");
        return body;
    }

    @Test
    void inferGivesExactlyTheNumbersOfPredict() throws Exception {
        Cohort c = made.cohort();
        int n = 30;
        for (boolean smiles : new boolean[]{false, true}) {
            HttpResponse<String> predict = post("/predict", predictBody(c, n, smiles));
            assertEquals(200, predict.statusCode(), predict.body());
            HttpResponse<String> infer = post("/v2/models/zoo/infer", inferBody(c, n, smiles).toString());
            assertEquals(200, infer.statusCode(), infer.body());
            JsonNode v2 = JSON.readTree(infer.body());
            assertEquals("zoo", v2.path("model_name").asText());
            assertEquals(made.runId(), v2.path("model_version").asText());
            assertEquals("request-7", v2.path("id").asText());
            JsonNode out = v2.path("outputs").get(0);
            assertEquals("prediction", out.path("name").asText());
            assertEquals("FP64", out.path("datatype").asText());
            assertEquals("[" + n + ",1]", out.path("shape").toString());
            JsonNode expected = JSON.readTree(predict.body()).path("predictions");
            double spread = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(expected.get(i).path("value").asDouble(), out.path("data").get(i).asDouble(), 0.0, (smiles ? "SMILES" : "bits") + ", row " + i);
                spread = Math.max(spread, Math.abs(out.path("data").get(i).asDouble() - out.path("data").get(0).asDouble()));
            }
            assertTrue(spread > 1e-3, "the rows' predictions differ");
        }
        // the versioned path answers the same
        HttpResponse<String> versioned = post("/v2/models/zoo/versions/" + made.runId() + "/infer", inferBody(c, 2, false).toString());
        assertEquals(JSON.readTree(post("/v2/models/zoo/infer", inferBody(c, 2, false).toString()).body()).path("outputs"),
                JSON.readTree(versioned.body()).path("outputs"));
    }

    @Test
    void aNullWhereTheSchemaRecordsMediansTakesTheMedianAsALeftOutGeneDoes() throws Exception {
        Cohort c = made.cohort();
        ObjectNode infer = inferBody(c, 1, false);
        ArrayNode omics = (ArrayNode) infer.path("inputs").get(0).path("data");
        omics.set(3, JSON.nullNode());
        ObjectNode predict = (ObjectNode) JSON.readTree(predictBody(c, 1, false));
        ((ObjectNode) predict.path("instances").get(0).path("sample").path("omics")).remove(c.sampleTables().get(0).columns().get(3));
        double v2 = JSON.readTree(post("/v2/models/zoo/infer", infer.toString()).body()).path("outputs").get(0).path("data").get(0).asDouble();
        double own = JSON.readTree(post("/predict", predict.toString()).body()).path("predictions").get(0).path("value").asDouble();
        assertEquals(own, v2, 0.0);
        double full = JSON.readTree(post("/predict", predictBody(c, 1, false)).body()).path("predictions").get(0).path("value").asDouble();
        assertTrue(Math.abs(full - v2) > 1e-6, "the median is not the measured value");
    }

    /** Posts {@code body} to infer, expects 400, and returns the field the error names. */
    static String refused(ObjectNode body) throws Exception {
        HttpResponse<String> r = post("/v2/models/zoo/infer", body.toString());
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body());
        assertTrue(error.path("error").asText().length() > 10, r.body());
        return error.path("field").asText();
    }

    @Test
    void badRequestsGet400sNamingTheTensorAndValue() throws Exception {
        Cohort c = made.cohort();
        ObjectNode shape = inferBody(c, 2, false);
        ((ArrayNode) shape.path("inputs").get(0).path("shape")).set(1, JSON.getNodeFactory().numberNode(11));
        assertEquals("inputs[0].shape", refused(shape));

        ObjectNode count = inferBody(c, 2, false);
        ((ArrayNode) count.path("inputs").get(0).path("data")).remove(0);
        assertEquals("inputs[0].data", refused(count));

        ObjectNode rows = inferBody(c, 2, false);
        ((ArrayNode) rows.path("inputs")).set(1, inferBody(c, 3, false).path("inputs").get(1));
        assertEquals("inputs[1].shape", refused(rows)); // 3 drugs for 2 samples

        ObjectNode text = inferBody(c, 2, false);
        ((ArrayNode) text.path("inputs").get(0).path("data")).set(5, JSON.getNodeFactory().textNode("high"));
        assertEquals("inputs[0].data[5]", refused(text));

        ObjectNode noFill = inferBody(c, 2, false);
        ((ArrayNode) noFill.path("inputs").get(1).path("data").get(1)).set(2, JSON.nullNode());
        assertEquals("inputs[1].data[18]", refused(noFill)); // fingerprints record no medians

        String infinite = inferBody(c, 1, false).toString().replaceFirst("\"data\":\\[[-0-9.E]+", "\"data\":[Infinity");
        HttpResponse<String> inf = post("/v2/models/zoo/infer", infinite);
        assertEquals(400, inf.statusCode(), inf.body());
        assertTrue(inf.body().contains("inputs[0].data[0]") && inf.body().contains("not a finite number"), inf.body());

        ObjectNode missing = inferBody(c, 2, false);
        ((ArrayNode) missing.path("inputs")).remove(1);
        assertEquals("inputs", refused(missing));

        ObjectNode unknown = inferBody(c, 2, false);
        ((ObjectNode) unknown.path("inputs").get(1)).put("name", "fingerprint");
        assertEquals("inputs[1].name", refused(unknown));

        ObjectNode bytes = inferBody(c, 2, false);
        ((ObjectNode) bytes.path("inputs").get(0)).put("datatype", "BYTES");
        assertEquals("inputs[0].datatype", refused(bytes));

        ObjectNode smiles = inferBody(c, 2, true);
        ((ArrayNode) smiles.path("inputs").get(1).path("data")).set(1, JSON.getNodeFactory().textNode("C1CC(("));
        assertEquals("inputs[1].data[1]", refused(smiles));

        ObjectNode output = inferBody(c, 2, false);
        ((ObjectNode) output.path("outputs").get(0)).put("name", "interval");
        assertEquals("outputs[0].name", refused(output));

        ObjectNode many = inferBody(c, 1, false);
        ((ArrayNode) many.path("inputs").get(0).path("shape")).set(0, JSON.getNodeFactory().numberNode(RestServer.MAX_INSTANCES + 1));
        assertEquals("inputs[0].shape", refused(many)); // /predict's limit on instances, before the data are read

        assertEquals("inputs", JSON.readTree(post("/v2/models/zoo/infer", "{\"instances\": []}").body()).path("field").asText());
        HttpResponse<String> notJson = post("/v2/models/zoo/infer", "{\"inputs\": [");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("not valid JSON"), notJson.body());
        // /predict's body limit
        HttpResponse<String> huge = post("/v2/models/zoo/infer", "[" + "0,".repeat(RestServer.MAX_BODY / 2) + "0]");
        assertEquals(413, huge.statusCode(), huge.body().substring(0, Math.min(200, huge.body().length())));
    }
}
