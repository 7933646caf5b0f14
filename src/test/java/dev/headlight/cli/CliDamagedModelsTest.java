package dev.headlight.cli;

import dev.headlight.format.safetensors.DamagedModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every damaged model folder makes the commands fail with one stderr line naming the file and the problem. */
class CliDamagedModelsTest {

    static List<DamagedModels.Damage> damages() {
        List<DamagedModels.Damage> all = new ArrayList<>(DamagedModels.weights());
        all.addAll(DamagedModels.configs());
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void inspectRefusesWithOneLine(DamagedModels.Damage damage, @TempDir Path dir) throws IOException {
        Path folder = damage.make(dir);
        CliRunner r = CliRunner.run("inspect", "--model", folder.toString());
        CliTest.assertOneLineFailure(r, 1);
        String line = r.errLines().getFirst();
        assertTrue(line.contains(damage.expectedFileName(folder)), "names the file: " + line);
        if (Files.exists(folder.resolve("config.json"))) {
            // with no config.json at all (empty folder) the engine may name that first; otherwise the problem shows
            assertTrue(line.contains(damage.mentions()), "mentions '" + damage.mentions() + "': " + line);
        }
        assertTrue(r.out().isEmpty(), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void analyzeRefusesWithOneLineAndWritesNothing(DamagedModels.Damage damage, @TempDir Path dir) throws IOException {
        Path folder = damage.make(dir);
        Path out = dir.resolve("out.safetensors");
        CliRunner r = CliRunner.run("analyze", "--model", folder.toString(), "--ids", "1,2,3", "--out",
                out.toString());
        CliTest.assertOneLineFailure(r, 1);
        assertTrue(r.errLines().getFirst().contains(damage.expectedFileName(folder)), r.err());
        assertFalse(Files.exists(out));
    }
}
