package org.oncobench.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads YAML into a tree (with file:line errors) and writes records back as YAML with snake_case keys. */
public final class YamlFiles {
    private final ObjectMapper reader;
    private final ObjectMapper writer;

    public YamlFiles() {
        YAMLFactory factory = YAMLFactory.builder().build();
        reader = new ObjectMapper(factory);
        reader.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        reader.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        writer = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
        writer.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        writer.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** Parses a YAML file into a tree; a missing or malformed file is the user's mistake and says where. */
    public JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": experiment file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadInputException(file + ": not valid UTF-8 text (" + e.getMessage() + "); save the experiment file as UTF-8");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the experiment file (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public JsonNode parse(String text, String source) {
        try {
            JsonNode node = reader.readTree(text);
            // empty text (or only comments) reads as nothing: an empty mapping, whose missing keys validation names
            return node == null || node.isMissingNode() || node.isNull() ? reader.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new BadInputException(where + ": malformed YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** Writes any record or tree as YAML. */
    public String write(Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }
}
