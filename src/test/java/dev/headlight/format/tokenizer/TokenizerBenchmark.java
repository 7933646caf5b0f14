package dev.headlight.format.tokenizer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Encoding a 2,000-character prompt with each fixture tokenizer kind, and loading a tokenizer.json. Run from the
 * project folder: {@code java -cp target/classes:target/test-classes:<test classpath>
 * dev.headlight.format.tokenizer.TokenizerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenizerBenchmark {
    @Param({"gpt2-tiny", "qwen2-tiny", "llama-tiny", "bert-tiny"})
    public String model;

    private Tokenizer tokenizer;
    private String[] prompts; // [distinct prompts], 2,000 chars each, so the word cache does not see only one text
    private int next;

    @Setup
    public void setUp() {
        tokenizer = Tokenizer.load(tokenizerJson());
        String base = "The cat sat on the mat. Головы внимания специализируются в ходе обучения. 日本語のテキスト 🙂 "
                + "naïve café 12345 def f(x):\n    return x ** 2  # comment\n\n";
        prompts = new String[16];
        for (int i = 0; i < prompts.length; i++) {
            StringBuilder sb = new StringBuilder();
            int k = 0;
            while (sb.length() < 2000) {
                sb.append(base, (k * 7 + i) % 40, base.length()).append(i * 131 + k++).append(' ');
            }
            prompts[i] = sb.substring(0, 2000);
        }
    }

    private Path tokenizerJson() {
        return Path.of("src/test/resources/fixtures", model, "model/tokenizer.json");
    }

    @Benchmark
    public Encoding encode2000Chars() {
        return tokenizer.encode(prompts[next++ & 15]);
    }

    @Benchmark
    public Tokenizer load() {
        return Tokenizer.load(tokenizerJson());
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(TokenizerBenchmark.class.getSimpleName()).build()).run();
    }
}
