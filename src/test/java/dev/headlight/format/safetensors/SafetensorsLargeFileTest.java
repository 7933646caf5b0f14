package dev.headlight.format.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files past 2 GB are mapped whole; tensors beyond the 2^31 byte mark read correctly. */
class SafetensorsLargeFileTest {

    @Test
    void readsTensorsPastTwoGigabytes(@TempDir Path dir) throws IOException {
        long bigBytes = 2_300_000_000L; // one U8 tensor larger than Integer.MAX_VALUE
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + bigBytes + "],\"data_offsets\":[0," + bigBytes + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + bigBytes + "," + (bigBytes + 8) + "]}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("model.safetensors");
        // Sparse file: only the header, one byte inside the big tensor and the tail are written.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).flip();
            ch.write(len, 0);
            ch.write(ByteBuffer.wrap(headerBytes), 8);
            long dataStart = 8 + headerBytes.length;
            ch.write(ByteBuffer.wrap(new byte[]{(byte) 200}), dataStart + 2_200_000_000L);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.25f).flip();
            ch.write(tail, dataStart + bigBytes);
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Tensor big = st.tensor("big");
            assertEquals(bigBytes, big.elementCount());
            assertEquals(200, big.getLong(2_200_000_000L));
            assertEquals(0, big.getLong(bigBytes - 1));
            Tensor tail = st.tensor("tail");
            assertEquals(1.5f, tail.getFloat(0));
            assertEquals(-2.25f, tail.getFloat(1));
        }
    }

    @Test
    void bfloat16AndFloat16AreConvertedWhereRead(@TempDir Path dir) throws IOException {
        float[] values = {1.0f, -0.5f, 3.140625f, 65504f};
        Path file = dir.resolve("x.safetensors");
        new SafetensorsWriter().addBFloat16("b", values, 4).addFloat16("h", values, 2, 2).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Tensor b = st.tensor("b");
            Tensor h = st.tensor("h");
            assertEquals(DType.BF16, b.dtype());
            assertEquals(DType.F16, h.dtype());
            for (int i = 0; i < 3; i++) {
                assertEquals(values[i], b.getFloat(i), 0f); // exactly representable in bf16
                assertEquals(values[i], h.getFloat(i), 0f);
            }
            assertEquals(65504f, h.getFloat(3), 0f);
            assertEquals(65536f, b.getFloat(3), 0f); // bf16 rounds 65504 to nearest even: 2^16
        }
    }
}
