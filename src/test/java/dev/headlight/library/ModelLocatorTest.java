package dev.headlight.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static dev.headlight.library.HfCacheScannerTest.FIXTURES;
import static dev.headlight.library.HfCacheScannerTest.cacheModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hugging Face model ids resolved offline in a fake hub cache laid out as huggingface_hub writes it. */
class ModelLocatorTest {
    private static final Path GPT2 = FIXTURES.resolve("gpt2-tiny/model");

    @Test
    void anIdResolvesToTheSnapshotRefsMainNames(@TempDir Path cache) throws IOException {
        Path older = cacheModel(cache, "openai-community/gpt2", "aaa111", GPT2);
        Path newer = cacheModel(cache, "openai-community/gpt2", "bbb222", GPT2);
        makeNewer(newer, older);
        // refs/main names the older commit: the ref wins over the newest folder, as from_pretrained reads it
        Files.writeString(cache.resolve("models--openai-community--gpt2/refs/main"), "aaa111\n");
        assertEquals(older, ModelLocator.locate("openai-community/gpt2", cache));
        assertEquals(older, ModelLocator.locate("  openai-community/gpt2 ", cache));
    }

    @Test
    void withoutARefTheNewestSnapshotIsTaken(@TempDir Path cache) throws IOException {
        Path older = cacheModel(cache, "org/model", "r1", GPT2);
        Path newer = cacheModel(cache, "org/model", "r2", GPT2);
        makeNewer(older, newer); // r1 modified last
        Files.delete(cache.resolve("models--org--model/refs/main"));
        assertEquals(older, ModelLocator.locate("org/model", cache));
        // a ref naming a snapshot that is gone counts as no ref
        Files.writeString(cache.resolve("models--org--model/refs/main"), "deleted");
        assertEquals(older, ModelLocator.locate("org/model", cache));
    }

    @Test
    void aBareNameFindsTheLegacyRepositoryOrTheOneOrganisationThatHasIt(@TempDir Path cache) throws IOException {
        Path org = cacheModel(cache, "openai-community/gpt2", "c1", GPT2);
        assertEquals(org, ModelLocator.locate("gpt2", cache));
        Path legacy = cacheModel(cache, "gpt2", "c2", GPT2);
        assertEquals(legacy, ModelLocator.locate("gpt2", cache), "models--gpt2 is the id gpt2 itself");

        cacheModel(cache, "someone/tiny", "c3", GPT2);
        cacheModel(cache, "other/tiny", "c4", GPT2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocator.locate("tiny", cache));
        assertTrue(e.getMessage().contains("other/tiny, someone/tiny"), e.getMessage());
    }

    @Test
    void aRevisionIsARefOrACommit(@TempDir Path cache) throws IOException {
        Path first = cacheModel(cache, "org/model", "1111aaaa", GPT2);
        Path second = cacheModel(cache, "org/model", "2222bbbb", GPT2);
        Files.writeString(cache.resolve("models--org--model/refs/v1"), "1111aaaa");
        assertEquals(second, ModelLocator.locate("org/model", cache));
        assertEquals(first, ModelLocator.locate("org/model@v1", cache));
        assertEquals(first, ModelLocator.locate("org/model@1111aaaa", cache));
        assertThrows(IllegalArgumentException.class, () -> ModelLocator.locate("org/model@v2", cache));
        assertThrows(IllegalArgumentException.class, () -> ModelLocator.locate("org/model@../../x", cache));
    }

    @Test
    void anExistingFolderWinsOverAnId(@TempDir Path cache) throws IOException {
        cacheModel(cache, "src/test", "r", GPT2);
        assertEquals(Path.of("src/test"), ModelLocator.locate("src/test", cache));
    }

    @Test
    void aMissingModelSaysWhereItLookedInOneLine(@TempDir Path cache) throws IOException {
        cacheModel(cache, "org/present", "r", GPT2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocator.locate("openai-community/gpt2", cache));
        assertTrue(e.getMessage().contains(cache.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("models--openai-community--gpt2/snapshots"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path absent = cache.resolve("no-such-cache");
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> ModelLocator.locate("gpt2", absent));
        assertTrue(bare.getMessage().contains(absent + " (looked for models--gpt2/snapshots and "
                + "models--*--gpt2/snapshots)"), bare.getMessage());

        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> ModelLocator.locate("./missing/folder", cache));
        assertEquals("./missing/folder: no such folder", path.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelLocator.locate("  ", cache));
    }

    @Test
    void theScannerListsTheSnapshotTheLocatorOpens(@TempDir Path cache) throws IOException {
        Path older = cacheModel(cache, "org/model", "r1", GPT2);
        Path newer = cacheModel(cache, "org/model", "r2", GPT2);
        makeNewer(newer, older);
        Files.writeString(cache.resolve("models--org--model/refs/main"), "r1");
        assertEquals(ModelLocator.locate("org/model", cache), HfCacheScanner.scan(cache).getFirst().folder());
    }

    private static void makeNewer(Path newer, Path than) throws IOException {
        Instant base = Files.getLastModifiedTime(than).toInstant();
        Files.setLastModifiedTime(newer, FileTime.from(base.plusSeconds(60)));
    }
}
