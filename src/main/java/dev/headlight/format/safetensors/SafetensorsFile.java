package dev.headlight.format.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.format.ErrorMessages;
import dev.headlight.format.FormatException;
import dev.headlight.format.InputFiles;
import dev.headlight.format.JsonTrees;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped .safetensors file. The header is validated as the reference Rust implementation
 * (safetensors/src/tensor.rs) does before any tensor is handed out; tensors are zero-copy views into the
 * mapping, so files larger than 2 GB work and weights stay in their stored dtype.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation's limit on the JSON header. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Map<String, TensorInfo> tensors;   // header order
    private final Map<String, String> metadata;      // the optional "__metadata__" string map
    private final long dataStart;                     // 8 + header length
    private final long openedSize;                    // the file's size and modification time when mapped
    private final java.nio.file.attribute.FileTime openedModified;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata, long dataStart, long openedSize,
                            java.nio.file.attribute.FileTime openedModified) {
        this.openedSize = openedSize;
        this.openedModified = openedModified;
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.tensors = tensors;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    /** Maps and validates {@code path}; any problem becomes a one-line {@link FormatException}. */
    public static SafetensorsFile open(Path path) {
        var attributes = InputFiles.requireRegular(path, Long.MAX_VALUE);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new FormatException(path, "not a safetensors file: " + size
                        + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            Header header = parseHeader(path, mapping, size);
            return new SafetensorsFile(path, arena, mapping, header.tensors, header.metadata, header.dataStart,
                    size, attributes.lastModifiedTime());
        } catch (IOException e) {
            arena.close();
            throw new FormatException(path, "cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
    }

    private static Header parseHeader(Path path, MemorySegment mapping, long fileSize) {
        if (fileSize < 8) {
            throw new FormatException(path, "not a safetensors file: " + fileSize
                    + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = mapping.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new FormatException(path, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (damaged or not a safetensors file)");
        }
        long dataStart = 8 + headerLength; // cannot overflow: headerLength <= 1e8
        if (dataStart > fileSize) {
            throw new FormatException(path, "header length " + headerLength + " runs past the end of the "
                    + fileSize + "-byte file (truncated?)");
        }
        byte[] headerBytes = mapping.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(path, "header is not valid UTF-8");
        }
        if (!json.startsWith("{")) {
            throw new FormatException(path, "header does not start with '{' (not a safetensors file)");
        }
        JsonNode root;
        try {
            root = JsonTrees.parseWhole(json, true);
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "header is not valid JSON" + ErrorMessages.jsonProblem(e));
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(path, "header is not a JSON object");
        }

        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("__metadata__")) {
                metadata = parseMetadata(path, field.getValue());
            } else {
                tensors.put(name, parseEntry(path, name, field.getValue()));
            }
        }
        validateLayout(path, tensors.values(), fileSize - dataStart);
        return new Header(Collections.unmodifiableMap(tensors), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path path, JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new FormatException(path, "__metadata__ is not a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new FormatException(path, "__metadata__ value for '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode entry) {
        String where = "tensor '" + name + "': ";
        if (!entry.isObject()) {
            throw new FormatException(path, where + "header entry is not a JSON object");
        }
        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new FormatException(path, where + "missing dtype");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.asText()).orElseThrow(() ->
                new FormatException(path, where + "unknown dtype \"" + dtypeNode.asText() + "\""));
        JsonNode shapeNode = entry.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new FormatException(path, where + "missing shape");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 0) {
                throw new FormatException(path, where + "shape " + shapeNode + " has a dimension that is not a "
                        + "non-negative integer");
            }
            shape[i] = dim.asLong();
        }
        JsonNode offsets = entry.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()
                || offsets.get(0).asLong() < 0 || offsets.get(1).asLong() < 0) {
            throw new FormatException(path, where + "data_offsets must be two non-negative integers [begin, end]");
        }
        for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new FormatException(path, where + "unexpected header field \"" + key + "\"");
            }
        }
        return new TensorInfo(name, dtype, shape, offsets.get(0).asLong(), offsets.get(1).asLong());
    }

    /** Tensors sorted by offset must tile the data section exactly, each with elements x size bytes. */
    private static void validateLayout(Path path, Iterable<TensorInfo> entries, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        for (TensorInfo t : sorted) {
            String where = "tensor '" + t.name() + "': ";
            if (t.begin() != expectedBegin) {
                throw new FormatException(path, where + "data_offsets [" + t.begin() + ", " + t.end() + "] "
                        + (t.begin() < expectedBegin ? "overlap the previous tensor" : "leave a gap after the previous tensor")
                        + " (expected to begin at " + expectedBegin + ")");
            }
            if (t.end() < t.begin()) {
                throw new FormatException(path, where + "data_offsets end " + t.end() + " before begin " + t.begin());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(t.elementCount(), (long) t.dtype().byteSize());
            } catch (ArithmeticException e) {
                throw new FormatException(path, where + "shape " + t.shapeString() + " overflows");
            }
            if (bytes != t.byteSize()) {
                throw new FormatException(path, where + t.dtype() + " " + t.shapeString() + " needs " + bytes
                        + " bytes but data_offsets span " + t.byteSize());
            }
            expectedBegin = t.end();
        }
        if (expectedBegin != dataLength) {
            throw new FormatException(path, expectedBegin > dataLength
                    ? "tensor data runs past the end of the file: header describes " + expectedBegin
                      + " bytes but only " + dataLength + " follow it (truncated?)"
                    : dataLength - expectedBegin + " bytes after the last tensor are not described by the header");
        }
    }

    /**
     * Throws when the file's size or modification time differ from when it was mapped, or it is gone: reading
     * a mapping past the file's new end faults (SIGBUS).
     */
    public void checkUnchanged() {
        java.nio.file.attribute.BasicFileAttributes now;
        try {
            now = java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            throw new FormatException(path, "is gone or unreadable since the model was opened; reopen the model");
        }
        if (now.size() != openedSize || !now.lastModifiedTime().equals(openedModified)) {
            throw new FormatException(path, "changed on disk since the model was opened (" + openedSize
                    + " bytes then, " + now.size() + " now); reopen the model");
        }
    }

    public Path path() {
        return path;
    }

    /** Header entries in header order. */
    public Map<String, TensorInfo> tensorInfos() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** A zero-copy view of one tensor; throws if the file holds no tensor of that name. */
    public Tensor tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new FormatException(path, "has no tensor named '" + name + "'");
        }
        return new Tensor(info, mapping.asSlice(dataStart + info.begin(), info.byteSize()), path);
    }

    /** Unmaps the file; tensors handed out before become unusable. */
    @Override
    public void close() {
        arena.close();
    }
}
