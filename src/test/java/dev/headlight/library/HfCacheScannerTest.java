package dev.headlight.library;

import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class HfCacheScannerTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    /** Lays out a model folder as the hub cache does: files in blobs/, symlinks in snapshots/<rev>/. */
    public static Path cacheModel(Path cache, String repoId, String revision, Path source) throws IOException {
        Path repo = cache.resolve("models--" + repoId.replace("/", "--"));
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(revision));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Path blob = blobs.resolve(Integer.toHexString(f.getFileName().toString().hashCode()) + "-blob");
                // blobs are named by content in a real cache: a second revision of the same file shares its blob
                Files.copy(f, blob, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.createSymbolicLink(snapshot.resolve(f.getFileName()), snapshot.relativize(blob));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve("main"), revision);
        return snapshot;
    }

    @Test
    void listsCachedModelsFromHeadersAndConfig(@TempDir Path cache) throws IOException {
        Path gpt2 = cacheModel(cache, "tiny/gpt2-tiny", "abc123", FIXTURES.resolve("gpt2-tiny/model"));
        cacheModel(cache, "tiny/llama-sharded", "def456", FIXTURES.resolve("llama-tiny-bf16-sharded/model"));
        List<HfCacheScanner.Entry> entries = HfCacheScanner.scan(cache);
        assertEquals(2, entries.size());
        HfCacheScanner.Entry e = entries.getFirst();
        assertEquals("tiny/gpt2-tiny", e.repoId());
        assertEquals("abc123", e.revision());
        assertEquals(gpt2, e.folder());
        assertEquals("GPT2LMHeadModel", e.architecture());
        assertEquals("gpt2", e.modelType());
        assertEquals("F32", e.dtype());
        assertNull(e.problem());
        // expected values from the reader of the format package and the files themselves
        long elements;
        try (SafetensorsFile file = SafetensorsFile.open(FIXTURES.resolve("gpt2-tiny/model/model.safetensors"))) {
            elements = file.tensorInfos().values().stream().mapToLong(TensorInfo::elementCount).sum();
        }
        assertEquals(elements, e.parameters());
        long bytes;
        try (Stream<Path> s = Files.list(FIXTURES.resolve("gpt2-tiny/model"))) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(bytes, e.sizeOnDisk());

        HfCacheScanner.Entry sharded = entries.get(1);
        assertEquals("BF16", sharded.dtype());
        assertTrue(sharded.supported());
        assertEquals("LlamaForCausalLM", sharded.architecture());
    }

    @Test
    void unsupportedModelsSayWhy(@TempDir Path cache, @TempDir Path work) throws IOException {
        Path odd = Files.createDirectories(work.resolve("odd"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/model.safetensors"), odd.resolve("model.safetensors"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/tokenizer.json"), odd.resolve("tokenizer.json"));
        Files.writeString(odd.resolve("config.json"), "{\"architectures\": [\"MambaForCausalLM\"], \"model_type\": \"mamba\"}");
        cacheModel(cache, "org/mamba", "r1", odd);

        Path pickle = Files.createDirectories(work.resolve("pickle"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/config.json"), pickle.resolve("config.json"));
        Files.writeString(pickle.resolve("pytorch_model.bin"), "not read");
        cacheModel(cache, "org/pickled", "r2", pickle);

        Path damaged = Files.createDirectories(work.resolve("damaged"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/config.json"), damaged.resolve("config.json"));
        Files.write(damaged.resolve("model.safetensors"), new byte[]{1, 2, 3});
        cacheModel(cache, "org/damaged", "r3", damaged);

        Map<String, HfCacheScanner.Entry> byName = new java.util.HashMap<>();
        HfCacheScanner.scan(cache).forEach(e -> byName.put(e.repoId(), e));
        assertFalse(byName.get("org/mamba").supported());
        assertTrue(byName.get("org/mamba").problem().contains("MambaForCausalLM"), byName.get("org/mamba").problem());
        assertTrue(byName.get("org/pickled").problem().contains("pickle"), byName.get("org/pickled").problem());
        assertTrue(byName.get("org/damaged").problem().contains("model.safetensors"), byName.get("org/damaged").problem());
    }

    @Test
    void aFolderWithoutTokenizerOpensOnIds(@TempDir Path cache, @TempDir Path work) throws IOException {
        Path bare = Files.createDirectories(work.resolve("bare"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/model.safetensors"), bare.resolve("model.safetensors"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model/config.json"), bare.resolve("config.json"));
        cacheModel(cache, "org/bare", "r", bare);
        HfCacheScanner.Entry e = HfCacheScanner.scan(cache).getFirst();
        assertTrue(e.supported());
        assertTrue(e.note().contains("tokenizer.json"), e.note());
    }

    @Test
    void refsMainPicksTheSnapshot(@TempDir Path cache) throws IOException {
        cacheModel(cache, "org/m", "old", FIXTURES.resolve("gpt2-tiny/model"));
        Path repo = cache.resolve("models--org--m");
        Path newer = Files.createDirectories(repo.resolve("snapshots").resolve("new"));
        Files.writeString(newer.resolve("config.json"), "{}");
        assertEquals("old", HfCacheScanner.scan(cache).getFirst().revision());
        Files.writeString(repo.resolve("refs").resolve("main"), "new");
        assertEquals("new", HfCacheScanner.scan(cache).getFirst().revision());
    }

    @Test
    void cacheRootFollowsTheEnvironment() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/x/hub"), HfCacheScanner.cacheRoot(Map.of("HF_HOME", "/x"), home));
        assertEquals(Path.of("/y"), HfCacheScanner.cacheRoot(Map.of("HF_HOME", "/x", "HF_HUB_CACHE", "/y"), home));
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HfCacheScanner.cacheRoot(Map.of(), home));
        assertTrue(HfCacheScanner.scan(Path.of("/nonexistent-headlight-cache")).isEmpty());
    }

    @Test
    void humanBytes() {
        assertEquals("512 B", HfCacheScanner.humanBytes(512));
        assertEquals("2 KB", HfCacheScanner.humanBytes(2048));
        assertEquals("1.5 MB", HfCacheScanner.humanBytes(3L << 19));
        assertEquals("2.0 GB", HfCacheScanner.humanBytes(2L << 30));
    }
}
