package dev.headlight.library;

import dev.headlight.engine.Model;
import dev.headlight.format.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trace export has the analyze layout and the reference values. */
class TraceExportFixtureTest {

    @Test
    void exportMatchesTheReference(@TempDir Path dir) throws IOException {
        String name = "llama-tiny";
        int[] ids = Fixtures.referenceIds(name);
        Path out = dir.resolve("trace.safetensors");
        try (Model model = Model.open(Fixtures.model(name))) {
            TraceExport.writeSafetensors(model, ids, "reference prompt", out);
        }
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            int t = ids.length;
            assertArrayEquals(new long[]{t}, file.tensor("input_ids").shape());
            long[] written = file.tensor("input_ids").toLongs();
            for (int i = 0; i < t; i++) {
                assertEquals(ids[i], written[i]);
            }
            assertEquals("reference prompt", file.metadata().get("prompt"));
            compare(file, name, "attentions", 1e-4);
            compare(file, name, "logits", 2e-3);
            compare(file, name, "residual", 2e-3);
            compare(file, name, "lens_logprobs", 2e-3);
        }
    }

    private static void compare(SafetensorsFile file, String name, String tensor, double tolerance) {
        try (SafetensorsFile ref = SafetensorsFile.open(Fixtures.ROOT.resolve(name).resolve("reference.safetensors"))) {
            assertArrayEquals(ref.tensor(tensor).shape(), file.tensor(tensor).shape(), tensor + " shape");
            float[] expected = ref.tensor(tensor).toFloats();
            float[] actual = file.tensor(tensor).toFloats();
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertEquals(0, worst, tolerance, tensor + " max abs difference");
        }
    }
}
