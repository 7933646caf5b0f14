package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "From the file to the number": the byte ranges and bits FileLayout reports, checked against the file's raw bytes
 * read here independently (header length, JSON parsed with a tree reader, elements decoded by hand), on the f32
 * and bf16 fixtures and a written f16 file.
 */
class FileLayoutTest {
    static final Path F32 = Path.of("src/test/resources/fixtures/llama-tiny/model/model.safetensors");
    static final Path BF16_DIR = Path.of("src/test/resources/fixtures/llama-tiny-bf16-sharded/model");

    @Test
    void offsetsAndEntriesMatchTheRawBytes() throws IOException {
        check(F32);
        try (var shards = Files.list(BF16_DIR)) {
            for (Path shard : shards.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                check(shard);
            }
        }
    }

    private static void check(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(raw, 8, (int) n, StandardCharsets.UTF_8));
        FileLayout layout = FileLayout.read(file);
        assertEquals(n, layout.headerLength());
        assertEquals(8 + n, layout.dataStart());
        assertEquals(raw.length, layout.fileSize());
        int tensors = 0;
        for (var it = header.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            tensors++;
            FileLayout.Entry e = layout.entry(field.getKey());
            long begin = field.getValue().get("data_offsets").get(0).asLong();
            long end = field.getValue().get("data_offsets").get(1).asLong();
            assertEquals(begin, e.dataBegin());
            assertEquals(end, e.dataEnd());
            assertEquals(8 + n + begin, e.fileBegin());
            assertEquals(8 + n + end, e.fileEnd());
            // the entry text is the file's bytes at the reported offsets, and parses to the header's entry
            String atOffsets = new String(raw, (int) e.jsonBegin(), (int) (e.jsonEnd() - e.jsonBegin()),
                    StandardCharsets.UTF_8);
            assertEquals(atOffsets, e.json());
            assertEquals(field.getValue(), new ObjectMapper().readTree(e.json()));
            assertEquals(field.getValue().get("dtype").asText(), e.dtype().name());
        }
        assertEquals(tensors, layout.entries().size());
        assertTrue(tensors > 0);
    }

    @Test
    void elementsDecodeAsTheEngineReadsThem() {
        try (SafetensorsFile f32 = SafetensorsFile.open(F32)) {
            compareEveryFewElements(F32, f32, "model.layers.0.self_attn.q_proj.weight");
        }
        Path shard = BF16_DIR.resolve("model-00002-of-00008.safetensors");
        try (SafetensorsFile bf16 = SafetensorsFile.open(shard)) {
            String name = bf16.tensorInfos().keySet().stream()
                    .filter(k -> bf16.tensorInfos().get(k).dtype() == DType.BF16).findFirst().orElseThrow();
            compareEveryFewElements(shard, bf16, name);
        }
    }

    private static void compareEveryFewElements(Path path, SafetensorsFile file, String name) {
        FileLayout layout = FileLayout.read(path);
        Tensor t = file.tensor(name);
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (long i = 0; i < t.elementCount(); i += 7) {
            StoredElement el = layout.readElement(name, i);
            assertEquals(t.getFloat(i), el.value(), 0, name + "[" + i + "]");
            int size = t.dtype().byteSize();
            long at = layout.dataStart() + t.info().begin() + i * size;
            assertEquals(at, el.fileOffset());
            byte[] bytes = Arrays.copyOfRange(raw, (int) at, (int) at + size);
            assertEquals(java.util.HexFormat.ofDelimiter(" ").formatHex(bytes), el.bytes());
        }
    }

    @Test
    void bitGroupsOfKnownValues() {
        StoredElement one = StoredElement.of(DType.F32, le(Float.floatToIntBits(1f), 4), 0);
        assertEquals("0 | 01111111 | 00000000000000000000000", one.groupedBits());
        assertEquals("00 00 80 3f", one.bytes());
        assertEquals("(−1)^0 × 2^(127 − 127) × 1.0 = 1.0", one.formula());

        StoredElement minusTwo = StoredElement.of(DType.BF16, new byte[]{0x00, (byte) 0xC0}, 10);
        assertEquals("1 | 10000000 | 0000000", minusTwo.groupedBits());
        assertEquals(-2.0, minusTwo.value());
        assertEquals(10, minusTwo.fileOffset());

        StoredElement half = StoredElement.of(DType.F16, le(Float.floatToFloat16(0.15625f), 2), 0);
        assertEquals("0 | 01100 | 0100000000", half.groupedBits());
        assertEquals("(−1)^0 × 2^(12 − 15) × 1.25 = 0.15625", half.formula());

        StoredElement tiny = StoredElement.of(DType.F16, le(1, 2), 0); // the smallest subnormal half, 2^-24
        assertEquals(Math.pow(2, -24), tiny.value());
        assertTrue(tiny.formula().endsWith("(subnormal)"), tiny.formula());

        StoredElement integer = StoredElement.of(DType.I32, le(-5, 4), 0);
        assertFalse(integer.isFloatingPoint());
        assertEquals(-5.0, integer.value());
        assertEquals("11111111111111111111111111111011", integer.groupedBits());
    }

    @Test
    void f16FilesToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("half.safetensors");
        float[] values = {0.5f, -1.75f, 65504f, 6.1035156e-5f, 0f, -0f};
        new SafetensorsWriter().addFloat32("a", new float[]{1, 2, 3}, 3).addFloat16("w", values, 2, 3).write(file);
        FileLayout layout = FileLayout.read(file);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], layout.readElement("w", i).value(), 0);
        }
        assertEquals("1 | 01111 | 1100000000", layout.readElement("w", 1).groupedBits());
        assertEquals(1, layout.readElement("w", 5).sign());
    }

    private static byte[] le(long bits, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (bits >>> (8 * i));
        }
        return b;
    }
}
