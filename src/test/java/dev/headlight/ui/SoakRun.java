package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;

import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * A soak of the real window: prompt edits typed in bursts while the models and the tabs switch, with the heap
 * after GC, the thread count and the open file handles sampled along the way (the FX probe paused meanwhile), and
 * the FX thread's answer time measured throughout, each stall attributed ({@link FxResponsivenessProbe}). Used by
 * {@link SoakTest} (short) and {@link SoakTool} (1,000 edits on the sample model and a GPT-2-sized one, on demand).
 */
final class SoakRun {
    /** One sample after a full GC. */
    record Sample(int edits, long heapBytes, int threads, long fileHandles) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "after %4d edits: heap %6.1f MB, %3d threads, %3d open files", edits,
                    heapBytes / 1e6, threads, fileHandles);
        }
    }

    /**
     * @param longestHeadlightHold the longest Headlight code held the FX thread during a stall (null if never)
     * @param stalls               every delay of the FX thread over {@link FxResponsivenessProbe#STALL_MILLIS}
     */
    record Result(List<Sample> samples, double worstFxMillis, String fxSummary,
                  FxResponsivenessProbe.Hold longestHeadlightHold, List<FxResponsivenessProbe.Stall> stalls) {
        Sample first() {
            return samples.getFirst();
        }

        Sample last() {
            return samples.getLast();
        }
    }

    private SoakRun() {
    }

    /**
     * Types {@code edits} prompt edits into {@code window}, a burst of {@code burst} at a time (then waits for
     * every view), opening the next of {@code models} every {@code editsPerModel} edits and selecting the next tab
     * of every tab pane every burst. The first sample is taken after each model has been open once (warm).
     */
    static Result run(MainWindow window, List<Path> models, int edits, int burst, int editsPerModel)
            throws Exception {
        List<Sample> samples = new ArrayList<>();
        ExplorerViewModel vm = window.explorer();
        for (Path model : models) { // warm: every model once, so classes, caches and pools exist before sampling
            open(window, model);
        }
        samples.add(sample(0));
        FxResponsivenessProbe probe = new FxResponsivenessProbe();
        // short enough for every model's positions after each model's tokenizer (the sample reads 48 tokens; this
        // text with the longest ending was 64 of its tokens, so the sample refused it and the switch never finished)
        String base = "Mary and John went to the store,";
        int modelIndex = 0;
        for (int edit = 1; edit <= edits; edit++) {
            // typing forward and deleting back, as a person edits the end of a prompt
            int cut = edit % 12;
            String text = base + " John gave a drink".substring(0, 18 - cut) + " " + (edit % 7);
            onFx(() -> window.parts().promptField().setText(text));
            Thread.sleep(15);
            if (edit % burst == 0) {
                FxTestSupport.waitUntil("the views after an edit", 120, () -> !vm.isBusy());
                selectNextTabs(window, edit / burst);
            }
            if (edit % editsPerModel == 0) {
                modelIndex = (modelIndex + 1) % models.size();
                open(window, models.get(modelIndex));
            }
            if (edit % Math.max(1, edits / 5) == 0) {
                probe.pause(); // the forced GCs stop the FX thread too: the harness's pause, not the window's
                samples.add(sample(edit));
                probe.resume();
            }
        }
        FxTestSupport.waitUntil("the views at the end", 120, () -> !vm.isBusy());
        Result result = new Result(samples, probe.worstMillis(), probe.summary(), probe.longestHeadlightHold(),
                probe.stalls());
        probe.close();
        return result;
    }

    private static void open(MainWindow window, Path model) throws Exception {
        ExplorerViewModel vm = window.explorer();
        Object before = onFx(vm::model);
        onFx(() -> window.openModel(model));
        FxTestSupport.waitUntil("opening " + model, 180,
                () -> vm.model() != null && vm.model() != before && !vm.isBusy() && vm.analysis() != null);
    }

    private static void selectNextTabs(MainWindow window, int step) throws Exception {
        onFx(() -> {
            for (var node : window.parts().promptField().getScene().getRoot().lookupAll(".tab-pane")) {
                if (node instanceof TabPane pane && !pane.getTabs().isEmpty()) {
                    List<Tab> tabs = pane.getTabs();
                    pane.getSelectionModel().select(tabs.get(step % tabs.size()));
                }
            }
        });
    }

    private static Sample sample(int edits) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String[] fds = new File("/proc/self/fd").list();
        return new Sample(edits, memory.getUsed(), threads, fds == null ? -1 : fds.length);
    }

}
