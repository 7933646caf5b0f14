package dev.headlight.format.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.format.FormatException;
import dev.headlight.format.InputFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads config.json into a {@link ModelConfig}. Every missing or contradictory setting becomes a one-line
 * {@link FormatException} naming config.json; defaults for optional settings are those of the family's
 * transformers config class (e.g. MistralConfig's sliding_window 4096, Gemma2Config's soft-caps).
 */
public final class ConfigReader {
    public static final String FILE_NAME = "config.json";

    private static final Set<String> ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast",
            "silu", "relu");

    private final Path file;
    private final JsonNode root;

    private ConfigReader(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads {@code folder/config.json}. */
    public static ModelConfig readFolder(Path folder) {
        return read(folder.resolve(FILE_NAME));
    }

    public static ModelConfig read(Path file) {
        if (!Files.exists(file)) {
            throw new FormatException(file, "is missing; a Hugging Face model folder needs config.json");
        }
        String text = InputFiles.readText(file, InputFiles.MAX_SMALL_JSON);
        JsonNode root;
        try {
            root = dev.headlight.format.JsonTrees.parse(text, false);
        } catch (JsonProcessingException e) {
            throw FormatException.json(file, e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(file, "is not a JSON object");
        }
        return new ConfigReader(file, root).parse();
    }

    private ModelConfig parse() {
        String modelType = text("model_type", null);
        if (modelType == null) {
            throw fail("has no model_type; supported model types: " + Family.supportedList());
        }
        Family family = Family.ofModelType(modelType).orElseThrow(() -> fail("model_type \"" + modelType
                + "\" is not supported; supported model types: " + Family.supportedList()));
        JsonNode archs = root.get("architectures");
        String architecture = archs != null && archs.isArray() && !archs.isEmpty() && archs.get(0).isTextual()
                ? archs.get(0).asText() : defaultArchitecture(family);

        boolean gpt2 = family == Family.GPT2;
        int hidden = requiredInt(gpt2 ? new String[]{"n_embd", "hidden_size"} : new String[]{"hidden_size"});
        int layers = requiredInt(gpt2 ? new String[]{"n_layer", "num_hidden_layers"}
                : new String[]{"num_hidden_layers"});
        int heads = requiredInt(gpt2 ? new String[]{"n_head", "num_attention_heads"}
                : new String[]{"num_attention_heads"});
        int vocab = requiredInt("vocab_size");
        int kvHeads = optionalInt("num_key_value_heads", heads);
        if (family == Family.GPT2 || family == Family.GPT_NEOX || family == Family.BERT) {
            kvHeads = heads;
        }
        if (heads % kvHeads != 0) {
            throw fail("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int defaultHeadDim = switch (family) {
            case GEMMA, GEMMA2 -> 256;
            case QWEN3 -> 128;
            default -> 0; // hidden / heads
        };
        int headDim = optionalInt("head_dim", defaultHeadDim);
        if (headDim == 0) {
            if (hidden % heads != 0) {
                throw fail((gpt2 ? "n_embd " : "hidden_size ") + hidden + " is not divisible by "
                        + (gpt2 ? "n_head " : "num_attention_heads ") + heads);
            }
            headDim = hidden / heads;
        }
        int intermediate = gpt2 ? optionalInt("n_inner", 4 * hidden) : requiredInt("intermediate_size");
        int maxPositions = gpt2 ? optionalInt("n_positions", optionalInt("n_ctx", 1024))
                : optionalInt("max_position_embeddings", switch (family) {
                    case BERT -> 512;
                    case MISTRAL -> 4096 * 32;
                    case QWEN2, QWEN3 -> 32768;
                    case GEMMA, GEMMA2 -> 8192;
                    case PHI3 -> 4096;
                    default -> 2048;
                });

        checkSizes(gpt2, hidden, layers, heads, kvHeads, headDim, intermediate, vocab, maxPositions);

        double normEps = switch (family) {
            case GPT2 -> number("layer_norm_epsilon", 1e-5);
            case GPT_NEOX -> number("layer_norm_eps", 1e-5);
            case BERT -> number("layer_norm_eps", 1e-12);
            case PHI3 -> number("rms_norm_eps", 1e-5);
            default -> number("rms_norm_eps", 1e-6);
        };
        if (!(normEps >= 0) || Double.isInfinite(normEps)) {
            // a negative epsilon makes a zero-variance row divide by a negative root: NaN in every later layer
            throw fail("the norm epsilon is " + normEps + "; it must be a finite number of at least 0");
        }
        String activation = switch (family) {
            case GPT2 -> text("activation_function", "gelu_new");
            case GEMMA, GEMMA2 -> text("hidden_activation", "gelu_pytorch_tanh");
            case GPT_NEOX, BERT -> text("hidden_act", "gelu");
            default -> text("hidden_act", "silu");
        };
        activation = switch (activation) {
            case "swish" -> "silu";
            case "gelu_python" -> "gelu";
            default -> activation;
        };
        if (!ACTIVATIONS.contains(activation)) {
            throw fail("activation \"" + activation + "\" is not supported (supported: gelu, gelu_new, "
                    + "gelu_pytorch_tanh, gelu_fast, silu, relu)");
        }
        boolean tie = bool("tie_word_embeddings", switch (family) {
            case GPT2, GEMMA, GEMMA2, BERT -> true;
            default -> false;
        });

        RopeConfig rope = (gpt2 || family == Family.BERT) ? null : rope(family, headDim, maxPositions);

        int window = 0;
        boolean[] sliding = new boolean[layers];
        switch (family) {
            case MISTRAL, PHI3 -> {
                window = windowSetting(family == Family.MISTRAL ? 4096 : 0);
                java.util.Arrays.fill(sliding, window > 0);
            }
            case QWEN2, QWEN3 -> {
                boolean use = bool("use_sliding_window", false);
                window = use ? windowSetting(4096) : 0;
                int maxWindowLayers = optionalInt("max_window_layers", 28);
                for (int l = 0; l < layers; l++) {
                    sliding[l] = window > 0 && l >= maxWindowLayers;
                }
                layerTypes(sliding);
            }
            case GEMMA2 -> {
                window = windowSetting(4096);
                for (int l = 0; l < layers; l++) {
                    sliding[l] = (l + 1) % 2 == 1; // Gemma2Config: even layers slide
                }
                layerTypes(sliding);
            }
            default -> {
            }
        }

        boolean attentionBias = switch (family) {
            case QWEN2 -> true;
            case GPT2, BERT -> true;
            case GPT_NEOX -> bool("attention_bias", true);
            default -> bool("attention_bias", false);
        };
        boolean mlpBias = switch (family) {
            case GPT2, BERT, GPT_NEOX -> true;
            case LLAMA -> bool("mlp_bias", false);
            default -> false;
        };

        float scale;
        if (family == Family.GEMMA2) {
            scale = (float) Math.pow(number("query_pre_attn_scalar", 256), -0.5);
        } else if (gpt2 && !bool("scale_attn_weights", true)) {
            scale = 1f;
        } else {
            scale = (float) Math.pow(headDim, -0.5);
        }
        double attnSoftcap = family == Family.GEMMA2 ? number("attn_logit_softcapping", 50.0) : 0;
        double finalSoftcap = family == Family.GEMMA2 ? number("final_logit_softcapping", 30.0) : 0;
        boolean parallel = family == Family.GPT_NEOX && bool("use_parallel_residual", true);
        int typeVocab = family == Family.BERT ? optionalInt("type_vocab_size", 2) : 0;
        if (family == Family.BERT) {
            String positions = text("position_embedding_type", "absolute");
            if (!positions.equals("absolute")) {
                throw fail("position_embedding_type \"" + positions + "\" is not supported (only absolute)");
            }
            if (bool("is_decoder", false)) {
                throw fail("is_decoder is true; only BERT encoders (bidirectional) are supported");
            }
        }
        boolean inverseLayer = gpt2 && bool("scale_attn_by_inverse_layer_idx", false);

        return new ModelConfig(file, family, modelType, architecture, hidden, layers, heads, kvHeads, headDim,
                intermediate, vocab, maxPositions, normEps, activation, tie, rope, window, sliding,
                attentionBias, mlpBias, scale, attnSoftcap, finalSoftcap, parallel, typeVocab, inverseLayer);
    }

    /** The largest width of a layer (hidden size, heads x head_dim, intermediate size) Headlight accepts. */
    public static final long MAX_WIDTH = 1L << 20;
    public static final long MAX_LAYERS = 4096;
    public static final long MAX_HEADS = 16384;
    public static final long MAX_VOCAB = 1L << 24;
    public static final long MAX_POSITIONS = 1L << 27;

    /**
     * Bounds on every size and every product of sizes the engine uses to lay out memory, computed in 64 bits: a
     * head_dim near 2^30 would otherwise wrap heads x head_dim to a small number and pass every shape check.
     */
    private void checkSizes(boolean gpt2, long hidden, long layers, long heads, long kvHeads, long headDim,
                            long intermediate, long vocab, long maxPositions) {
        bound(gpt2 ? "n_embd" : "hidden_size", hidden, MAX_WIDTH);
        bound(gpt2 ? "n_layer" : "num_hidden_layers", layers, MAX_LAYERS);
        bound(gpt2 ? "n_head" : "num_attention_heads", heads, MAX_HEADS);
        bound("head_dim", headDim, MAX_WIDTH);
        bound(gpt2 ? "n_inner" : "intermediate_size", intermediate, MAX_WIDTH);
        bound("vocab_size", vocab, MAX_VOCAB);
        bound(gpt2 ? "n_positions" : "max_position_embeddings", maxPositions, MAX_POSITIONS);
        bound("num_attention_heads x head_dim (" + heads + " x " + headDim + ")", heads * headDim, MAX_WIDTH);
        bound("num_key_value_heads x head_dim (" + kvHeads + " x " + headDim + ")", kvHeads * headDim, MAX_WIDTH);
    }

    private void bound(String what, long value, long max) {
        if (value > max) {
            throw fail(what + " is " + value + ", more than Headlight's limit of " + max
                    + " (damaged config.json, or a model far larger than any it can show)");
        }
    }

    /** layer_types, when present, decides which layers slide. */
    private void layerTypes(boolean[] sliding) {
        JsonNode types = root.get("layer_types");
        if (types == null || types.isNull()) {
            return;
        }
        if (!types.isArray() || types.size() != sliding.length) {
            throw fail("layer_types must list one type per layer (" + sliding.length + " layers), found "
                    + (types.isArray() ? types.size() + " entries" : types.getNodeType().toString().toLowerCase()));
        }
        for (int l = 0; l < sliding.length; l++) {
            String type = types.get(l).asText();
            switch (type) {
                case "sliding_attention" -> sliding[l] = true;
                case "full_attention" -> sliding[l] = false;
                default -> throw fail("layer_types[" + l + "] \"" + type + "\" is not supported "
                        + "(full_attention, sliding_attention)");
            }
        }
    }

    private RopeConfig rope(Family family, int headDim, int maxPositions) {
        JsonNode params = root.get("rope_parameters");
        if (params == null || !params.isObject()) {
            params = root.get("rope_scaling");
        }
        if (params != null && !params.isNull() && !params.isObject()) {
            throw fail("rope_scaling must be an object or null");
        }
        if (params != null && params.isNull()) {
            params = null;
        }
        double theta = family == Family.GPT_NEOX
                ? number(params, "rope_theta", number("rope_theta", number("rotary_emb_base", 10000)))
                : number(params, "rope_theta", number("rope_theta", 10000));
        String type = params == null ? "default" : textOf(params, "rope_type", textOf(params, "type", "default"));
        if (type.equals("su")) {
            type = "longrope";
        }
        double fraction = number(params, "partial_rotary_factor", number("partial_rotary_factor",
                number("rotary_pct", family == Family.GPT_NEOX ? 0.25 : 1.0)));
        if (!(fraction > 0 && fraction <= 1)) {
            throw fail("partial rotary factor " + fraction + " is not in (0, 1]");
        }
        if (type.equals("default")) {
            return RopeConfig.plain(theta, fraction);
        }
        double factor = number(params, "factor", 1.0);
        int originalMax = (int) number(params, "original_max_position_embeddings",
                number("original_max_position_embeddings", maxPositions));
        switch (type) {
            case "linear", "dynamic" -> {
                return new RopeConfig(theta, type, fraction, factor, 1, 4, originalMax, null, null, Double.NaN);
            }
            case "llama3" -> {
                double low = number(params, "low_freq_factor", Double.NaN);
                double high = number(params, "high_freq_factor", Double.NaN);
                if (Double.isNaN(low) || Double.isNaN(high) || !params.has("original_max_position_embeddings")) {
                    throw fail("rope type llama3 needs factor, low_freq_factor, high_freq_factor and "
                            + "original_max_position_embeddings");
                }
                return new RopeConfig(theta, type, fraction, factor, low, high, originalMax, null, null, Double.NaN);
            }
            case "longrope" -> {
                int half = (int) (headDim * fraction) / 2;
                double[] shortFactor = doubles(params, "short_factor", half);
                double[] longFactor = doubles(params, "long_factor", half);
                double attention = number(params, "attention_factor", Double.NaN);
                // transformers: factor = max_position_embeddings / original_max_position_embeddings
                double ratio = (double) maxPositions / originalMax;
                return new RopeConfig(theta, type, fraction, ratio, 1, 4, originalMax, shortFactor, longFactor,
                        attention);
            }
            default -> throw fail("rope type \"" + type + "\" is not supported (supported: "
                    + RopeConfig.SUPPORTED_TYPES + ")");
        }
    }

    private double[] doubles(JsonNode params, String key, int expected) {
        JsonNode node = params.get(key);
        if (node == null || !node.isArray() || node.size() != expected) {
            throw fail("rope " + key + " must be a list of " + expected + " numbers");
        }
        double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    private static String defaultArchitecture(Family family) {
        return switch (family) {
            case GPT2 -> "GPT2LMHeadModel";
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
            case GPT_NEOX -> "GPTNeoXForCausalLM";
            case GEMMA -> "GemmaForCausalLM";
            case GEMMA2 -> "Gemma2ForCausalLM";
            case PHI3 -> "Phi3ForCausalLM";
            case BERT -> "BertForMaskedLM";
        };
    }

    // ---- typed access; a present key of the wrong type is an error, null counts as absent ----

    private FormatException fail(String problem) {
        return new FormatException(file, problem);
    }

    private int requiredInt(String... keys) {
        for (String key : keys) {
            JsonNode node = root.get(key);
            if (node != null && !node.isNull()) {
                return positiveInt(key, node);
            }
        }
        throw fail("has no " + keys[0] + (keys.length > 1 ? " (or " + String.join(", ",
                java.util.Arrays.copyOfRange(keys, 1, keys.length)) + ")" : ""));
    }

    private int optionalInt(String key, int fallback) {
        JsonNode node = root.get(key);
        return node == null || node.isNull() ? fallback : positiveInt(key, node);
    }

    private int positiveInt(String key, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw fail(key + " must be a positive integer, found " + node);
        }
        return node.asInt();
    }

    /** sliding_window: the family default when absent, none when null. */
    private int windowSetting(int absentDefault) {
        JsonNode node = root.get("sliding_window");
        if (node == null) {
            return absentDefault;
        }
        return node.isNull() ? 0 : positiveInt("sliding_window", node);
    }

    private double number(String key, double fallback) {
        return number(root, key, fallback);
    }

    private double number(JsonNode from, String key, double fallback) {
        return optional(from, key, fallback, n -> n.isNumber() && Double.isFinite(n.asDouble()), "a finite number",
                JsonNode::asDouble);
    }

    private boolean bool(String key, boolean fallback) {
        return optional(root, key, fallback, JsonNode::isBoolean, "true or false", JsonNode::asBoolean);
    }

    private String text(String key, String fallback) {
        return textOf(root, key, fallback);
    }

    private String textOf(JsonNode from, String key, String fallback) {
        return optional(from, key, fallback, JsonNode::isTextual, "a string", JsonNode::asText);
    }

    /** {@code from.key} as {@code read} gives it; the fallback when absent or null; an error when not {@code valid}. */
    private <T> T optional(JsonNode from, String key, T fallback, Predicate<JsonNode> valid, String expected,
                           Function<JsonNode, T> read) {
        JsonNode node = from == null ? null : from.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!valid.test(node)) {
            throw fail(key + " must be " + expected + ", found " + node);
        }
        return read.apply(node);
    }
}
