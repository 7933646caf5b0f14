package dev.headlight.format.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The architecture families the engine runs, keyed by config.json's {@code model_type}. */
public enum Family {
    GPT2("gpt2", true),
    LLAMA("llama", true),
    MISTRAL("mistral", true),
    QWEN2("qwen2", true),
    QWEN3("qwen3", true),
    GPT_NEOX("gpt_neox", true),
    GEMMA("gemma", true),
    GEMMA2("gemma2", true),
    PHI3("phi3", true),
    BERT("bert", false);

    private final String modelType;
    private final boolean causal;

    Family(String modelType, boolean causal) {
        this.modelType = modelType;
        this.causal = causal;
    }

    /** config.json's model_type for this family. */
    public String modelType() {
        return modelType;
    }

    /** False for encoders, whose attention is bidirectional. */
    public boolean causal() {
        return causal;
    }

    public static Optional<Family> ofModelType(String modelType) {
        return Arrays.stream(values()).filter(f -> f.modelType.equals(modelType)).findFirst();
    }

    /** "gpt2, llama, ..." for error messages. */
    public static String supportedList() {
        return Arrays.stream(values()).map(Family::modelType).collect(Collectors.joining(", "));
    }
}
