package dev.headlight.format.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.FormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a safetensors file keeps each tensor, read from the file's own bytes: the 8-byte little-endian header
 * length N, the JSON header at bytes [8, 8 + N) with each tensor's entry as written, and each tensor's data at
 * absolute bytes [8 + N + begin, 8 + N + end) where [begin, end) are the entry's data_offsets. "From the file to
 * the number": with {@link #readElement} a stored element's bytes and bits.
 *
 * @param headerLength N, the JSON header's length in bytes
 * @param entries      every tensor's entry, in header order ({@code __metadata__} left out)
 */
public record FileLayout(Path file, long fileSize, long headerLength, Map<String, Entry> entries) {

    /**
     * One tensor's header entry.
     *
     * @param json       the entry's JSON text exactly as stored, e.g. {"dtype":"F32","shape":[64,64],"data_offsets":[0,16384]}
     * @param jsonBegin  absolute file offset of the entry's opening brace; jsonEnd one past its closing brace
     * @param dataBegin  data_offsets[0], relative to the data section; dataEnd data_offsets[1]
     * @param fileBegin  absolute file offset of the first data byte (8 + N + dataBegin); fileEnd one past the last
     */
    public record Entry(String name, String json, long jsonBegin, long jsonEnd, DType dtype, long[] shape,
                        long dataBegin, long dataEnd, long fileBegin, long fileEnd) {

        /** Absolute file offset of element {@code index} (row-major). */
        public long elementOffset(long index) {
            return fileBegin + index * dtype.byteSize();
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The start of the data section: 8 + N. */
    public long dataStart() {
        return 8 + headerLength;
    }

    public Entry entry(String tensor) {
        Entry e = entries.get(tensor);
        if (e == null) {
            throw new FormatException(file, "has no tensor " + tensor);
        }
        return e;
    }

    /** Reads the header of {@code file} (only its first 8 + N bytes). */
    public static FileLayout read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long headerLength = readLong(channel, 0, file);
            if (headerLength < 0 || headerLength > SafetensorsFile.MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw new FormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " does not fit the " + size + "-byte file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, file);
            return new FileLayout(file, size, headerLength, parseEntries(file, header.array(), 8 + headerLength));
        } catch (IOException e) {
            throw new FormatException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Each entry's text located by the parser's byte offsets (the header is UTF-8, so they are byte offsets). */
    private static Map<String, Entry> parseEntries(Path file, byte[] header, long dataStart) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonParser parser = mapper.createParser(header)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new FormatException(file, "header is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                long begin = parser.currentTokenLocation().getByteOffset();
                JsonNode value = mapper.readTree(parser);
                long end = parser.currentTokenLocation().getByteOffset() + 1;
                if (name.equals("__metadata__")) {
                    continue;
                }
                JsonNode offsets = value.path("data_offsets");
                DType dtype = DType.fromHeaderName(value.path("dtype").asText())
                        .orElseThrow(() -> new FormatException(file, "tensor " + name + " has an unknown dtype"));
                long[] shape = new long[value.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = value.path("shape").get(i).asLong();
                }
                long dataBegin = offsets.path(0).asLong();
                long dataEnd = offsets.path(1).asLong();
                String json = new String(header, (int) begin, (int) (end - begin), StandardCharsets.UTF_8);
                entries.put(name, new Entry(name, json, 8 + begin, 8 + end, dtype, shape, dataBegin, dataEnd,
                        dataStart + dataBegin, dataStart + dataEnd));
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /** The stored bytes and bits of element {@code index} of {@code tensor}, read from the file. */
    public StoredElement readElement(String tensor, long index) {
        Entry e = entry(tensor);
        if (index < 0 || index >= e.elementCount()) {
            throw new IllegalArgumentException("element " + index + " outside " + tensor + " of "
                    + e.elementCount());
        }
        long offset = e.elementOffset(index);
        ByteBuffer bytes = ByteBuffer.allocate(e.dtype().byteSize());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(channel, bytes, offset, file);
        } catch (IOException ex) {
            throw new FormatException(file, "cannot be read (" + ex.getMessage() + ")", ex);
        }
        return StoredElement.of(e.dtype(), bytes.array(), offset);
    }

    private static long readLong(FileChannel channel, long at, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, b, at, file);
        return b.getLong(0);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long at, Path file) throws IOException {
        long position = at;
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new FormatException(file, "ends at byte " + position + " (truncated?)");
            }
            position += n;
        }
    }
}
