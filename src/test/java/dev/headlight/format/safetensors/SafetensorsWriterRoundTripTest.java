package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What SafetensorsWriter writes, SafetensorsFile reads back bit for bit; and the fixtures' references read. */
class SafetensorsWriterRoundTripTest {

    @Test
    void everyDtypeMetadataAndEmptyTensorsRoundTrip(@TempDir Path dir) throws IOException {
        float[] floats = {0f, -1.5f, 3.25f, Float.MAX_VALUE, Float.MIN_VALUE, -0f};
        long[] longs = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE};
        int[] ints = {7, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1};
        byte[] u8 = {0, 1, (byte) 255};
        byte[] f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(Math.PI).putDouble(-2).array();
        byte[] u16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 65535).putShort((short) 2)
                .array();
        byte[] e4m3 = {0x38, (byte) 0xB8}; // 1.0 and -1.0
        Path file = dir.resolve("all.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt").metadata("note", "ünïcode ✓")
                .addFloat32("f32", floats, 2, 3)
                .addFloat16("f16", new float[]{1f, -2f, 0.5f}, 3)
                .addBFloat16("bf16", new float[]{1f, -2f, 0.5f, 256f}, 2, 2)
                .addInt64("i64", longs, 4)
                .addInt32("i32", ints, 3, 2)
                .addRaw("u8", DType.U8, u8, 3)
                .addRaw("f64", DType.F64, f64, 2)
                .addRaw("u16", DType.U16, u16, 2)
                .addRaw("e4m3", DType.F8_E4M3, e4m3, 2)
                .addFloat32("empty", new float[0], 0)
                .addFloat32("empty2d", new float[0], 3, 0)
                .addFloat32("scalar", new float[]{42f})
                .write(file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + headerLength) % 8, "data starts on an 8-byte boundary");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "ünïcode ✓"), st.metadata());
            assertEquals(List.of("f32", "f16", "bf16", "i64", "i32", "u8", "f64", "u16", "e4m3", "empty", "empty2d",
                    "scalar"), List.copyOf(st.tensorInfos().keySet()), "header order is the order added");
            Tensor f32 = st.tensor("f32");
            assertEquals(DType.F32, f32.dtype());
            assertArrayEquals(new long[]{2, 3}, f32.shape());
            for (int i = 0; i < floats.length; i++) {
                assertEquals(Float.floatToRawIntBits(floats[i]), Float.floatToRawIntBits(f32.getFloat(i)));
            }
            assertArrayEquals(new float[]{1f, -2f, 0.5f}, st.tensor("f16").toFloats());
            assertArrayEquals(new float[]{1f, -2f, 0.5f, 256f}, st.tensor("bf16").toFloats());
            assertArrayEquals(longs, st.tensor("i64").toLongs());
            assertArrayEquals(new long[]{3, 2}, st.tensor("i32").shape());
            for (int i = 0; i < ints.length; i++) {
                assertEquals(ints[i], st.tensor("i32").getLong(i));
            }
            assertArrayEquals(new long[]{0, 1, 255}, st.tensor("u8").toLongs());
            assertEquals((float) Math.PI, st.tensor("f64").getFloat(0));
            assertEquals(-2f, st.tensor("f64").getFloat(1));
            assertArrayEquals(new long[]{65535, 2}, st.tensor("u16").toLongs());
            assertArrayEquals(new float[]{1f, -1f}, st.tensor("e4m3").toFloats());
            assertEquals(0, st.tensor("empty").elementCount());
            assertEquals(0, st.tensor("empty").segment().byteSize());
            assertArrayEquals(new long[]{3, 0}, st.tensor("empty2d").shape());
            assertEquals(0, st.tensor("scalar").rank());
            assertEquals(42f, st.tensor("scalar").getFloat(0));
        }
    }

    @Test
    void onlyEmptyTensorsGiveAValidFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.safetensors");
        new SafetensorsWriter().addInt64("a", new long[0], 0).addFloat32("b", new float[0], 0, 5).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(2, st.tensorInfos().size());
            assertEquals(0, st.tensor("b").elementCount());
        }
    }

    @Test
    void rewritingReplacesTheFileWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.safetensors");
        new SafetensorsWriter().addFloat32("big", new float[1000], 1000).write(file);
        new SafetensorsWriter().addFloat32("small", new float[]{1f}, 1).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(List.of("small"), List.copyOf(st.tensorInfos().keySet()));
        }
    }

    @Test
    void writerRefusesInconsistentInput() {
        SafetensorsWriter writer = new SafetensorsWriter().addFloat32("a", new float[4], 4);
        assertThrows(IllegalArgumentException.class, () -> writer.addFloat32("a", new float[4], 4));
        assertThrows(IllegalArgumentException.class, () -> writer.addFloat32("b", new float[4], 3));
        assertThrows(IllegalArgumentException.class, () -> writer.addRaw("c", DType.F32, new byte[7], 2));
    }

    /** Every fixture's reference.safetensors reads with the documented layout and consistent values. */
    @Test
    void readsEveryFixtureReference() throws IOException {
        Path fixtures = DamagedModels.fixtures();
        JsonNode index = DamagedModels.JSON.readTree(fixtures.resolve("index.json").toFile());
        assertEquals(9, index.size());
        for (JsonNode row : index) {
            String name = row.get("name").asText();
            JsonNode reference = DamagedModels.JSON.readTree(fixtures.resolve(name).resolve("reference.json").toFile());
            try (SafetensorsFile st = SafetensorsFile.open(fixtures.resolve(name).resolve("reference.safetensors"))) {
                Tensor ids = st.tensor("input_ids");
                int tokens = row.get("tokens").asInt();
                assertEquals(DType.I64, ids.dtype(), name);
                assertArrayEquals(new long[]{tokens}, ids.shape(), name);
                for (int t = 0; t < tokens; t++) {
                    assertEquals(reference.get("input_ids").get(t).asLong(), ids.getLong(t), name);
                }
                Tensor attentions = st.tensor("attentions");
                Tensor logits = st.tensor("logits");
                Tensor residual = st.tensor("residual");
                Tensor lens = st.tensor("lens_logprobs");
                long layers = attentions.dim(0);
                long heads = attentions.dim(1);
                long vocab = logits.dim(1);
                assertArrayEquals(new long[]{layers, heads, tokens, tokens}, attentions.shape(), name);
                assertArrayEquals(new long[]{tokens, vocab}, logits.shape(), name);
                assertArrayEquals(new long[]{layers + 1, tokens, residual.dim(2)}, residual.shape(), name);
                assertArrayEquals(new long[]{layers + 1, tokens, vocab}, lens.shape(), name);
                boolean causal = !reference.get("architecture").asText().startsWith("Bert");
                // attention rows are probability distributions; causal models never look ahead
                for (long row0 = 0; row0 < layers * heads * tokens; row0++) {
                    int query = (int) (row0 % tokens);
                    double sum = 0;
                    for (int key = 0; key < tokens; key++) {
                        float p = attentions.getFloat(row0 * tokens + key);
                        sum += p;
                        if (causal && key > query) {
                            assertEquals(0f, p, 0f, name + " looks ahead");
                        }
                    }
                    assertEquals(1.0, sum, 1e-4, name + " attention row " + row0);
                }
                // log-probabilities: every lens row's probabilities sum to 1
                for (long r = 0; r < (layers + 1) * tokens; r++) {
                    double sum = 0;
                    for (long v = 0; v < vocab; v++) {
                        sum += Math.exp(lens.getFloat(r * vocab + v));
                    }
                    assertEquals(1.0, sum, 1e-3, name + " lens row " + r);
                }
            }
        }
    }
}
