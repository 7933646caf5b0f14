package dev.headlight.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.config.Family;
import dev.headlight.format.safetensors.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lists the models in the Hugging Face hub cache ({@code $HF_HUB_CACHE}, {@code $HF_HOME/hub} or
 * {@code ~/.cache/huggingface/hub}): {@code models--org--name/snapshots/<revision>/}, whose files are symlinks into
 * {@code blobs/}. Everything shown is read from config.json and the safetensors headers; no weights are loaded.
 */
public final class HfCacheScanner {

    /** Created on the first scan, not with the class: {@link #humanBytes} is used on the FX thread. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * One cached model snapshot.
     *
     * @param repoId       "org/name"
     * @param revision     the snapshot folder name (a commit hash)
     * @param folder       the snapshot folder to open
     * @param architecture config.json's architectures[0], or "" when unknown
     * @param parameters   elements in all safetensors tensors (0 when there are none)
     * @param dtype        the dtype holding most bytes, or ""
     * @param sizeOnDisk   bytes of all files of the snapshot, symlinks resolved
     * @param problem      why Headlight cannot open it, or null when it can
     * @param note         something to know about a model that opens, or null
     */
    public record Entry(String repoId, String revision, Path folder, String architecture, String modelType,
                        long parameters, String dtype, long sizeOnDisk, String problem, String note) {
        public boolean supported() {
            return problem == null;
        }
    }

    private HfCacheScanner() {
    }

    /** The hub cache folder the environment points at (it may not exist). */
    public static Path defaultCacheRoot() {
        return cacheRoot(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path cacheRoot(Map<String, String> env, Path home) {
        String hubCache = env.get("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return Path.of(hubCache);
        }
        String hfHome = env.get("HF_HOME");
        if (hfHome != null && !hfHome.isBlank()) {
            return Path.of(hfHome, "hub");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "huggingface", "hub");
        }
        return home.resolve(".cache").resolve("huggingface").resolve("hub");
    }

    /** Every model repository in the cache, sorted by name; an absent cache gives an empty list. */
    public static List<Entry> scan(Path cacheRoot) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(cacheRoot)) {
            return out;
        }
        try (Stream<Path> repos = Files.list(cacheRoot)) {
            for (Path repo : repos.sorted().toList()) {
                String name = repo.getFileName().toString();
                if (!name.startsWith("models--") || !Files.isDirectory(repo)) {
                    continue;
                }
                String repoId = name.substring("models--".length()).replace("--", "/");
                snapshot(repo).ifPresent(snap -> out.add(describe(repoId, snap)));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The snapshot of main, by {@link ModelLocator}'s rule: the one refs/main names, else the newest. */
    static Optional<Path> snapshot(Path repo) {
        return ModelLocator.snapshot(repo, "main");
    }

    /** Reads what the list shows about one snapshot folder. */
    public static Entry describe(String repoId, Path folder) {
        String revision = folder.getFileName().toString();
        long size = sizeOnDisk(folder);
        String architecture = "";
        String modelType = "";
        String problem = null;
        Path config = folder.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            problem = "no config.json";
        } else {
            try {
                JsonNode root = Json.MAPPER.readTree(Files.readString(config));
                JsonNode archs = root.path("architectures");
                architecture = archs.isArray() && !archs.isEmpty() ? archs.get(0).asText("") : "";
                modelType = root.path("model_type").asText("");
            } catch (IOException | RuntimeException e) {
                problem = "config.json is not valid JSON";
            }
        }
        long parameters = 0;
        Map<DType, Long> bytesByType = new HashMap<>();
        List<Path> weightFiles = listWeights(folder);
        for (Path file : weightFiles) {
            try {
                parameters += readHeader(file, bytesByType);
            } catch (IOException | RuntimeException e) {
                if (problem == null) {
                    problem = file.getFileName() + ": damaged safetensors header";
                }
            }
        }
        String dtype = bytesByType.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> e.getKey().name()).orElse("");
        if (problem == null) {
            if (weightFiles.isEmpty()) {
                problem = hasPickles(folder) ? "only PyTorch pickle weights (no safetensors)" : "no safetensors weights";
            } else if (Family.ofModelType(modelType).isEmpty()) {
                // the engine picks its implementation by model_type, as transformers does
                problem = (architecture.isEmpty() ? "model_type " + (modelType.isEmpty() ? "(none)" : modelType)
                        : architecture) + " is not supported (supported: " + Family.supportedList() + ")";
            }
        }
        String note = problem == null && !Files.isRegularFile(folder.resolve("tokenizer.json"))
                ? "no tokenizer.json: prompts are token ids" : null;
        return new Entry(repoId, revision, folder, architecture, modelType, parameters, dtype, size, problem, note);
    }

    private static List<Path> listWeights(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean hasPickles(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads only the JSON header of a safetensors file; returns its element count and adds bytes per dtype. */
    static long readHeader(Path file, Map<DType, Long> bytesByType) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (lengthBytes.hasRemaining() && channel.read(lengthBytes) > 0) {
                // read the 8-byte header length
            }
            if (lengthBytes.hasRemaining()) {
                throw new IOException("too short");
            }
            long length = lengthBytes.flip().getLong();
            if (length <= 0 || length > MAX_HEADER_BYTES || 8 + length > channel.size()) {
                throw new IOException("bad header length");
            }
            ByteBuffer header = ByteBuffer.allocate((int) length);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read the header
            }
            JsonNode root = Json.MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
            long elements = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                long count = 1;
                for (JsonNode dim : e.getValue().path("shape")) {
                    count = Math.multiplyExact(count, dim.asLong());
                }
                elements += count;
                JsonNode offsets = e.getValue().path("data_offsets");
                long bytes = offsets.path(1).asLong() - offsets.path(0).asLong();
                DType.fromHeaderName(e.getValue().path("dtype").asText())
                        .ifPresent(t -> bytesByType.merge(t, bytes, Long::sum));
            }
            return elements;
        }
    }

    static long sizeOnDisk(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p); // follows the symlink into blobs/
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** "1.2 GB", "350 MB", "12 KB". */
    public static String humanBytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(java.util.Locale.ROOT, "%.0f KB", bytes / (double) (1L << 10));
        }
        return bytes + " B";
    }
}
