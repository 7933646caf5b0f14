package dev.headlight.format.safetensors;

import dev.headlight.format.FormatException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of damaged weights folder is refused with one line naming the file, the tensor and the problem. */
class SafetensorsDamageTest {

    static List<DamagedModels.Damage> damages() {
        return DamagedModels.weights();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void refusedWithOneLineNamingFileAndProblem(DamagedModels.Damage damage, @TempDir Path dir) throws IOException {
        Path folder = damage.make(dir);
        FormatException e = assertThrows(FormatException.class, () -> {
            try (TensorStore store = TensorStore.open(folder)) {
                store.names().forEach(store::tensor);
            }
        });
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.contains(damage.expectedFileName(folder)), "names the file: " + message);
        assertTrue(message.contains(damage.mentions()), "mentions '" + damage.mentions() + "': " + message);
        assertEquals(damage.expectedFileName(folder), e.file().getFileName().toString(),
                "file() is the file at fault");
    }

    /** The cases where one .safetensors file is damaged in itself (not the folder, index or shard set). */
    static List<DamagedModels.Damage> damagedFiles() {
        return DamagedModels.weights().stream().filter(d -> d.faultyFile().equals("model.safetensors")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFiles")
    void damagedFilesAreRefusedByTheFileReader(DamagedModels.Damage damage, @TempDir Path dir) throws IOException {
        Path file = damage.make(dir).resolve(damage.faultyFile());
        FormatException e = assertThrows(FormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    }

    /** The reference writer pads the header with spaces; serde_json, which reads it, allows any JSON whitespace. */
    @org.junit.jupiter.api.Test
    void whitespaceAfterTheHeaderJsonIsPadding(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("padded");
        DamagedModels.copyFixture("gpt2-tiny", folder);
        Path file = folder.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(file);
        long length = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        String json = new String(all, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8).stripTrailing()
                + " \t\r\n      ";
        byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + header.length + all.length - 8 - (int) length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(all, 8 + (int) length, all.length - 8 - (int) length);
        Files.write(file, out.array());
        try (SafetensorsFile padded = SafetensorsFile.open(file)) {
            assertTrue(padded.tensorInfos().containsKey(DamagedModels.FIRST));
        }
    }
}
