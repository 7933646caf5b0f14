package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a .safetensors file whose tensors are declared up front and then streamed in order, so outputs larger
 * than memory allows at once (the logit lens is [L+1, T, V]) are written piece by piece. Same layout as
 * {@link dev.headlight.format.safetensors.SafetensorsWriter}: header padded with spaces to 8 bytes, tensors
 * contiguous in declaration order, written to a temporary sibling and moved into place when complete.
 */
public final class StreamingSafetensorsWriter implements AutoCloseable {

    /** A tensor to be written: name, dtype and shape. */
    public record Declared(String name, DType dtype, long... shape) {
        long bytes() {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            return Math.multiplyExact(count, (long) dtype.byteSize());
        }
    }

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final List<Declared> tensors;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private int current;            // index of the tensor being written
    private long writtenOfCurrent;  // bytes of tensors[current] written so far
    private boolean finished;

    private StreamingSafetensorsWriter(Path target, Path temporary, FileChannel channel, List<Declared> tensors) {
        this.target = target;
        this.temporary = temporary;
        this.channel = channel;
        this.tensors = tensors;
    }

    public static StreamingSafetensorsWriter create(Path target, Map<String, String> metadata, List<Declared> tensors)
            throws IOException {
        byte[] header = header(metadata, tensors);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // not Files.createTempFile: its owner-only permissions would stay on the output file
        Path temporary = parent.resolve(target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        StreamingSafetensorsWriter writer = new StreamingSafetensorsWriter(target, temporary, channel, List.copyOf(tensors));
        writer.buffer.putLong(header.length);
        writer.putBytes(header);
        writer.skipEmpty();
        return writer;
    }

    /** The header JSON of tensors stored contiguously in this order, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Map<String, String> metadata, List<Declared> tensors) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Declared t : tensors) {
            if (root.has(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' declared twice");
            }
            ObjectNode node = root.putObject(t.name());
            node.put("dtype", t.dtype().name());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            ArrayNode offsets = node.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + t.bytes());
            offset += t.bytes();
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    /** Appends float32 values [from, from + count) to the tensor being written. */
    public void writeFloats(float[] values, int from, int count) throws IOException {
        expect(DType.F32, count * 4L);
        for (int i = from; i < from + count; i++) {
            if (buffer.remaining() < 4) {
                drain();
            }
            buffer.putFloat(values[i]);
        }
        advance(count * 4L);
    }

    public void writeFloats(float[] values) throws IOException {
        writeFloats(values, 0, values.length);
    }

    /** Appends int64 values to the tensor being written. */
    public void writeLongs(long[] values) throws IOException {
        expect(DType.I64, values.length * 8L);
        for (long v : values) {
            if (buffer.remaining() < 8) {
                drain();
            }
            buffer.putLong(v);
        }
        advance(values.length * 8L);
    }

    private void expect(DType dtype, long bytes) {
        if (current >= tensors.size()) {
            throw new IllegalStateException("all declared tensors are already written");
        }
        Declared t = tensors.get(current);
        if (t.dtype() != dtype) {
            throw new IllegalStateException("tensor '" + t.name() + "' is " + t.dtype() + ", not " + dtype);
        }
        if (writtenOfCurrent + bytes > t.bytes()) {
            throw new IllegalStateException("more data than tensor '" + t.name() + "' " + Arrays.toString(t.shape())
                    + " holds");
        }
    }

    private void advance(long bytes) {
        writtenOfCurrent += bytes;
        skipEmpty();
    }

    /** Moves past every tensor that is complete (including 0-element ones). */
    private void skipEmpty() {
        while (current < tensors.size() && writtenOfCurrent == tensors.get(current).bytes()) {
            current++;
            writtenOfCurrent = 0;
        }
    }

    private void putBytes(byte[] bytes) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(buffer.remaining(), bytes.length - at);
            buffer.put(bytes, at, n);
            at += n;
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Checks that every declared tensor was written and moves the file into place. */
    public void finish() throws IOException {
        if (current < tensors.size()) {
            throw new IllegalStateException("tensor '" + tensors.get(current).name() + "' is incomplete");
        }
        drain();
        channel.close();
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
    }

    /** Without {@link #finish()}, removes the partial file. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            channel.close();
            Files.deleteIfExists(temporary);
        }
    }
}
