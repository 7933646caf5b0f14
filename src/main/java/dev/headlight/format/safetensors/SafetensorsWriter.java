package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a .safetensors file: tensors in the order added, contiguous, header padded with spaces to a multiple of
 * 8 bytes as the reference implementation does. The file is written to a temporary sibling and moved into place,
 * so a reader never sees half a file.
 */
public final class SafetensorsWriter {
    private record Entry(String name, DType dtype, long[] shape, byte[] bytes) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter addFloat32(String name, float[] values, long... shape) {
        ByteBuffer buf = buffer(values.length * 4L);
        buf.asFloatBuffer().put(values);
        return add(name, DType.F32, shape, buf.array(), values.length);
    }

    public SafetensorsWriter addFloat16(String name, float[] values, long... shape) {
        return addHalf(name, DType.F16, Float::floatToFloat16, values, shape);
    }

    /** bfloat16 with round-to-nearest-even, as torch's .to(torch.bfloat16). */
    public SafetensorsWriter addBFloat16(String name, float[] values, long... shape) {
        return addHalf(name, DType.BF16, SafetensorsWriter::toBFloat16, values, shape);
    }

    /** How a 16-bit type stores one float. */
    private interface HalfEncoding {
        short encode(float value);
    }

    private SafetensorsWriter addHalf(String name, DType dtype, HalfEncoding encoding, float[] values, long[] shape) {
        ByteBuffer buf = buffer(values.length * 2L);
        for (float v : values) {
            buf.putShort(encoding.encode(v));
        }
        return add(name, dtype, shape, buf.array(), values.length);
    }

    public SafetensorsWriter addInt64(String name, long[] values, long... shape) {
        ByteBuffer buf = buffer(values.length * 8L);
        buf.asLongBuffer().put(values);
        return add(name, DType.I64, shape, buf.array(), values.length);
    }

    public SafetensorsWriter addInt32(String name, int[] values, long... shape) {
        ByteBuffer buf = buffer(values.length * 4L);
        buf.asIntBuffer().put(values);
        return add(name, DType.I32, shape, buf.array(), values.length);
    }

    /** Raw little-endian bytes of any dtype. */
    public SafetensorsWriter addRaw(String name, DType dtype, byte[] bytes, long... shape) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count * dtype.byteSize() != bytes.length) {
            throw new IllegalArgumentException(name + ": " + bytes.length + " bytes do not fit " + dtype
                    + " " + java.util.Arrays.toString(shape));
        }
        entries.add(new Entry(name, dtype, shape.clone(), bytes));
        return this;
    }

    private SafetensorsWriter add(String name, DType dtype, long[] shape, byte[] bytes, long count) {
        long expected = 1;
        for (long d : shape) {
            expected *= d;
        }
        if (expected != count) {
            throw new IllegalArgumentException(name + ": " + count + " values do not fill shape "
                    + java.util.Arrays.toString(shape));
        }
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' added twice");
            }
        }
        entries.add(new Entry(name, dtype, shape.clone(), bytes));
        return this;
    }

    private static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static short toBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes (the streaming writer's, for the same layout). */
    byte[] headerBytes() {
        return StreamingSafetensorsWriter.header(metadata, entries.stream()
                .map(e -> new StreamingSafetensorsWriter.Declared(e.name, e.dtype, e.shape)).toList());
    }

    public void write(Path path) throws IOException {
        byte[] header = headerBytes();
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // A sibling with ordinary permissions (createTempFile would make it owner-only).
        Path tmp = parent.resolve("." + path.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(length.array());
            out.write(header);
            for (Entry e : entries) {
                out.write(e.bytes);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
