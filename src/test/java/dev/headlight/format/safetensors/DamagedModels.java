package dev.headlight.format.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Damaged model folders, each made from a copy of a real fixture by changing a few bytes, for the tests of the
 * reader (here) and of the command line (dev.headlight.cli). Every case names the file at fault and a word or
 * tensor name the one-line message must contain.
 */
public final class DamagedModels {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The first tensor of gpt2-tiny's model.safetensors by offset, and the second. */
    public static final String FIRST = "transformer.h.0.attn.c_attn.bias";
    public static final String SECOND = "transformer.h.0.attn.c_attn.weight";

    @FunctionalInterface
    public interface Damager {
        void damage(Path folder) throws IOException;
    }

    /**
     * @param name       short description, shown as the test name
     * @param base       fixture the folder is copied from
     * @param faultyFile the file (or folder) the message must name; "" for the model folder itself
     * @param mentions   text the message must contain besides the file name (a tensor name or the problem)
     */
    public record Damage(String name, String base, String faultyFile, String mentions, Damager damager) {
        /** Creates the damaged folder under {@code parent} and returns it. */
        public Path make(Path parent) throws IOException {
            Path folder = parent.resolve(name.replaceAll("[^A-Za-z0-9]+", "-"));
            copyFixture(base, folder);
            damager.damage(folder);
            return folder;
        }

