package dev.headlight.engine;

import dev.headlight.format.FormatException;
import dev.headlight.format.safetensors.DamagedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A weights file that shrinks while the model is open (a re-download, a re-save) is refused before the next pass,
 * naming the file. A file cut short during a pass: {@link TruncatedDuringPassTest}.
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
}
