package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes NaN (or another float) over the first elements of an F32 tensor of a copied fixture. */
public final class PoisonedWeights {
    private PoisonedWeights() {
    }

    public static void poison(Path file, String tensor, int elements, float value) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bytes = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) bytes.getLong(0);
        JsonNode header = DamagedModels.JSON.readTree(new String(all, 8, headerLength,
                java.nio.charset.StandardCharsets.UTF_8));
        JsonNode entry = header.get(tensor);
        if (entry == null || !entry.get("dtype").asText().equals("F32")) {
            throw new IllegalArgumentException(tensor + " is not an F32 tensor of " + file);
        }
        long begin = 8 + headerLength + entry.get("data_offsets").get(0).asLong();
        for (int i = 0; i < elements; i++) {
            bytes.putFloat((int) begin + 4 * i, value);
        }
        Files.write(file, all);
    }
}
