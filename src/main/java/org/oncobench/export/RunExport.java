package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.deeplearning4j.util.ModelSerializer;
import org.oncobench.config.BadInputException;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every export of a run reads (the bundle, {@code model.onnx}, the model card): a completed run's folder with
 * one model, its input schema (with the intervals' calibration when the run has one), resolved experiment, provenance,
 * metrics, run record and, for an ensemble, the other members' files. Refuses a run that has no single model.
 */
record RunExport(String runId, Path dir, RunRecord record, byte[] schemaBytes, JsonNode schema, JsonNode experiment, JsonNode metrics,
                 JsonNode provenance, Map<String, Path> members) {

    static RunExport load(RunStore store, String runId) {
        Path dir = store.dirOf(runId);
        RunRecord record = RunRecords.effective(RunRecords.read(dir).orElseThrow());
        if (!RunStatus.COMPLETED.label().equals(record.status())) {
            throw new BadInputException("run " + runId + " is " + record.status() + "; only completed runs can be exported");
        }
        if (!Files.isRegularFile(dir.resolve("model.zip"))) {
            throw new BadInputException("run " + runId + " has no model.zip (k-fold runs estimate performance and keep no model unless "
                    + "split.final_model: true); export a run with a single split, or run the k-fold again with split.final_model: true");
        }
        try {
            ObjectMapper json = new ObjectMapper();
            byte[] schema = schemaOf(dir.resolve("model.zip"));
            JsonNode metrics = json.readTree(dir.resolve("metrics.json").toFile());
            if (metrics.path("uncertainty").path("calibration").isObject()) { // the intervals' calibration travels with the input contract
                ObjectNode withCalibration = (ObjectNode) json.readTree(schema);
                withCalibration.set("uncertainty", metrics.path("uncertainty").path("calibration"));
                schema = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(withCalibration);
            }
            JsonNode provenance = json.readTree(dir.resolve("provenance.json").toFile());
            JsonNode experiment = new YAMLMapper().readTree(dir.resolve("experiment.yaml").toFile());
            // an ensemble's other members (model.ensemble, or uncertainty.kind: ensemble), listed in the manifest like every entry
            int count = Predictor.members(json.readTree(schema)) - 1;
            Map<String, Path> members = new LinkedHashMap<>();
            for (int m = 1; m <= count; m++) {
                Path member = dir.resolve("ensemble").resolve("member-" + m + ".zip");
                if (!Files.isRegularFile(member)) {
                    throw new BadInputException(member + " is missing: the run's ensemble is incomplete, so its intervals cannot be exported");
                }
                members.put(BundleFormat.member(m), member);
            }
            return new RunExport(runId, dir, record, schema, json.readTree(schema), experiment, metrics, provenance, members);
        } catch (IOException e) {
            throw new BadInputException("cannot export run " + runId + " (" + e.getMessage() + ")");
        }
    }

    Path modelFile() {
        return dir.resolve("model.zip");
    }

    byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    /** The model's name for people: the experiment's name and the model kind. */
    String modelName() {
        return experiment.path("name").asText() + " (" + metrics.path("model").path("kind").asText() + ")";
    }

    private static byte[] schemaOf(Path modelZip) throws IOException {
        Object schema = ModelSerializer.getObjectFromFile(modelZip.toFile(), "input_schema.json");
        if (!(schema instanceof String text)) {
            throw new BadInputException(modelZip + " has no input schema (made by an older oncobench?)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
