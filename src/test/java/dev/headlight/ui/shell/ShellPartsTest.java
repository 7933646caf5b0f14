package dev.headlight.ui.shell;

import dev.headlight.analysis.Fixtures;
import dev.headlight.library.HfCacheScannerTest;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window parts' logic that needs no window: budget parsing, folder completion, the cache dialog's model. */
class ShellPartsTest {
    @Test
    void theAttentionBudgetIsANumberOfMebibytesOfAtLeastOne() {
        assertEquals(OptionalLong.of(512L << 20), AttentionBudgetDialog.parseMebibytes(" 512 "));
        assertEquals(OptionalLong.of(3L << 19), AttentionBudgetDialog.parseMebibytes("1.5"));
        assertEquals(OptionalLong.empty(), AttentionBudgetDialog.parseMebibytes("0.5"));
        assertEquals(OptionalLong.empty(), AttentionBudgetDialog.parseMebibytes("lots"));
        assertEquals(OptionalLong.empty(), AttentionBudgetDialog.parseMebibytes("NaN"));
    }

    @Test
    void folderNamesCompleteFromTheTypedParent(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("gpt2"));
        Files.createDirectories(dir.resolve("GPT-neo"));
        Files.createDirectories(dir.resolve("llama"));
        Files.createDirectories(dir.resolve(".hidden"));
        Files.writeString(dir.resolve("gpt2.txt"), "not a folder");
        assertEquals(List.of(dir.resolve("GPT-neo").toString(), dir.resolve("gpt2").toString()),
                FolderCompletion.suggest(dir.resolve("gp").toString(), 10));
        assertEquals(List.of(dir.resolve("GPT-neo").toString(), dir.resolve("gpt2").toString(),
                dir.resolve("llama").toString()), FolderCompletion.suggest(dir + "/", 10), "hidden folders left out");
        assertEquals(1, FolderCompletion.suggest(dir + "/", 1).size());
        assertEquals(List.of(), FolderCompletion.suggest(dir.resolve("nothing/x").toString(), 10));
        assertEquals(List.of(), FolderCompletion.suggest("  ", 10));
        assertEquals(System.getProperty("user.home") + "/models", FolderCompletion.expandHome("~/models"));
    }

    @Test
    void theCacheDialogsModelListsTheCacheInTheBackground(@TempDir Path cache) throws Exception {
        HfCacheScannerTest.cacheModel(cache, "tiny/gpt2", "r1", Fixtures.model("gpt2-tiny"));
        SameThreadTaskRunner tasks = SameThreadTaskRunner.deferred();
        HfCacheViewModel model = new HfCacheViewModel(cache, tasks);
        model.scan();
        assertEquals("Scanning…", model.placeholderProperty().get());
        assertTrue(model.entries().isEmpty());
        tasks.runPending();
        assertEquals(1, model.entries().size());
        assertEquals("tiny/gpt2", model.entries().getFirst().repoId());
        assertEquals("1 models, 1 Headlight can open.", model.summaryProperty().get());

        HfCacheViewModel empty = new HfCacheViewModel(cache.resolve("none"), SameThreadTaskRunner.immediate());
        empty.scan();
        assertTrue(empty.placeholderProperty().get().startsWith("No models in "), empty.placeholderProperty().get());
    }
}
