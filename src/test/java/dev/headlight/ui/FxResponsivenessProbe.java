package dev.headlight.ui;

import javafx.application.Platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures how long the FX thread takes to answer while the window works: every {@link #PERIOD_MILLIS} a task is
 * posted with {@link Platform#runLater} and the delay until it runs is recorded. A long delay is a frozen window
 * (a layout, a paint or a listener doing too much on the FX thread, or the thread starved of a core).
 * A development tool used by {@link TypingLatencyTool}, not a test.
 */
final class FxResponsivenessProbe implements AutoCloseable {
    static final long PERIOD_MILLIS = 10;
    /** With {@code -Dlatency.showStalls=true}, what the FX thread is doing whenever it has not answered for 30 ms. */
    private static final boolean SHOW_STALLS = Boolean.getBoolean("latency.showStalls");
    /** Frames printed per stall ({@code -Dlatency.stackDepth}, default 14). */
    private static final int STACK_DEPTH = Integer.getInteger("latency.stackDepth", 14);

    private final List<Long> delaysMicros = Collections.synchronizedList(new ArrayList<>());
    private final Thread sender;
    private volatile boolean running = true;

    FxResponsivenessProbe() {
        sender = Thread.ofPlatform().daemon().name("fx-probe").start(this::send);
    }

    private void send() {
        while (running) {
            long posted = System.nanoTime();
            Object answered = new Object();
            boolean[] ran = {false};
            Platform.runLater(() -> {
                delaysMicros.add((System.nanoTime() - posted) / 1_000);
                synchronized (answered) {
                    ran[0] = true;
                    answered.notifyAll();
                }
            });
            synchronized (answered) {
                while (!ran[0] && running) {
                    try {
                        answered.wait(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!ran[0] && SHOW_STALLS) {
                        printFxStack((System.nanoTime() - posted) / 1_000_000);
                    }
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void printFxStack(long waitedMillis) {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().equals("JavaFX Application Thread")) {
                StringBuilder out = new StringBuilder("  FX thread busy for " + waitedMillis + " ms:");
                for (int i = 0; i < Math.min(stack.length, STACK_DEPTH); i++) {
                    out.append("\n      at ").append(stack[i]);
                }
                System.out.println(out);
            }
        });
    }

    /** Clears what was recorded, e.g. at the start of a measured phase. */
    void reset() {
        delaysMicros.clear();
    }

    /** The longest the FX thread took to answer since the last reset, in milliseconds (0 without samples). */
    double worstMillis() {
        synchronized (delaysMicros) {
            return delaysMicros.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0;
        }
    }

    /** One line: samples, median, 99th percentile and worst delay of the FX thread since the last reset. */
    String summary() {
        List<Long> sorted;
        synchronized (delaysMicros) {
            sorted = new ArrayList<>(delaysMicros);
        }
        if (sorted.isEmpty()) {
            return "FX thread: no samples";
        }
        Collections.sort(sorted);
        return String.format("FX thread answers: median %.1f ms, p99 %.1f ms, worst %.1f ms (%d samples)",
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) / 1000.0,
                sorted.getLast() / 1000.0, sorted.size());
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
    }
}
