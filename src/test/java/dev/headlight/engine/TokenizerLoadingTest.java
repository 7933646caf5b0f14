package dev.headlight.engine;

import dev.headlight.format.FormatException;
import dev.headlight.format.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tokenizer.json loads on a background thread started by Model.open: the first tokenizer() waits for it, every
 * caller gets the same tokenizer, and a file that cannot be used fails there (not at open) with its one-line reason.
 */
class TokenizerLoadingTest {

    @Test
    void concurrentFirstCallsGetTheSameTokenizer() throws Exception {
        Fixtures.Reference ref = Fixtures.reference("qwen2-tiny");
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (Model model = Model.open(Fixtures.modelFolder("qwen2-tiny"))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Tokenizer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return model.tokenizer();
                }));
            }
            start.countDown();
            Tokenizer first = results.getFirst().get();
            for (Future<Tokenizer> r : results) {
                assertSame(first, r.get());
            }
            String prompt = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Fixtures.modelFolder("qwen2-tiny").resolveSibling("reference.json").toFile())
                    .get("prompt").asText();
            assertArrayEquals(ref.inputIds(), first.encode(prompt).ids());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDamagedTokenizerFailsWhenAskedForAndTheModelStillRunsOnIds(@TempDir Path dir) throws Exception {
        Path copy = FolderCopies.copy("llama-tiny", dir.resolve("m"));
        Files.writeString(copy.resolve("tokenizer.json"), "{\"model\": ");
        Fixtures.Reference ref = Fixtures.reference("llama-tiny");
        try (Model model = Model.open(copy)) {
            assertTrue(model.hasTokenizer());
            for (int call = 0; call < 2; call++) { // the same reason on every call
                FormatException e = assertThrows(FormatException.class, model::tokenizer);
                assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
            Trace trace = model.run(ref.inputIds(), RunOptions.exact());
            assertTrue(Fixtures.maxAbsDiff(trace.logits(), ref.logits()) <= ParityTest.TOLERANCE);
        }
    }

    @Test
    void anInterruptedCallerStillGetsTheTokenizerAndKeepsItsInterrupt() throws Exception {
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            Thread.currentThread().interrupt();
            try {
                Tokenizer tokenizer = model.tokenizer();
                assertTrue(tokenizer.vocabSize() > 0);
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
        }
    }
}
