package dev.headlight.format.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The architecture families the engine runs, keyed by config.json's {@code model_type}. */
public enum Family {
    GPT2, LLAMA, MISTRAL, QWEN2, QWEN3, GPT_NEOX, GEMMA, GEMMA2, PHI3, BERT;

    /** config.json's model_type for this family: the constant's name in lower case, e.g. "gpt_neox". */
    public String modelType() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** False for the encoder (BERT), whose attention is bidirectional. */
    public boolean causal() {
        return this != BERT;
    }

    public static Optional<Family> ofModelType(String modelType) {
        return Arrays.stream(values()).filter(f -> f.modelType().equals(modelType)).findFirst();
    }

    /** "gpt2, llama, ..." for error messages. */
    public static String supportedList() {
        return Arrays.stream(values()).map(Family::modelType).collect(Collectors.joining(", "));
    }
}
