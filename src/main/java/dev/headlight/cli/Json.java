package dev.headlight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.engine.ModelInfo;
import dev.headlight.format.JsonOutput;

/**
 * JSON output of the commands (Jackson, already a dependency for reading model files). A NaN or infinite number
 * is written as null ({@link JsonOutput}): the output is always valid JSON.
 */
final class Json {
    static final ObjectMapper MAPPER = JsonOutput.mapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** One line of JSON. */
    static String line(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode modelInfo(ModelInfo info) {
        ObjectNode n = object();
        n.put("folder", info.folder() == null ? null : info.folder().toString());
        n.put("family", info.family());
        n.put("model_type", info.modelType());
        n.put("architecture", info.architecture());
        n.put("layers", info.layers());
        n.put("heads", info.heads());
        n.put("kv_heads", info.kvHeads());
        n.put("head_dim", info.headDim());
        n.put("hidden", info.hidden());
        n.put("intermediate", info.intermediate());
        n.put("vocab", info.vocab());
        n.put("max_positions", info.maxPositions());
        n.put("causal", info.causal());
        n.put("parameters", info.parameters());
        n.put("weights_dtype", info.weightsDType());
        n.put("weights_bytes", info.weightsBytes());
        return n;
    }
}
