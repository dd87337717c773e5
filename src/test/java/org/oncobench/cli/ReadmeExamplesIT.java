package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.export.Bundle;
import org.oncobench.export.RestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Using an exported model" examples, run as written: the Java snippet and the request the curl sends. */
class ReadmeExamplesIT {
    @TempDir
    Path dir;

    @Test
    void javaSnippetAndRestRequestWorkAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Path runs = dir.resolve("runs");
        assertEquals(0, RunCommandIT.cli("run", "experiments/quickstart.yaml", "--runs-dir", runs.toString(), "--set", "training.epochs=2",
                "--set", "evaluation.baselines=[drug_mean]").code());
        String id = RunCommandIT.runFolders(runs).get(0).getFileName().toString();
        Path bundle = dir.resolve("model.zip");
        assertEquals(0, RunCommandIT.cli("export", id, "--out", bundle.toString(), "--runs-dir", runs.toString()).code());

        // the README has several Java blocks (the notebook API too); this one is the program named ScoreOne
        Matcher java = Pattern.compile("```java\\n((?:(?!```).)*?public class ScoreOne.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(java.find(), "README has the ScoreOne Java example");
        Path source = dir.resolve("ScoreOne.java");
        Files.writeString(source, java.group(1));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                "target/oncobench.jar:target/lib/*", source.toString(), bundle.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        Matcher line = Pattern.compile("ACH-900001 x 9001: LN_IC50 (-?[0-9.]+(E-?[0-9]+)?)").matcher(output);
        assertTrue(line.find(), output);
        double fromSnippet = Double.parseDouble(line.group(1));

        Matcher awk = Pattern.compile("(awk -F, .*?> request\\.json)", Pattern.DOTALL).matcher(readme);
        assertTrue(awk.find(), "README builds request.json with awk");
        Process build = new ProcessBuilder("bash", "-c", awk.group(1).replace("request.json", dir.resolve("request.json").toString()))
                .redirectErrorStream(true).start();
        String buildOut = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, build.waitFor(), buildOut);
        try (RestServer server = new RestServer(Bundle.open(bundle), "127.0.0.1", 0, 2)) {
            server.start();
            HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/predict")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofFile(dir.resolve("request.json")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode(), resp.body());
            JsonNode prediction = new ObjectMapper().readTree(resp.body()).path("predictions").get(0);
            assertEquals("ACH-900001", prediction.path("sample").asText());
            assertEquals(fromSnippet, prediction.path("value").asDouble(), 1e-9, "the REST service and the Java API agree");
        }
    }
}
