package dev.headlight.engine.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a random-weight model folder in Hugging Face format, for benchmarks and for trying the app without a
 * download: {@code config.json}, {@code model.safetensors}, {@code tokenizer.json} (a valid byte-level BPE
 * tokenizer with generated merges) and {@code tokenizer_config.json}.
 * <p>
 * Families: {@code gpt2} (tensor names and shapes exactly as GPT2LMHeadModel saves them, Conv1D weights
 * [in, out], tied unembedding), {@code llama} (LlamaForCausalLM names, grouped-query attention, untied head) and
 * {@code qwen2} (Qwen2ForCausalLM: the Llama block with q/k/v biases, tied embeddings, rope_theta 1e6, RMSNorm
 * eps 1e-6, and a tokenizer.json laid out as Qwen2's).
 * Weights follow the Hugging Face initialisation: normal(0, 0.02) for matrices and embeddings (GPT-2's output
 * projections 0.02 / sqrt(2 * layers)), zero biases, unit norm weights.
 * <p>
 * The safetensors file is streamed (header first, then each tensor in chunks) so a GPT-2-small sized model
 * (~500 MB in float32) needs no big heap; it is written to a temporary sibling and moved into place.
 */
public final class SyntheticModel {
    /** Initialisation scale of Hugging Face GPT-2 and Llama ({@code initializer_range}). */
    static final double INIT_STD = 0.02;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 18;

    private SyntheticModel() {
    }

    /**
     * What to generate. {@code kvHeads} and {@code intermediate} are used by llama and qwen2 (GPT-2: 4 x dModel);
     * {@code ropeTheta} by llama and qwen2, 0 meaning the family's default (10,000; Qwen2 1,000,000).
     */
    public record Spec(String family, int layers, int heads, int kvHeads, int dModel, int intermediate, int vocab,
                       int positions, DType dtype, long seed, double ropeTheta) {
        public Spec {
            family = family.toLowerCase(Locale.ROOT);
            if (!family.equals("gpt2") && !family.equals("llama") && !family.equals("qwen2")) {
                throw new IllegalArgumentException("synthetic model family must be gpt2, llama or qwen2, not '"
                        + family + "'");
            }
            if (ropeTheta == 0) {
                ropeTheta = family.equals("qwen2") ? 1_000_000.0 : 10_000.0;
            }
            if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
                throw new IllegalArgumentException("rope theta must be a positive number, not " + ropeTheta);
            }
            if (layers < 1 || heads < 1 || kvHeads < 1 || dModel < 1 || intermediate < 1 || positions < 1) {
                throw new IllegalArgumentException("synthetic model sizes must be positive");
            }
            if (dModel % heads != 0) {
                throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of " + heads + " heads");
            }
            if (heads % kvHeads != 0) {
                throw new IllegalArgumentException(heads + " heads are not a multiple of " + kvHeads + " kv heads");
            }
            if (vocab < ByteLevelTokenizer.MIN_VOCAB) {
                throw new IllegalArgumentException("vocab " + vocab + " is below " + ByteLevelTokenizer.MIN_VOCAB
                        + ": a byte-level tokenizer needs 256 byte tokens and <|endoftext|>");
            }
            if (family.equals("qwen2") && vocab < 256 + ByteLevelTokenizer.QWEN2_SPECIALS.size()) {
                throw new IllegalArgumentException("vocab " + vocab + " is below "
                        + (256 + ByteLevelTokenizer.QWEN2_SPECIALS.size())
                        + ": a Qwen2 tokenizer needs 256 byte tokens and its three special tokens");
            }
            if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16) {
                throw new IllegalArgumentException("synthetic weights must be F32, BF16 or F16, not " + dtype);
            }
        }

        /** The family's default rope theta. */
        public Spec(String family, int layers, int heads, int kvHeads, int dModel, int intermediate, int vocab,
                    int positions, DType dtype, long seed) {
            this(family, layers, heads, kvHeads, dModel, intermediate, vocab, positions, dtype, seed, 0);
        }

        /** GPT-2 of any size: d_ff = 4 d_model. */
        public static Spec gpt2(int layers, int heads, int dModel, int vocab, int positions) {
            return new Spec("gpt2", layers, heads, heads, dModel, 4 * dModel, vocab, positions, DType.F32, 0);
        }

        /** The size of HF "gpt2" (124M parameters): 12 layers, 12 heads, 768, vocab 50257, 1024 positions. */
        public static Spec gpt2Small() {
            return gpt2(12, 12, 768, 50257, 1024);
        }

        /** A Llama-architecture model: RMSNorm, RoPE, SwiGLU with {@code intermediate} hidden units. */
        public static Spec llama(int layers, int heads, int kvHeads, int dModel, int intermediate, int vocab,
                                 int positions) {
            return new Spec("llama", layers, heads, kvHeads, dModel, intermediate, vocab, positions, DType.F32, 0);
        }

        /**
         * A Qwen2-architecture model (Qwen2ForCausalLM): the Llama block with q/k/v biases, tied embeddings, rope
         * theta 1e6. Qwen2-0.5B is {@code qwen2(24, 14, 2, 896, 4864, 151936, 131072)}.
         */
        public static Spec qwen2(int layers, int heads, int kvHeads, int dModel, int intermediate, int vocab,
                                 int positions) {
            return new Spec("qwen2", layers, heads, kvHeads, dModel, intermediate, vocab, positions, DType.F32, 0);
        }

        public Spec withDtype(DType newDtype) {
            return new Spec(family, layers, heads, kvHeads, dModel, intermediate, vocab, positions, newDtype, seed,
                    ropeTheta);
        }

        public Spec withSeed(long newSeed) {
            return new Spec(family, layers, heads, kvHeads, dModel, intermediate, vocab, positions, dtype, newSeed,
                    ropeTheta);
        }

        public Spec withRopeTheta(double theta) {
            return new Spec(family, layers, heads, kvHeads, dModel, intermediate, vocab, positions, dtype, seed,
                    theta);
        }

        /** Whether the unembedding is the token embedding (GPT-2, Qwen2) rather than a stored lm_head. */
        boolean tiedEmbeddings() {
            return !family.equals("llama");
        }

        int headDim() {
            return dModel / heads;
        }

        /** Every tensor in file order with its shape and initial distribution. */
        List<TensorSpec> tensors() {
            List<TensorSpec> t = new ArrayList<>();
            if (family.equals("gpt2")) {
                int d = dModel;
                double projStd = INIT_STD / Math.sqrt(2.0 * layers);
                t.add(TensorSpec.normal("transformer.wte.weight", INIT_STD, vocab, d));
                t.add(TensorSpec.normal("transformer.wpe.weight", INIT_STD, positions, d));
                for (int l = 0; l < layers; l++) {
                    String p = "transformer.h." + l + ".";
                    addLayerNorm(t, p + "ln_1", d);
                    addConv1D(t, p + "attn.c_attn", INIT_STD, d, 3 * d);
                    addConv1D(t, p + "attn.c_proj", projStd, d, d);
                    addLayerNorm(t, p + "ln_2", d);
                    addConv1D(t, p + "mlp.c_fc", INIT_STD, d, intermediate);
                    addConv1D(t, p + "mlp.c_proj", projStd, intermediate, d);
                }
                addLayerNorm(t, "transformer.ln_f", d);
            } else {
                int d = dModel;
                int kv = kvHeads * headDim();
                boolean qkvBias = family.equals("qwen2");
                t.add(TensorSpec.normal("model.embed_tokens.weight", INIT_STD, vocab, d));
                for (int l = 0; l < layers; l++) {
                    String p = "model.layers." + l + ".";
                    t.add(TensorSpec.constant(p + "input_layernorm.weight", 1, d));
                    t.add(TensorSpec.normal(p + "self_attn.q_proj.weight", INIT_STD, d, d));    // Linear [out, in]
                    t.add(TensorSpec.normal(p + "self_attn.k_proj.weight", INIT_STD, kv, d));
                    t.add(TensorSpec.normal(p + "self_attn.v_proj.weight", INIT_STD, kv, d));
                    if (qkvBias) {
                        t.add(TensorSpec.constant(p + "self_attn.q_proj.bias", 0, d));
                        t.add(TensorSpec.constant(p + "self_attn.k_proj.bias", 0, kv));
                        t.add(TensorSpec.constant(p + "self_attn.v_proj.bias", 0, kv));
                    }
                    t.add(TensorSpec.normal(p + "self_attn.o_proj.weight", INIT_STD, d, d));
                    t.add(TensorSpec.constant(p + "post_attention_layernorm.weight", 1, d));
                    t.add(TensorSpec.normal(p + "mlp.gate_proj.weight", INIT_STD, intermediate, d));
                    t.add(TensorSpec.normal(p + "mlp.up_proj.weight", INIT_STD, intermediate, d));
                    t.add(TensorSpec.normal(p + "mlp.down_proj.weight", INIT_STD, d, intermediate));
                }
                t.add(TensorSpec.constant("model.norm.weight", 1, d));
                if (!tiedEmbeddings()) {
                    t.add(TensorSpec.normal("lm_head.weight", INIT_STD, vocab, d));
                }
            }
            return t;
        }

        /** A LayerNorm as Hugging Face initialises it: weight 1, bias 0. */
        private static void addLayerNorm(List<TensorSpec> t, String prefix, int width) {
            t.add(TensorSpec.constant(prefix + ".weight", 1, width));
            t.add(TensorSpec.constant(prefix + ".bias", 0, width));
        }

        /** GPT-2's Conv1D, weight stored [in, out], with a zero bias. */
        private static void addConv1D(List<TensorSpec> t, String prefix, double std, int in, int out) {
            t.add(TensorSpec.normal(prefix + ".weight", std, in, out));
            t.add(TensorSpec.constant(prefix + ".bias", 0, out));
        }

        /** Number of weights (tied embeddings counted once). */
        public long parameterCount() {
            long n = 0;
            for (TensorSpec t : tensors()) {
                n += t.elementCount();
            }
            return n;
        }
    }

    /** One tensor: all elements {@code value}, or normal(0, std) when std > 0. */
    record TensorSpec(String name, long[] shape, double std, float value) {
        static TensorSpec normal(String name, double std, long... shape) {
            return new TensorSpec(name, shape, std, 0f);
        }

        static TensorSpec constant(String name, float value, long... shape) {
            return new TensorSpec(name, shape, 0, value);
        }

        long elementCount() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /** Writes the model folder {@code dir} (created if missing; existing files of the same names are replaced). */
    public static void write(Path dir, Spec spec) throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("config.json"), config(spec));
        if (spec.family().equals("qwen2")) {
            ByteLevelTokenizer.writeQwen2(dir, spec.vocab());
        } else {
            ByteLevelTokenizer.write(dir, spec.vocab());
        }
        writeSafetensors(dir.resolve("model.safetensors"), spec);
    }

    /** The Hugging Face config.json for the spec. */
    static ObjectNode config(Spec spec) {
        ObjectNode c = JSON.createObjectNode();
        // <|endoftext|> is the last id, as in GPT-2; Qwen2's comes right after the byte-level vocabulary
        int eos = spec.family().equals("qwen2") ? spec.vocab() - ByteLevelTokenizer.QWEN2_SPECIALS.size()
                : spec.vocab() - 1;
        if (spec.family().equals("gpt2")) {
            c.putArray("architectures").add("GPT2LMHeadModel");
            c.put("model_type", "gpt2");
            c.put("activation_function", "gelu_new");
            c.put("n_embd", spec.dModel());
            c.put("n_head", spec.heads());
            c.put("n_layer", spec.layers());
            c.put("n_positions", spec.positions());
            c.put("n_ctx", spec.positions());
            c.putNull("n_inner");
            c.put("layer_norm_epsilon", 1e-5);
            c.put("scale_attn_weights", true);
            c.put("scale_attn_by_inverse_layer_idx", false);
            c.put("reorder_and_upcast_attn", false);
            c.put("tie_word_embeddings", true);
        } else if (spec.family().equals("qwen2")) {
            // the keys Qwen/Qwen2-0.5B's config.json has (transformers 4.40), sizes from the spec
            c.putArray("architectures").add("Qwen2ForCausalLM");
            c.put("model_type", "qwen2");
            c.put("attention_dropout", 0.0);
            putLlamaShape(c, spec);
            c.put("max_position_embeddings", spec.positions());
            c.put("max_window_layers", spec.layers());
            c.put("sliding_window", spec.positions());
            c.put("use_sliding_window", false);
            c.put("rms_norm_eps", 1e-6);
            c.put("rope_theta", spec.ropeTheta());
            c.put("tie_word_embeddings", true);
            c.put("use_cache", true);
        } else {
            c.putArray("architectures").add("LlamaForCausalLM");
            c.put("model_type", "llama");
            putLlamaShape(c, spec);
            c.put("head_dim", spec.headDim());
            c.put("max_position_embeddings", spec.positions());
            c.put("rms_norm_eps", 1e-5);
            c.put("rope_theta", spec.ropeTheta());
            c.put("attention_bias", false);
            c.put("mlp_bias", false);
            c.put("tie_word_embeddings", false);
        }
        c.put("vocab_size", spec.vocab());
        c.put("bos_token_id", eos);
        c.put("eos_token_id", eos);
        c.put("initializer_range", INIT_STD);
        c.put("torch_dtype", switch (spec.dtype()) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        });
        c.put("headlight_synthetic_seed", spec.seed());
        return c;
    }

    /** The sizes Llama's config.json names, which Qwen2's shares (its blocks are Llama's with q/k/v biases). */
    private static void putLlamaShape(ObjectNode c, Spec spec) {
        c.put("hidden_act", "silu");
        c.put("hidden_size", spec.dModel());
        c.put("intermediate_size", spec.intermediate());
        c.put("num_attention_heads", spec.heads());
        c.put("num_key_value_heads", spec.kvHeads());
        c.put("num_hidden_layers", spec.layers());
    }

    private static void writeJson(Path path, ObjectNode node) throws IOException {
        Files.writeString(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node),
                StandardCharsets.UTF_8);
    }

    /** Header then tensors, streamed; the header format is the one {@link SafetensorsWriter} writes. */
    static void writeSafetensors(Path path, Spec spec) throws IOException {
        List<TensorSpec> tensors = spec.tensors();
        int elementBytes = spec.dtype().byteSize();
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (TensorSpec t : tensors) {
            ObjectNode node = header.putObject(t.name());
            node.put("dtype", spec.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.elementCount() * elementBytes;
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path parent = path.toAbsolutePath().getParent();
        // not Files.createTempFile: its owner-only permissions would stay on the model file
        Path tmp = parent.resolve(path.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, head);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < tensors.size(); i++) {
                TensorSpec t = tensors.get(i);
                // one stream per tensor: a tensor's values do not depend on the others
                SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + i);
                long remaining = t.elementCount();
                while (remaining > 0) {
                    int n = (int) Math.min(CHUNK_ELEMENTS, remaining);
                    chunk.clear();
                    for (int e = 0; e < n; e++) {
                        float v = t.std() > 0 ? (float) (random.nextGaussian() * t.std()) : t.value();
                        switch (spec.dtype()) {
                            case F32 -> chunk.putFloat(v);
                            case BF16 -> chunk.putShort(SafetensorsWriter.toBFloat16(v));
                            case F16 -> chunk.putShort(Float.floatToFloat16(v));
                            default -> throw new IllegalStateException();
                        }
                    }
                    chunk.flip();
                    writeFully(channel, chunk);
                    remaining -= n;
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
