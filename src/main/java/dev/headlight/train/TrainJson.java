package dev.headlight.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON mapper for config.json, generation_config.json and training.json: indented, as Hugging Face writes them. */
final class TrainJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainJson() {
    }
}
