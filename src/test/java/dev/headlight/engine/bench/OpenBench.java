package dev.headlight.engine.bench;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): how long Model.open takes on a Llama-3.2-1B-shaped folder (16 layers, hidden 2048,
 * 32 heads / 8 kv-heads, vocab 128256, bf16, 2.5 GB). The weights file is sparse (all zeros), so the folder
 * costs no disk. Optionally runs a forward pass of N tokens.
 * <pre>
 *   mvn -q -o test-compile && java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt) \
 *       dev.headlight.engine.bench.OpenBench [tokens]
 * </pre>
 */
public final class OpenBench {
    private OpenBench() {
    }

    public static void main(String[] args) throws IOException {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path dir = Files.createTempDirectory("headlight-open-bench");
        if (System.getProperty("keep") != null) {
            writeLlama1B(dir);
            System.out.println(dir);
            return;
        }
        try {
            writeLlama1B(dir);
            long[] nanos = new long[7];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                try (Model model = Model.open(dir)) {
                    nanos[i] = System.nanoTime() - start;
                    if (i == 0) {
                        System.out.println(model.info().summary() + ", " + model.tensorMap().size() + " tensors");
                    }
                }
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            System.out.printf("Model.open: first %.1f ms, median %.1f ms%n", nanos[0] / 1e6, sorted[3] / 1e6);
            if (tokens > 0) {
                try (Model model = Model.open(dir)) {
                    int[] ids = new int[tokens];
                    Trace trace = model.run(ids, RunOptions.display());
                    System.out.printf("run of %d tokens: %.0f ms%n", tokens, trace.elapsedNanos() / 1e6);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Writes config.json and a sparse (all-zero) bf16 model.safetensors shaped like Llama 3.2 1B. */
    public static void writeLlama1B(Path dir) throws IOException {
        int d = 2048;
        int layers = 16;
        int heads = 32;
        int kv = 8;
        int hd = 64;
        int inter = 8192;
        int vocab = 128256;
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": %d,
                 "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d, "head_dim": %d,
                 "intermediate_size": %d, "vocab_size": %d, "max_position_embeddings": 131072,
                 "rms_norm_eps": 1e-5, "tie_word_embeddings": true, "rope_theta": 500000.0,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"}}"""
                .formatted(d, layers, heads, kv, hd, inter, vocab));
        StringBuilder header = new StringBuilder("{");
        long[] offset = {0};
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            long bytes = 2;
            for (long s : shape) {
                bytes *= s;
            }
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"').append(name).append("\":{\"dtype\":\"BF16\",\"shape\":")
                    .append(Arrays.toString(shape).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset[0]).append(',').append(offset[0] + bytes).append("]}");
            offset[0] += bytes;
        };
        add.accept("model.embed_tokens.weight", new long[]{vocab, d});
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            add.accept(p + "input_layernorm.weight", new long[]{d});
            add.accept(p + "self_attn.q_proj.weight", new long[]{(long) heads * hd, d});
            add.accept(p + "self_attn.k_proj.weight", new long[]{(long) kv * hd, d});
            add.accept(p + "self_attn.v_proj.weight", new long[]{(long) kv * hd, d});
            add.accept(p + "self_attn.o_proj.weight", new long[]{d, (long) heads * hd});
            add.accept(p + "post_attention_layernorm.weight", new long[]{d});
            add.accept(p + "mlp.gate_proj.weight", new long[]{inter, d});
            add.accept(p + "mlp.up_proj.weight", new long[]{inter, d});
            add.accept(p + "mlp.down_proj.weight", new long[]{d, inter});
        }
        add.accept("model.norm.weight", new long[]{d});
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve("model.safetensors"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).flip(), 0);
            ch.write(ByteBuffer.wrap(json), 8);
            ch.truncate(8 + json.length + offset[0]);
            ch.write(ByteBuffer.wrap(new byte[2]), 8 + json.length + offset[0] - 2); // sparse: extend to full size
        }
    }
}