        /** The name the message must contain: the faulty file's name, or the folder's for folder problems. */
        public String expectedFileName(Path folder) {
            return faultyFile.isEmpty() ? folder.getFileName().toString() : faultyFile;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String SINGLE = "gpt2-tiny";
    private static final String SHARDED = "llama-tiny-bf16-sharded";
    private static final String FILE = "model.safetensors";
    private static final String INDEX = "model.safetensors.index.json";
    private static final String SHARD_1 = "model-00001-of-00008.safetensors";
    private static final String SHARD_7 = "model-00007-of-00008.safetensors";
    private static final String DOWN_PROJ = "model.layers.0.mlp.down_proj.weight"; // in shard 3 of 8

    private DamagedModels() {
    }

    /** Damaged weights: the reader refuses each. */
    public static List<Damage> weights() {
        return List.of(
                new Damage("truncated file", SINGLE, FILE, "truncated",
                        f -> cut(f.resolve(FILE), 1000)),
                new Damage("header length over 100 MB", SINGLE, FILE, "exceeds the limit",
                        f -> setHeaderLength(f.resolve(FILE), 200_000_000L)),
                new Damage("header length past end of file", SINGLE, FILE, "past the end",
                        f -> setHeaderLength(f.resolve(FILE), Files.size(f.resolve(FILE)))),
                new Damage("file shorter than 8 bytes", SINGLE, FILE, "shorter than the 8-byte",
                        f -> Files.write(f.resolve(FILE), new byte[]{5, 0, 0, 0, 0})),
                new Damage("header not UTF-8", SINGLE, FILE, "UTF-8",
                        f -> replaceInHeader(f.resolve(FILE), "\"pt\"", new byte[]{'"', 'p', (byte) 0xFF, '"'})),
                new Damage("header not starting with brace", SINGLE, FILE, "does not start with '{'",
                        f -> replaceInHeader(f.resolve(FILE), "{", "[".getBytes(StandardCharsets.UTF_8))),
                new Damage("header invalid JSON", SINGLE, FILE, "not valid JSON",
                        f -> replaceInHeader(f.resolve(FILE), ":", ";".getBytes(StandardCharsets.UTF_8))),
                new Damage("duplicate tensor key", SINGLE, FILE, FIRST,
                        f -> duplicateFirstEntry(f.resolve(FILE))),
                new Damage("unknown dtype", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> e.put("dtype", "F12"))),
                new Damage("negative shape dimension", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> shape(e, -64, 192))),
                new Damage("non-integer shape dimension", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> e.putArray("shape").add(64.5).add(192))),
                new Damage("elements times size differs from byte range", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> shape(e, 64, 191))),
                new Damage("overlapping tensors", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> offsets(e, 700, 700 + 49152))),
                new Damage("gap between tensors", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> offsets(e, 776, 776 + 49152))),
                new Damage("first tensor not at offset 0", SINGLE, FILE, FIRST,
                        f -> editEntry(f.resolve(FILE), FIRST, e -> offsets(e, 8, 776))),
                new Damage("data offsets end before begin", SINGLE, FILE, SECOND,
                        f -> editEntry(f.resolve(FILE), SECOND, e -> offsets(e, 768, 700))),
                new Damage("trailing bytes after last tensor", SINGLE, FILE, "after the last tensor",
                        f -> Files.write(f.resolve(FILE), new byte[16], java.nio.file.StandardOpenOption.APPEND)),
                new Damage("metadata value not a string", SINGLE, FILE, "__metadata__",
                        f -> editHeader(f.resolve(FILE), h -> ((ObjectNode) h.get("__metadata__")).put("format", 1))),
                new Damage("shard name with slash", SHARDED, INDEX, "sub/" + SHARD_1,
                        f -> editIndex(f, m -> m.put("lm_head.weight", "sub/" + SHARD_1))),
                new Damage("shard name with dot-dot", SHARDED, INDEX, "..",
                        f -> editIndex(f, m -> m.put("lm_head.weight", ".."))),
                new Damage("shard name escaping the folder", SHARDED, INDEX, "../" + SHARD_7,
                        f -> editIndex(f, m -> m.put("lm_head.weight", "../" + SHARD_7))),
                new Damage("index lists a missing shard", SHARDED, INDEX, SHARD_7,
                        f -> Files.delete(f.resolve(SHARD_7))),
                new Damage("index and shard disagree", SHARDED, INDEX, DOWN_PROJ,
                        f -> editIndex(f, m -> m.put(DOWN_PROJ, "model-00002-of-00008.safetensors"))),
                new Damage("index misses a tensor of a shard", SHARDED, INDEX, DOWN_PROJ,
                        f -> editIndex(f, m -> m.remove(DOWN_PROJ))),
                new Damage("index invalid JSON", SHARDED, INDEX, "not valid JSON",
                        f -> Files.writeString(f.resolve(INDEX), "{\"weight_map\": {")),
                new Damage("tensor in two files", SHARDED, "model-00009-of-00008.safetensors", "model.embed_tokens.weight",
                        f -> {
                            Files.delete(f.resolve(INDEX));
                            Files.copy(f.resolve(SHARD_1), f.resolve("model-00009-of-00008.safetensors"));
                        }),
                new Damage("trailing data after the header JSON", SINGLE, FILE, "trailing data",
                        f -> appendToHeader(f.resolve(FILE), "  {}")),
                new Damage("NUL padding after the header JSON", SINGLE, FILE, "not valid JSON",
                        f -> appendToHeader(f.resolve(FILE), "\0\0\0")),
                new Damage("weights a named pipe", SINGLE, FILE, "not a regular file",
                        f -> namedPipe(f.resolve(FILE))),
                new Damage("weights a link to /dev/zero", SINGLE, FILE, "not a regular file",
                        f -> linkToDevZero(f.resolve(FILE))),
                new Damage("index a named pipe", SHARDED, INDEX, "not a regular file",
                        f -> namedPipe(f.resolve(INDEX))),
                new Damage("index a link to /dev/zero", SHARDED, INDEX, "not a regular file",
                        f -> linkToDevZero(f.resolve(INDEX))),
                new Damage("empty folder", SINGLE, "", "model.safetensors",
                        DamagedModels::emptyFolder),
                new Damage("only pytorch_model.bin", SINGLE, "", "safetensors",
                        f -> {
                            Files.delete(f.resolve(FILE));
                            Files.write(f.resolve("pytorch_model.bin"), new byte[]{(byte) 0x80, 2, 'c', 'o', 's'});
                        }));
    }

    /** Damaged config.json: only the engine's Model.open reads it. */
    public static List<Damage> configs() {
        return List.of(
                new Damage("config.json missing", SINGLE, "config.json", "config.json",
                        f -> Files.delete(f.resolve("config.json"))),
                new Damage("config.json invalid JSON", SINGLE, "config.json", "JSON",
                        f -> Files.writeString(f.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_layer\": ")),
                new Damage("config.json a named pipe", SINGLE, "config.json", "not a regular file",
                        f -> namedPipe(f.resolve("config.json"))),
                new Damage("config.json a link to /dev/zero", SINGLE, "config.json", "not a regular file",
                        f -> linkToDevZero(f.resolve("config.json"))),
                new Damage("config.json with terminal escapes", SINGLE, "config.json", "\\e]0;owned",
                        f -> Files.writeString(f.resolve("config.json"),
                                "{\"model_type\": \"\\u001b]0;owned\\u0007\\u001b[2J\"}")));
    }

    /** Replaces {@code file} with a named pipe: reading it would block until someone writes. */
    public static void namedPipe(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Process p = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo failed for " + file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Replaces {@code file} with a symbolic link to /dev/zero: reading it never ends. */
    public static void linkToDevZero(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createSymbolicLink(file, Path.of("/dev/zero"));
    }

    /** Appends {@code text} after the header's JSON, inside the header length (the data bytes stay). */
    private static void appendToHeader(Path file, String text) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String json = new String(all, 8, (int) headerLength(all), StandardCharsets.UTF_8);
        writeHeader(file, all, json + text);
    }

    // ---- fixture access and byte surgery ----

    public static Path fixtures() {
        URL url = DamagedModels.class.getResource("/fixtures/index.json");
        if (url == null) {
            throw new IllegalStateException("test resources lack fixtures/index.json");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void copyFixture(String name, Path to) throws IOException {
        Path from = fixtures().resolve(name).resolve("model");
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void emptyFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
    }

    private static void cut(Path file, int bytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - bytes));
    }

    private static void setHeaderLength(Path file, long length) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        Files.write(file, all);
    }

    private static long headerLength(byte[] all) {
        return ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** Replaces the first occurrence of {@code find} inside the header with bytes of the same length. */
    private static void replaceInHeader(Path file, String find, byte[] replacement) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int headerEnd = (int) (8 + headerLength(all));
        byte[] needle = find.getBytes(StandardCharsets.UTF_8);
        for (int i = 8; i + needle.length <= headerEnd; i++) {
            if (Arrays.equals(all, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, all, i, replacement.length);
                Files.write(file, all);
                return;
            }
        }
        throw new IllegalStateException(find + " not in the header of " + file);
    }

    /** Rewrites the header (any length) keeping the data bytes. */
    private static void writeHeader(Path file, byte[] all, String header) throws IOException {
        byte[] data = Arrays.copyOfRange(all, (int) (8 + headerLength(all)), all.length);
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        Files.write(file, out.array());
    }

    @FunctionalInterface
    interface HeaderEdit {
        void edit(ObjectNode header);
    }

    private static void editHeader(Path file, HeaderEdit edit) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String json = new String(all, 8, (int) headerLength(all), StandardCharsets.UTF_8);
        ObjectNode header = (ObjectNode) JSON.readTree(json);
        edit.edit(header);
        writeHeader(file, all, JSON.writeValueAsString(header));
    }

    private static void editEntry(Path file, String tensor, HeaderEdit edit) throws IOException {
        editHeader(file, h -> edit.edit((ObjectNode) h.get(tensor)));
    }

    private static void duplicateFirstEntry(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String json = new String(all, 8, (int) headerLength(all), StandardCharsets.UTF_8).strip();
        ObjectNode header = (ObjectNode) JSON.readTree(json);
        String entry = "\"" + FIRST + "\":" + JSON.writeValueAsString(header.get(FIRST));
        writeHeader(file, all, "{" + entry + "," + json.substring(1));
    }

    private static void shape(ObjectNode entry, long... dims) {
        ArrayNode shape = entry.putArray("shape");
        for (long d : dims) {
            shape.add(d);
        }
    }

    private static void offsets(ObjectNode entry, long begin, long end) {
        entry.putArray("data_offsets").add(begin).add(end);
    }

    private static void editIndex(Path folder, HeaderEdit editWeightMap) throws IOException {
        Path index = folder.resolve(INDEX);
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(index));
        editWeightMap.edit((ObjectNode) root.get("weight_map"));
        Files.writeString(index, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
