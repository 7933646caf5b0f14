package dev.headlight.engine;

import dev.headlight.engine.bench.OpenBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A Llama-3.2-1B-shaped folder (2.5 GB of bf16, a sparse file) opens: mapping, validation and the tensor map. */
class LargeFolderTest {

    @Test
    void opensALlama1BShapedFolder(@TempDir Path dir) throws IOException {
        OpenBench.writeLlama1B(dir);
        try (Model model = Model.open(dir)) {
            ModelInfo info = model.info();
            assertEquals("BF16", info.weightsDType());
            // 128256 x 2048 embeddings (tied) + 16 x (4 x 2048 x 2048 x 5/8 attention, 3 x 2048 x 8192 MLP, norms)
            long attention = 2048L * 2048 * 2 + 2048L * 512 * 2;
            long perLayer = attention + 3L * 2048 * 8192 + 2 * 2048;
            assertEquals(128256L * 2048 + 16 * perLayer + 2048, info.parameters());
            assertEquals(info.parameters() * 2, info.weightsBytes());
            assertTrue(info.weightsBytes() > Integer.MAX_VALUE);
            assertEquals(1 + 16 * 9 + 1, model.tensorMap().size());
            assertEquals("1.2B", ModelInfo.humanCount(info.parameters()));
            assertEquals(8, model.tensorMap().stream()
                    .filter(p -> p.tensorName().equals("model.layers.15.self_attn.k_proj.weight"))
                    .findFirst().orElseThrow().headSlices().size());
        }
    }

    /**
     * Opening reads the header only: none of the 2.5 GB of weights becomes resident (a parameter count or a
     * statistic computed from the data would fault every page in). Measured as the process's resident memory.
     */
    @Test
    void openingTouchesNoWeightPages(@TempDir Path dir) throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "resident memory is read from /proc/self/status (Linux)");
        OpenBench.writeLlama1B(dir);
        long weightsKb = Files.size(dir.resolve("model.safetensors")) / 1024;
        try (Model warm = Model.open(dir)) {
            warm.tensorMap(); // classes loaded before measuring
        }
        long before = residentKb(status);
        try (Model model = Model.open(dir)) {
            model.tensorMap();
            model.info();
            long grownKb = residentKb(status) - before;
            assertTrue(grownKb < weightsKb / 10, "opening grew resident memory by " + grownKb / 1024 + " MB for "
                    + weightsKb / 1024 + " MB of weights");
        }
    }

    private static long residentKb(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no VmRSS in " + status);
    }
}
