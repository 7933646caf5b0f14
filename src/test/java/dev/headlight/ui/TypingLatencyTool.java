package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import dev.headlight.library.SampleModels;

import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Measures what a user feels in the real window (headless): the time from opening a model to its first maps, and from
 * the last keystroke to every view showing the new prompt (debounce included). Not a unit test:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.TypingLatencyTool MODEL [ROUNDS [MAX_CHARS]]}.
 * With {@code -Dlatency.sampleFirst=true} the window first opens the bundled sample model, as {@code ./headlight}
 * does, and the open is timed from there (a running application rather than a fresh JVM). With
 * {@code -Dlatency.replaceWhole=true} every round changes the prompt's first token, so nothing is reused; with
 * {@code -Dlatency.repeat=N} the typed prompt is N times as long. Each phase also prints how long the FX thread took
 * to answer while the engine worked ({@link FxResponsivenessProbe}), and each keystroke the CPU time the whole
 * process spent until every view showed it (all threads: comparable between runs on a busy machine).
 */
public final class TypingLatencyTool {
    private TypingLatencyTool() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int maxChars = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE; // the prompt's length
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        MainWindow[] window = new MainWindow[1];
        AtomicLong shownAt = new AtomicLong();      // last analysis with the logit lens
        AtomicLong attentionAt = new AtomicLong();  // first analysis of a prompt (attention views)
        boolean sampleFirst = Boolean.getBoolean("latency.sampleFirst");
        boolean replaceWhole = Boolean.getBoolean("latency.replaceWhole");
        long[] openStart = {System.nanoTime()};
        onFx(() -> {
            AppPreferences prefs = FxTestSupport.cleanPreferences("headlight-latency");
            Stage stage = new Stage();
            window[0] = new MainWindow(stage, prefs);
            window[0].explorer().analysisProperty().addListener((o, a, b) -> {
                if (b != null && b.lens() == null) {
                    attentionAt.set(System.nanoTime());
                } else if (b != null) {
                    if (a == null || a.lens() != null || !a.prompt().equals(b.prompt())) {
                        attentionAt.set(System.nanoTime());
                    }
                    shownAt.set(System.nanoTime());
                }
            });
            window[0].parts().promptField().setText("The quick brown fox jumps over the lazy dog.");
            stage.setWidth(1440);
            stage.setHeight(900);
            stage.show();
            window[0].openModel(sampleFirst ? SampleModels.defaultModel().orElseThrow() : model);
        });
        ExplorerViewModel vm = window[0].explorer();
        FxResponsivenessProbe probe = new FxResponsivenessProbe();
        while (shownAt.get() == 0 || busy(vm)) {
            Thread.sleep(5);
        }
        if (sampleFirst) {
            System.out.printf("sample model -> first maps: %d ms (fresh JVM)%n",
                    (shownAt.get() - openStart[0]) / 1_000_000);
            Thread.sleep(Long.getLong("latency.pauseMillis", 3000)); // a user picking the next folder
            long before = shownAt.get();
            attentionAt.set(0);
            probe.reset();
            openStart[0] = System.nanoTime();
            onFx(() -> window[0].openModel(model));
            while (shownAt.get() == before || busy(vm)) {
                Thread.sleep(2);
            }
        }
        String[] openStatus = new String[1];
        onFx(() -> openStatus[0] = vm.statusProperty().get());
        System.out.printf("open -> first maps: %d ms, lens %d ms  (%s)%n", (attentionAt.get() - openStart[0]) / 1_000_000,
                (shownAt.get() - openStart[0]) / 1_000_000, openStatus[0]);
        System.out.println("  while opening: " + probe.summary());
        String sentence = "When Mary and John went to the store, John gave a drink to Mary because she was thirsty after the long walk home";
        // -Dlatency.repeat=N: the sentence N times, for long prompts
        String base = String.join(". ", java.util.Collections.nCopies(Integer.getInteger("latency.repeat", 1), sentence));
        // -Dlatency.threads=true: where each keystroke's CPU went, by thread (Linux: JIT, GC and renderer included)
        boolean perThread = Boolean.getBoolean("latency.threads");
        java.util.Map<String, Long> totals = new java.util.TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            String typedText = base.substring(0, Math.min(maxChars, base.length()) - (round % 3)) + " " + round;
            // replaceWhole: a new prompt from its first token, so a whole pass and a whole lens
            String text = replaceWhole ? round + " " + typedText : typedText;
            long before = shownAt.get();
            probe.reset();
            long cpuBefore = processCpuNanos();
            java.util.Map<String, Long> threadsBefore = threadCpuNanos();
            long typed = System.nanoTime();
            onFx(() -> window[0].parts().promptField().setText(text));
            while (shownAt.get() == before || busy(vm)) {
                Thread.sleep(2);
                String error = error(vm);
                if (error != null) { // e.g. a prompt longer than the model's positions: say so instead of waiting
                    System.out.println("refused: " + error);
                    probe.close();
                    Platform.exit();
                    System.exit(1);
                }
            }
            String[] status = new String[1];
            onFx(() -> status[0] = vm.statusProperty().get());
            long cpu = processCpuNanos() - cpuBefore; // every thread of the process, rendering included
            System.out.printf("keystroke -> attention views: %d ms, all views: %d ms, CPU %d ms  (%d tokens; %s)%n",
                    (attentionAt.get() - typed) / 1_000_000, (shownAt.get() - typed) / 1_000_000,
                    cpu / 1_000_000, vm.analysis().tokens(), status[0]);
            System.out.println("  while computing: " + probe.summary());
            if (perThread) {
                System.out.println("  CPU by thread: " + cpuByThread(threadsBefore, threadCpuNanos(), totals));
            }
            Thread.sleep(300);
        }
        if (perThread) {
            System.out.println("CPU by thread, all keystrokes: " + cpuByThread(java.util.Map.of(), totals, null));
        }
        // -Dlatency.hoverRounds=N: the query moves N times, as when the mouse runs over the token chips; timed on
        // the FX thread up to the next layout (CSS of the tinted chips included)
        int hoverRounds = Integer.getInteger("latency.hoverRounds", 0);
        long[] hoverNanos = new long[hoverRounds];
        for (int round = 0; round < hoverRounds; round++) {
            int r = round;
            onFx(() -> {
                long t0 = System.nanoTime();
                vm.selection().queryProperty().set((r * 7) % vm.analysis().tokens());
                javafx.scene.Parent root = window[0].parts().promptField().getScene().getRoot();
                root.applyCss();
                root.layout();
                hoverNanos[r] = System.nanoTime() - t0;
            });
            Thread.sleep(20);
        }
        if (hoverRounds > 0) {
            java.util.Arrays.sort(hoverNanos);
            System.out.printf("query moved %d times (%d tokens): FX time median %.1f ms, worst %.1f ms%n", hoverRounds,
                    vm.analysis().tokens(), hoverNanos[hoverRounds / 2] / 1e6, hoverNanos[hoverRounds - 1] / 1e6);
        }
        probe.close();
        Platform.exit();
        System.exit(0);
    }

    /**
     * CPU time of the whole process so far: on a machine shared with other jobs, wall times stretch with the load
     * but the CPU a keystroke costs stays comparable.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time so far of every thread of the process by name, numbers stripped ("GC Thread#0" and "GC Thread#1"
     * add up): Linux's /proc/self/task/N/schedstat, which also counts the JVM's own threads (JIT compilers, GC)
     * that ThreadMXBean does not see. Empty elsewhere.
     */
    private static java.util.Map<String, Long> threadCpuNanos() {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return byName;
        }
        for (java.io.File task : tasks) {
            try {
                String name = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim()
                        .replaceAll("[0-9]+", "#");
                String sched = java.nio.file.Files.readString(task.toPath().resolve("schedstat")).trim();
                byName.merge(name, Long.parseLong(sched.split(" ")[0]), Long::sum);
            } catch (java.io.IOException | RuntimeException gone) {
                // the thread ended meanwhile
            }
        }
        return byName;
    }

    /** "analysis 52 ms, C2 CompilerThre# 31 ms, ...": the largest differences first; adds them to totals. */
    private static String cpuByThread(java.util.Map<String, Long> before, java.util.Map<String, Long> after,
                                      java.util.Map<String, Long> totals) {
        java.util.List<java.util.Map.Entry<String, Long>> spent = new java.util.ArrayList<>();
        after.forEach((name, nanos) -> {
            long d = nanos - before.getOrDefault(name, 0L);
            if (d > 0) {
                spent.add(java.util.Map.entry(name, d));
                if (totals != null) {
                    totals.merge(name, d, Long::sum);
                }
            }
        });
        spent.sort(java.util.Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder sb = new StringBuilder();
        for (var e : spent.subList(0, Math.min(8, spent.size()))) {
            sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue() / 1_000_000)
                    .append(" ms");
        }
        return sb.toString();
    }

    private static String error(ExplorerViewModel vm) throws Exception {
        String[] e = new String[1];
        onFx(() -> e[0] = vm.tasks().errors().messageProperty().get());
        return e[0];
    }

    private static boolean busy(ExplorerViewModel vm) throws Exception {
        boolean[] b = new boolean[1];
        onFx(() -> b[0] = vm.isBusy());
        return b[0];
    }

}
