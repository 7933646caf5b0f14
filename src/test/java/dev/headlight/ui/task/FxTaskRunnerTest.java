package dev.headlight.ui.task;

import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's runner: work off the FX thread, handlers on it, lanes one at a time. */
class FxTaskRunnerTest {
    @BeforeAll
    static void startToolkit() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            started.countDown();
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Platform.setImplicitExit(false);
    }

    @Test
    void workRunsOffTheFxThreadAndTheResultArrivesOnIt() throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        boolean[] workOnFx = {true};
        Platform.runLater(() -> new FxTaskRunner(new ErrorSink()).task("Work", ctx -> {
            workOnFx[0] = Platform.isFxApplicationThread();
            return "value";
        }).onSuccess(v -> done.complete(Platform.isFxApplicationThread() + " " + v)).submit());
        assertEquals("true value", done.get(30, TimeUnit.SECONDS));
        assertFalse(workOnFx[0]);
    }

    @Test
    void aLaneRunsItsTasksOneAtATimeInOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        int[] concurrent = {0};
        int[] maxConcurrent = {0};
        CountDownLatch all = new CountDownLatch(5);
        Platform.runLater(() -> {
            FxTaskRunner runner = new FxTaskRunner(new ErrorSink());
            for (int i = 0; i < 5; i++) {
                int n = i;
                runner.task("Load " + n, ctx -> {
                    synchronized (concurrent) {
                        maxConcurrent[0] = Math.max(maxConcurrent[0], ++concurrent[0]);
                    }
                    Thread.sleep(20);
                    order.add(n);
                    synchronized (concurrent) {
                        concurrent[0]--;
                    }
                    return n;
                }).serial("loader").onFinished(all::countDown).submit();
            }
        });
        assertTrue(all.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertEquals(1, maxConcurrent[0]);
    }
}
