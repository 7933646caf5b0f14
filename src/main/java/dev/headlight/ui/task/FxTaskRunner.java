package dev.headlight.ui.task;

import javafx.animation.PauseTransition;
import javafx.application.Platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The window's task runner: work on daemon threads (a task without a lane gets an idle pooled thread or a new one;
 * a lane is one thread, ended when idle), results on the JavaFX application thread.
 */
public final class FxTaskRunner extends TaskRunner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> daemon(r, "headlight-task-" + THREADS.incrementAndGet()));
    private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();

    public FxTaskRunner(ErrorSink errors) {
        super(errors);
    }

    @Override
    protected void runInBackground(String lane, String title, Runnable body) {
        ExecutorService executor = lane == null ? pool : lanes.computeIfAbsent(lane, name ->
                new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        r -> daemon(r, "headlight-" + name)));
        executor.execute(body);
    }

    @Override
    protected void runOnUiThread(Runnable action) {
        Platform.runLater(action);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        PauseTransition pause = new PauseTransition(javafx.util.Duration.millis(delay.toMillis()));
        pause.setOnFinished(e -> action.run());
        pause.play();
        return pause::stop;
    }

    @Override
    public void shutdown() {
        super.shutdown();
        pool.shutdown();
        lanes.values().forEach(ExecutorService::shutdown);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
