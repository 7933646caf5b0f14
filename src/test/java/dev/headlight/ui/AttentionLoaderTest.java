package dev.headlight.ui;

import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker that recomputes attention for the views: what is shown goes first, stale requests are dropped. */
@ExtendWith(ApplicationExtension.class)
class AttentionLoaderTest {

    @Start
    void start(Stage stage) {
        // the toolkit is all these tests need: results arrive through Platform.runLater
    }

    @Test
    void shownRequestsGoBeforeBackgroundOnesAndResultsArriveOnTheFxThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Boolean> onFx = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(4);
        // occupy the worker so the next requests queue up behind it
        AttentionLoader.load(AttentionLoader.Priority.BACKGROUND, () -> true, () -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "blocker";
        }, r -> delivered.countDown(), null);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (String name : new String[]{"thumbnail 1", "thumbnail 2"}) {
            AttentionLoader.load(AttentionLoader.Priority.BACKGROUND, () -> true, () -> {
                ran.add(name);
                return name;
            }, r -> {
                onFx.add(Platform.isFxApplicationThread());
                delivered.countDown();
            }, null);
        }
        AttentionLoader.load(AttentionLoader.Priority.BACKGROUND, () -> false, () -> {
            ran.add("stale");
            return "stale";
        }, r -> delivered.countDown(), null);
        AttentionLoader.load(AttentionLoader.Priority.SHOWN, () -> true, () -> {
            ran.add("selected head");
            return "selected head";
        }, r -> {
            onFx.add(Platform.isFxApplicationThread());
            delivered.countDown();
        }, null);
        assertTrue(AttentionLoader.pending() >= 4);
        release.countDown();
        assertTrue(delivered.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("selected head", "thumbnail 1", "thumbnail 2"), ran);
        assertEquals(List.of(true, true, true), onFx);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (AttentionLoader.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, AttentionLoader.pending());
    }

    @Test
    void aFailureIsReportedOnTheFxThread() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        boolean[] onFx = new boolean[1];
        String[] message = new String[1];
        AttentionLoader.load(AttentionLoader.Priority.SHOWN, () -> true, () -> {
            throw new IllegalStateException("model closed");
        }, r -> { }, t -> {
            onFx[0] = Platform.isFxApplicationThread();
            message[0] = t.getMessage();
            failed.countDown();
        });
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        assertTrue(onFx[0]);
        assertEquals("model closed", message[0]);
        assertFalse(Platform.isFxApplicationThread());
    }
}
