package dev.headlight.format.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamingSafetensorsWriterTest {

    @Test
    void streamedFileEqualsTheWholeFileWriter(@TempDir Path dir) throws IOException {
        float[] big = new float[700_001]; // more than the 1 MB buffer holds
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i);
        }
        long[] ids = {5, 6, 7};
        Path streamed = dir.resolve("streamed.safetensors");
        try (StreamingSafetensorsWriter w = StreamingSafetensorsWriter.create(streamed, Map.of("k", "v"), List.of(
                new StreamingSafetensorsWriter.Declared("ids", DType.I64, 3),
                new StreamingSafetensorsWriter.Declared("empty", DType.F32, 0, 4),
                new StreamingSafetensorsWriter.Declared("big", DType.F32, 700_001)))) {
            w.writeLongs(ids);
            w.writeFloats(big, 0, 300_000); // in pieces, as analyze writes the lens
            w.writeFloats(big, 300_000, 400_001);
            w.finish();
        }
        Path whole = dir.resolve("whole.safetensors");
        new SafetensorsWriter().metadata("k", "v").addInt64("ids", ids, 3).addFloat32("empty", new float[0], 0, 4)
                .addFloat32("big", big, 700_001).write(whole);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(streamed),
                    "the output gets the usual permissions, not a temporary file's owner-only ones");
        }
        try (SafetensorsFile st = SafetensorsFile.open(streamed)) {
            assertArrayEquals(big, st.tensor("big").toFloats());
        }
    }

    @Test
    void incompleteOutputLeavesNoFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.safetensors");
        try (StreamingSafetensorsWriter w = StreamingSafetensorsWriter.create(file, Map.of(), List.of(
                new StreamingSafetensorsWriter.Declared("a", DType.F32, 4)))) {
            w.writeFloats(new float[2]);
            assertThrows(IllegalStateException.class, w::finish);
            assertThrows(IllegalStateException.class, () -> w.writeFloats(new float[3]));
            assertThrows(IllegalStateException.class, () -> w.writeLongs(new long[1]));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
        assertFalse(Files.exists(file));
    }
}
