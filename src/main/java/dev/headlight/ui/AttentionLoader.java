package dev.headlight.ui;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads attention maps that may have to be recomputed (a memory budget did not keep their layer, see
 * {@link dev.headlight.engine.AttentionMaps}) off the FX thread: a view asks for what it needs, paints a
 * placeholder, and gets the result on the FX thread once it is ready. One daemon worker serves the whole app:
 * a recompute already uses every core inside the engine, so two at a time would only compete. What the user looks
 * at ({@link Priority#SHOWN}) goes before the model view's thumbnails; a request nobody wants any more by the time
 * its turn comes is dropped.
 */
public final class AttentionLoader {
    /** What waits least. */
    public enum Priority { SHOWN, BACKGROUND }

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static final ThreadPoolExecutor WORKER = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new PriorityBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "headlight-attention");
                t.setDaemon(true);
                return t;
            });

    private AttentionLoader() {
    }

    /**
     * Runs {@code work} on the worker unless {@code wanted} (checked there, just before) is false, then hands its
     * result to {@code done} on the FX thread; a failure goes to {@code failed} on the FX thread (may be null).
     */
    public static <T> void load(Priority priority, BooleanSupplier wanted, Callable<T> work, Consumer<T> done,
                                Consumer<Throwable> failed) {
        PENDING.incrementAndGet();
        WORKER.execute(new Request(priority, SEQUENCE.getAndIncrement(), () -> {
            try {
                if (!wanted.getAsBoolean()) {
                    return;
                }
                T result = work.call();
                Platform.runLater(() -> done.accept(result));
            } catch (Throwable t) {
                if (failed != null) {
                    Platform.runLater(() -> failed.accept(t));
                }
            } finally {
                PENDING.decrementAndGet();
            }
        }));
    }

    /** Requests queued or running: for tests that wait until every placeholder has been filled. */
    public static int pending() {
        return PENDING.get();
    }

    /** A queued request: by priority, then first come first served. */
    private record Request(Priority priority, long sequence, Runnable body)
            implements Runnable, Comparable<Request> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Request o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
