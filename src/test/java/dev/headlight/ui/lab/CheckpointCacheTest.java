package dev.headlight.ui.lab;

import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline's cache of opened checkpoints, on the bundled induction-2l run. */
class CheckpointCacheTest {
    static final Path RUN = Path.of("sample-models/induction-2l");

    static Path step(int s) {
        return RUN.resolve(String.format("step-%06d", s));
    }

    @Test
    void reusesOpenModelsAndKeepsTheShownOnePastItsCapacity() {
        AtomicReference<Model> shown = new AtomicReference<>();
        try (CheckpointCache cache = new CheckpointCache(2, m -> m == shown.get())) {
            Model first = cache.open(step(0));
            assertSame(first, cache.open(step(0).toAbsolutePath()), "the same folder gives the same model");
            shown.set(first);
            Model second = cache.open(step(100));
            cache.open(step(200));
            // capacity 2, but the shown model stays; the other older one was evicted
            assertTrue(cache.contains(first));
            assertFalse(cache.contains(second));
            assertEquals(2, cache.size());
            // the kept model still runs
            int[] ids = {0, 5, 6, 7, 5, 6};
            assertEquals(6, first.run(ids, RunOptions.exact()).attentions().tokens());
            Model reopened = cache.open(step(100));
            assertNotSame(second, reopened, "an evicted checkpoint is opened again");
        }
    }
}
