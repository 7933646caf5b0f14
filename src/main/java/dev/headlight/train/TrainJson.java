package dev.headlight.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.headlight.format.JsonOutput;

/**
 * The JSON mapper for config.json, generation_config.json and training.json: indented, as Hugging Face writes them;
 * a diverged (NaN) loss is written as null ({@link JsonOutput}).
 */
final class TrainJson {
    static final ObjectMapper MAPPER = JsonOutput.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainJson() {
    }
}
