package dev.headlight.engine;

import dev.headlight.format.FormatException;
import dev.headlight.format.safetensors.DamagedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weights file that shrinks while the model is open (a re-download, a re-save) must give an error, never kill
 * the JVM with SIGBUS. Before a pass the change is seen from the file's size; during a pass the JVM turns the
 * fault on the mapping into an InternalError, which the engine reports naming the file. If a kernel ever
 * faulted where the JVM cannot recover, this test's JVM would die and the suite fail.
 */
class ChangedWeightsTest {
    private static final int[] IDS = {464, 379, 332, 319, 262, 603, 13, 5, 77, 901, 12, 44};

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    @Test
    void aFileThatShrankSinceOpenIsRefusedBeforeThePass(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("gpt2");
        DamagedModels.copyFixture("gpt2-tiny", folder);
        try (Model model = Model.open(folder)) {
            model.run(IDS, RunOptions.exact());
            truncate(folder.resolve("model.safetensors"), 4096);
            FormatException e = assertThrows(FormatException.class, () -> model.run(IDS, RunOptions.exact()));
            assertTrue(e.getMessage().startsWith(folder.resolve("model.safetensors") + ": changed on disk"),
                    e.getMessage());
        }
    }

    @Test
    void aFileThatShrinksDuringThePassGivesAnErrorNotACrash(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("gpt2");
        DamagedModels.copyFixture("gpt2-tiny", folder);
        Path weights = folder.resolve("model.safetensors");
        try (Model model = Model.open(folder)) {
            int[] calls = {0};
            RunOptions truncating = RunOptions.exact().withResidualHook((layer, residual, tokens, hidden) -> {
                if (layer == 1 && calls[0]++ == 0) {
                    try {
                        truncate(weights, 0); // every weight page of the mapping is gone from here on
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            FormatException e = assertThrows(FormatException.class, () -> model.run(IDS, truncating));
            assertTrue(e.getMessage().startsWith(weights + ": changed on disk"), e.getMessage());
            assertEquals(1, calls[0]);
            // the model stays usable in the sense that it keeps refusing, with the same line
            assertThrows(FormatException.class, () -> model.run(IDS, RunOptions.exact()));
        }
    }
}
