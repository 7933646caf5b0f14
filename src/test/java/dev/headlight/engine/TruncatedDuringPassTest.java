package dev.headlight.engine;

import dev.headlight.format.safetensors.DamagedModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weights file cut short in the middle of a pass, after the kernels are compiled by C2, ends that pass with the
 * one-line error naming the file, not a JVM crash (it used to die with SIGBUS in a Vector API load from the
 * mapping). Runs {@link TruncatedMidPass} in a separate JVM, since a crash would take the test JVM with it: F32
 * weights stored [in][out] (GPT-2) and BF16 ones stored [out][in] in shards (Llama), on one token (the window's
 * keystroke); the warm-up passes run every token count up to 12.
 */
class TruncatedDuringPassTest {

    @ParameterizedTest(name = "{0}, {2} tokens")
    @CsvSource({
            "gpt2-tiny, model.safetensors, 1",
            "llama-tiny-bf16-sharded, model-00004-of-00008.safetensors, 1",
    })
    void aFileCutShortDuringAPassIsAnErrorNotACrash(String fixture, String file, int tokens, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path folder = dir.resolve(fixture);
        DamagedModels.copyFixture(fixture, folder);
        Path weights = folder.resolve(file);
        Path crashLog = dir.resolve("hs_err.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + crashLog, "-XX:-CreateCoredumpOnCrash", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                TruncatedMidPass.class.getName(), folder.toString(), weights.toString(), String.valueOf(tokens),
                "150"));
        Process child = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 2 minutes");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        List<String> errLines = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("WARNING: Using incubator modules")).toList();
        String all = out + String.join("\n", errLines);
        assertFalse(Files.exists(crashLog), "the JVM crashed:\n" + all);
        assertEquals(1, child.exitValue(), all);
        assertEquals(1, errLines.size(), "one line on stderr:\n" + all);
        assertTrue(errLines.getFirst().startsWith("headlight analyze: " + weights + ": changed on disk"), all);
    }
}
