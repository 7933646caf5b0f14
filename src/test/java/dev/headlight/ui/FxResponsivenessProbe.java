package dev.headlight.ui;

import javafx.application.Platform;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long the FX thread takes to answer while the window works, and says who held it when it was slow.
 * Every {@link #PERIOD_MILLIS} a task is posted with {@link Platform#runLater} and the delay until it runs is
 * recorded. While a task waits, the FX thread's stack and CPU time are sampled every {@link #SAMPLE_MILLIS}; each
 * sample is <em>Headlight</em> (a frame of the application's own code, {@code dev.headlight.*} outside this
 * harness, is on the stack: a listener, a paint, a layout override, or JavaFX work it called), <em>harness</em>
 * (only the measuring code: the soak's own look-ups, TestFX's waiting) or <em>toolkit</em> (no Headlight frame:
 * JavaFX's CSS and layout of its controls, the wait for the renderer), and the stop-the-world GC time within each
 * stall is read from the collectors. A <em>Headlight hold</em> is a run of consecutive Headlight samples: the time
 * the FX thread could not answer because Headlight code had it. Its CPU time (the FX thread's, over the run) is
 * what the code cost; its wall time also counts the thread waiting for a core, which on a loaded machine measures
 * the load. A development tool ({@link TypingLatencyTool}, {@link SoakTool}) and the check of {@link SoakTest}.
 */
final class FxResponsivenessProbe implements AutoCloseable {
    static final long PERIOD_MILLIS = 10;
    /** How often the FX thread's stack is read while a posted task waits. */
    static final long SAMPLE_MILLIS = 5;
    /** A delay longer than this is a stall: attributed, kept and (with showStalls) printed. */
    static final long STALL_MILLIS = 100;
    /** With {@code -Dlatency.showStalls=true}, each stall over {@link #STALL_MILLIS}: causes, Headlight frames. */
    private static final boolean SHOW_STALLS = Boolean.getBoolean("latency.showStalls");
    /** Headlight frames printed per stall ({@code -Dlatency.stackDepth}, default 8). */
    private static final int STACK_DEPTH = Integer.getInteger("latency.stackDepth", 8);
    /** The measuring code itself: frames of these classes are the harness, not the application. */
    private static final List<String> HARNESS_CLASSES = List.of("dev.headlight.ui.FxResponsivenessProbe",
            "dev.headlight.ui.SoakRun", "dev.headlight.ui.SoakTool", "dev.headlight.ui.SoakTest",
            "dev.headlight.ui.FxTestSupport", "dev.headlight.ui.TypingLatencyTool");
    private static final List<String> HARNESS_PACKAGES = List.of("org.testfx.", "org.junit.");

    enum Cause { HEADLIGHT, HARNESS, TOOLKIT }

    /** One reading of the FX thread while a posted task waited. */
    private record Sample(long nanos, long cpuNanos, Cause cause, StackTraceElement[] stack, String rendering) {
    }

    /**
     * Headlight code holding the FX thread: {@code cpuMillis} of the FX thread's CPU over {@code wallMillis};
     * {@code frames} are the innermost Headlight frames of the run's longest-seen stack.
     */
    record Hold(double cpuMillis, double wallMillis, List<String> frames) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f ms CPU (%.0f ms wall) in %s", cpuMillis, wallMillis,
                    frames.isEmpty() ? "?" : frames.getFirst());
        }
    }

    /**
     * A delay over {@link #STALL_MILLIS}: milliseconds of it sampled per cause (samples x period), the GC pauses
     * within it, and its longest Headlight hold (null without one).
     */
    record Stall(double millis, double headlightMillis, double toolkitMillis, double harnessMillis, double gcMillis,
                 Hold longestHold, String toolkitTop, String rendering) {
        String mainCause() {
            double most = Math.max(Math.max(headlightMillis, toolkitMillis), Math.max(harnessMillis, gcMillis));
            return most == 0 ? "unsampled" : most == headlightMillis ? "Headlight" : most == gcMillis ? "GC"
                    : most == toolkitMillis ? "toolkit" : "harness";
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "stall %.0f ms (%s): Headlight %.0f, toolkit %.0f, harness %.0f, GC %.0f ms", millis, mainCause(),
                    headlightMillis, toolkitMillis, harnessMillis, gcMillis));
            if (longestHold != null) {
                out.append("\n    Headlight hold ").append(longestHold);
                longestHold.frames().stream().skip(1).forEach(f -> out.append("\n      from ").append(f));
            }
            if (toolkitTop != null) {
                out.append("\n    toolkit: ").append(toolkitTop);
            }
            if (rendering != null) {
                out.append("\n    while the FX thread waited, the renderer drew: ").append(rendering);
            }
            return out.toString();
        }
    }

    private final List<Long> delaysMicros = Collections.synchronizedList(new ArrayList<>());
    private final List<Stall> stalls = Collections.synchronizedList(new ArrayList<>());
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // G1's concurrent cycle does not stop the threads: only the pausing collectors' times count
    private final List<GarbageCollectorMXBean> pausingCollectors = ManagementFactory.getGarbageCollectorMXBeans()
            .stream().filter(gc -> !gc.getName().contains("Concurrent")).toList();
    private final Thread fxThread;
    private final Thread sender;
    private Thread renderer; // the render thread, found and read by the sender thread only
    private final Object gate = new Object();
    private boolean paused;   // guarded by gate
    private boolean probing;  // guarded by gate: a posted task has not been answered yet
    private volatile boolean running = true;

    FxResponsivenessProbe() {
        fxThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("JavaFX Application Thread")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the JavaFX toolkit is not running"));
        sender = Thread.ofPlatform().daemon().name("fx-probe").start(this::send);
    }

    private void send() {
        try {
            while (running) {
                synchronized (gate) {
                    while (paused && running) {
                        gate.wait();
                    }
                    probing = true;
                }
                try {
                    probeOnce();
                } finally {
                    synchronized (gate) {
                        probing = false;
                        gate.notifyAll();
                    }
                }
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void probeOnce() throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        long[] ranAt = new long[1];
        List<Sample> samples = new ArrayList<>();
        long gcBefore = gcMillis();
        long cpuBefore = threads.getThreadCpuTime(fxThread.threadId());
        long posted = System.nanoTime();
        Platform.runLater(() -> {
            ranAt[0] = System.nanoTime();
            answered.countDown();
        });
        while (!answered.await(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!running) {
                return;
            }
            StackTraceElement[] stack = fxThread.getStackTrace();
            samples.add(new Sample(System.nanoTime(), threads.getThreadCpuTime(fxThread.threadId()), causeOf(stack),
                    stack, waitsForRenderer(stack) ? rendering() : null));
        }
        long cpuAfter = threads.getThreadCpuTime(fxThread.threadId());
        long delayNanos = ranAt[0] - posted;
        delaysMicros.add(delayNanos / 1_000);
        if (delayNanos > STALL_MILLIS * 1_000_000) {
            Stall stall = stall(delayNanos, posted, cpuBefore, ranAt[0], cpuAfter, samples, gcMillis() - gcBefore);
            stalls.add(stall);
            if (SHOW_STALLS) {
                System.out.println("  " + stall);
            }
        }
    }

    private static boolean waitsForRenderer(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getMethodName().equals("waitForRenderingToComplete")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the render thread is drawing: its innermost scene-graph node frame (NGCanvas is a canvas's recorded
     * drawing, NGText text, NGRegion backgrounds and borders), or its top frame.
     */
    private String rendering() {
        if (renderer == null || !renderer.isAlive()) {
            renderer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("QuantumRenderer")).findFirst().orElse(null);
            if (renderer == null) {
                return "?";
            }
        }
        StackTraceElement[] stack = renderer.getStackTrace();
        String drawing = null; // the innermost frame of the software pipeline: a path's rasteriser, a texture, text
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (drawing == null && (name.startsWith("com.sun.prism.") || name.startsWith("com.sun.marlin."))) {
                drawing = name.substring(name.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
            if (name.startsWith("com.sun.javafx.sg.prism.NG")) {
                return name.substring("com.sun.javafx.sg.prism.".length()) + "." + frame.getMethodName()
                        + (drawing == null ? "" : " > " + drawing);
            }
        }
        return stack.length == 0 ? "?" : "(idle or between nodes) " + stack[0].getMethodName();
    }

    private long gcMillis() {
        return pausingCollectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    static Cause causeOf(StackTraceElement[] stack) {
        boolean harness = false;
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (isHarness(name)) {
                harness = true;
            } else if (name.startsWith("dev.headlight.")) {
                return Cause.HEADLIGHT;
            }
        }
        // the harness counts when its own code runs (a look-up, a condition), not when it only started JavaFX work
        return harness && isHarness(innermostNonJdk(stack)) ? Cause.HARNESS : Cause.TOOLKIT;
    }

    private static boolean isHarness(String className) {
        return HARNESS_CLASSES.stream().anyMatch(c -> className.equals(c) || className.startsWith(c + "$"))
                || HARNESS_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static String innermostNonJdk(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                return name;
            }
        }
        return "";
    }

    private static Stall stall(long delayNanos, long posted, long cpuBefore, long answeredAt, long cpuAfter,
                               List<Sample> samples, long gcMillis) {
        double[] byCause = new double[Cause.values().length];
        for (Sample s : samples) {
            byCause[s.cause().ordinal()] += SAMPLE_MILLIS;
        }
        // a hold runs from the reading before its first Headlight sample to the reading after its last one: an upper
        // bound by up to two sample periods
        Hold longest = null;
        String toolkitTop = null;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).cause() == Cause.TOOLKIT && toolkitTop == null) {
                toolkitTop = toolkitSummary(samples.get(i).stack());
            }
            if (samples.get(i).cause() != Cause.HEADLIGHT) {
                continue;
            }
            int end = i;
            while (end + 1 < samples.size() && samples.get(end + 1).cause() == Cause.HEADLIGHT) {
                end++;
            }
            long fromNanos = i == 0 ? posted : samples.get(i - 1).nanos();
            long fromCpu = i == 0 ? cpuBefore : samples.get(i - 1).cpuNanos();
            long toNanos = end + 1 < samples.size() ? samples.get(end + 1).nanos() : answeredAt;
            long toCpu = end + 1 < samples.size() ? samples.get(end + 1).cpuNanos() : cpuAfter;
            Hold hold = new Hold((toCpu - fromCpu) / 1e6, (toNanos - fromNanos) / 1e6,
                    headlightFrames(samples.get((i + end) / 2).stack()));
            if (longest == null || hold.cpuMillis() > longest.cpuMillis()) {
                longest = hold;
            }
            i = end;
        }
        var drawn = samples.stream().map(Sample::rendering).filter(r -> r != null)
                .collect(java.util.stream.Collectors.groupingBy(r -> r, java.util.stream.Collectors.counting()));
        String rendering = drawn.isEmpty() ? null : drawn.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(e -> e.getKey() + " x" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        return new Stall(delayNanos / 1e6, byCause[Cause.HEADLIGHT.ordinal()], byCause[Cause.TOOLKIT.ordinal()],
                byCause[Cause.HARNESS.ordinal()], gcMillis, longest, toolkitTop, rendering);
    }

    /** The innermost Headlight frames, innermost first; the first one after the top frame if that is not Headlight. */
    private static List<String> headlightFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (name.startsWith("dev.headlight.") && !isHarness(name) && frames.size() < STACK_DEPTH) {
                frames.add(frame.toString());
            }
        }
        if (!frames.isEmpty() && stack.length > 0 && !stack[0].getClassName().startsWith("dev.headlight.")) {
            frames.set(0, stack[0] + " <- " + frames.getFirst());
        }
        return frames;
    }

    /** The top frame and the first JavaFX frame of a toolkit stack: what JavaFX was doing. */
    private static String toolkitSummary(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return "?";
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("javafx.") || frame.getClassName().startsWith("com.sun.javafx.")) {
                return stack[0] + " <- " + frame;
            }
        }
        return stack[0].toString();
    }

    /** Clears what was recorded, e.g. at the start of a measured phase. */
    void reset() {
        delaysMicros.clear();
        stalls.clear();
    }

    /**
     * Stops posting until {@link #resume}, once the task in flight has been answered: what happens meanwhile (the
     * soak's forced GC) is not measured.
     */
    void pause() throws InterruptedException {
        synchronized (gate) {
            paused = true;
            while (probing) {
                gate.wait();
            }
        }
    }

    void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** The longest the FX thread took to answer since the last reset, in milliseconds (0 without samples). */
    double worstMillis() {
        synchronized (delaysMicros) {
            return delaysMicros.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0;
        }
    }

    /** The stalls since the last reset, in order. */
    List<Stall> stalls() {
        synchronized (stalls) {
            return List.copyOf(stalls);
        }
    }

    /** The Headlight hold with the most CPU time since the last reset, or null if no stall had one. */
    Hold longestHeadlightHold() {
        return stalls().stream().map(Stall::longestHold).filter(h -> h != null)
                .max(Comparator.comparingDouble(Hold::cpuMillis)).orElse(null);
    }

    /**
     * Samples, median, 99th percentile and worst delay of the FX thread since the last reset; then the stalls over
     * {@link #STALL_MILLIS} by main cause and the longest Headlight hold.
     */
    String summary() {
        List<Long> sorted;
        synchronized (delaysMicros) {
            sorted = new ArrayList<>(delaysMicros);
        }
        if (sorted.isEmpty()) {
            return "FX thread: no samples";
        }
        Collections.sort(sorted);
        List<Stall> all = stalls();
        Hold hold = longestHeadlightHold();
        return String.format(Locale.ROOT,
                "FX thread answers: median %.1f ms, p99 %.1f ms, worst %.1f ms (%d samples)%n"
                        + "stalls over %d ms: %d (mainly Headlight %d, toolkit %d, GC %d, harness %d, unsampled %d);"
                        + " longest Headlight hold: %s",
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) / 1000.0,
                sorted.getLast() / 1000.0, sorted.size(), STALL_MILLIS, all.size(), count(all, "Headlight"),
                count(all, "toolkit"), count(all, "GC"), count(all, "harness"), count(all, "unsampled"),
                hold == null ? "none" : hold);
    }

    private static long count(List<Stall> stalls, String cause) {
        return stalls.stream().filter(s -> s.mainCause().equals(cause)).count();
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        synchronized (gate) {
            gate.notifyAll();
        }
    }
}
