package dev.headlight.ui.task;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A runner for tests: everything on the calling thread, no FX toolkit needed. {@link #immediate()} runs a task's work
 * and handlers inside {@code submit()} and scheduled actions at once; {@link #deferred()} queues both until
 * {@link #runPending()}, so a test can cancel or supersede a task before it runs, or look at the state while it is
 * running.
 */
public final class SameThreadTaskRunner extends TaskRunner {
    private final boolean defer;
    private final Deque<Runnable> queue = new ArrayDeque<>();

    private SameThreadTaskRunner(boolean defer, ErrorSink errors) {
        super(errors);
        this.defer = defer;
    }

    /** Work, handlers and scheduled actions run at once. */
    public static SameThreadTaskRunner immediate() {
        return new SameThreadTaskRunner(false, new ErrorSink());
    }

    /** Work and scheduled actions wait for {@link #runPending()}. */
    public static SameThreadTaskRunner deferred() {
        return new SameThreadTaskRunner(true, new ErrorSink());
    }

    /** {@link #immediate()} with the given error sink (e.g. the window's translation of exceptions). */
    public static SameThreadTaskRunner immediate(ErrorSink errors) {
        return new SameThreadTaskRunner(false, errors);
    }

    @Override
    protected void runInBackground(String lane, String title, Runnable body) {
        if (defer) {
            queue.add(body);
        } else {
            body.run();
        }
    }

    @Override
    protected void runOnUiThread(Runnable action) {
        action.run();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        boolean[] cancelled = {false};
        Runnable once = () -> {
            if (!cancelled[0]) {
                cancelled[0] = true;
                action.run();
            }
        };
        if (defer) {
            queue.add(once);
        } else {
            once.run();
        }
        return () -> cancelled[0] = true;
    }

    /** Runs queued work and scheduled actions, and what they queue in turn, until none is left; how many ran. */
    public int runPending() {
        int ran = 0;
        while (!queue.isEmpty()) {
            queue.poll().run();
            ran++;
        }
        return ran;
    }

    /** Queued work and scheduled actions not yet run. */
    public int pending() {
        return queue.size();
    }
}
