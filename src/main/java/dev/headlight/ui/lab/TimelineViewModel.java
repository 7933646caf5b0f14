package dev.headlight.ui.lab;

import dev.headlight.engine.Model;
import dev.headlight.format.FormatException;
import dev.headlight.train.CheckpointCircuits;
import dev.headlight.train.CheckpointTimeline;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Timeline's state and commands, without a window. It follows the explorer's model: when that model belongs
 * to a training run (its folder, or its parent, holds step-N/ or checkpoint-N/ model folders) the run is scanned
 * in the background ({@link TimelineData}); choosing a stop ({@link #select}) shows that checkpoint in the whole
 * explorer ({@link ExplorerViewModel#showModel}, through a small cache of open checkpoints). Each checkpoint's
 * circuit scores ({@link CheckpointCircuits}) are computed in the background one checkpoint after the other,
 * published as they arrive, cached per checkpoint folder, and cancelled when another run is shown. All on the UI
 * thread; background work goes through the one {@link TaskRunner}.
 *
 * <p>Just over 400 lines: the scan, the stop choice and the per-checkpoint circuit scores share the run's lifetime
 * (cancelled together when another run opens); the data and charts live in {@link TimelineData} and the views.
 */
public final class TimelineViewModel {
    /** One stop: a checkpoint, or the final model at the run's top level ({@code finalModel}). */
    public record Position(int step, Path folder, boolean finalModel) {
        public String label() {
            return finalModel ? "final" : Integer.toString(step);
        }
    }

    /** Cached checkpoints: the models of a small run are a few MB each. */
    static final int CACHE_SIZE = 6;
    /** Circuit scores kept per checkpoint folder (across runs opened again). */
    static final int CIRCUIT_CACHE_SIZE = 64;

    private final TaskRunner tasks;
    private final ExplorerViewModel explorer;
    private final ReadOnlyObjectWrapper<TimelineData> data = new ReadOnlyObjectWrapper<>(this, "data");
    /** The scanned run's timeline: part of its data, so the two never disagree. */
    private final ObservableValue<CheckpointTimeline> timeline = data.map(TimelineData::timeline);
    private final ReadOnlyIntegerWrapper shownIndex = new ReadOnlyIntegerWrapper(this, "shownIndex", -1);
    private final ReadOnlyObjectWrapper<List<CheckpointCircuits>> circuits =
            new ReadOnlyObjectWrapper<>(this, "circuits", List.of());
    private final List<Position> positions = new ArrayList<>();
    /** Circuit scores by checkpoint folder (and its weights' size and time), least recently used first. */
    private final Map<String, CheckpointCircuits> circuitCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CheckpointCircuits> eldest) {
            return size() > CIRCUIT_CACHE_SIZE;
        }
    };
    private CheckpointCache cache;
    private TaskHandle scanTask;
    private TaskHandle circuitsTask;

    public TimelineViewModel(TaskRunner tasks, ExplorerViewModel explorer) {
        this.tasks = tasks;
        this.explorer = explorer;
        explorer.modelProperty().addListener((o, a, m) -> follow(m));
        follow(explorer.model());
    }

    // ---- following the explorer's model

    /** Finds the run the shown model belongs to: its own folder, or its parent when it is one of the checkpoints. */
    static Path runFolder(Path modelFolder) {
        if (modelFolder == null) {
            return null;
        }
        if (isRun(modelFolder)) {
            return modelFolder;
        }
        Path parent = modelFolder.getParent();
        return parent != null && isRun(parent) ? parent : null;
    }

    private static boolean isRun(Path folder) {
        try {
            return Files.isDirectory(folder) && CheckpointTimeline.hasCheckpoints(folder);
        } catch (FormatException e) {
            return false;
        }
    }

    /** The result of a scan: the run folder (null: not a run) and, when it is another run, its data. */
    private record Scan(Path run, TimelineData data) {
    }

    /**
     * Follows the explorer's model: a checkpoint of the shown run moves the stop at once; any other model has its
     * folder (and its parent) scanned in the background, and the result is shown if that model is still open.
     */
    private void follow(Model m) {
        if (scanTask != null) {
            scanTask.cancel();
            scanTask = null;
        }
        if (m == null) {
            return;
        }
        Path folder = m.info().folder().toAbsolutePath().normalize();
        if (timeline.getValue() != null && indexOf(folder) >= 0) {
            showFollowed(folder);
            return;
        }
        CheckpointTimeline current = timeline.getValue();
        scanTask = tasks.task("Reading the training run of " + folder.getFileName() + "…", ctx -> {
                    Path run = runFolder(folder);
                    TimelineData scanned = run != null && (current == null || !current.root().equals(run))
                            ? TimelineData.of(CheckpointTimeline.scan(run)) : null;
                    return new Scan(run, scanned);
                })
                .quiet()
                .serial("timeline-scan")
                // an unreadable run (e.g. a bad training.json) shows no timeline, as a plain model
                .onFailure(e -> applyScan(m, folder, new Scan(null, null)))
                .onSuccess(scan -> applyScan(m, folder, scan))
                .submit();
    }

    private void applyScan(Model m, Path folder, Scan scan) {
        scanTask = null;
        if (explorer.model() != m) {
            return;
        }
        if (scan.run() == null) {
            if (cache == null || !cache.contains(m)) {
                setData(null);
            }
            return;
        }
        if (scan.data() != null) {
            setData(scan.data());
        }
        showFollowed(folder);
    }

    private int indexOf(Path folder) {
        for (int i = 0; i < positions.size(); i++) {
            if (positions.get(i).folder().equals(folder)) {
                return i;
            }
        }
        return -1;
    }

    /** Moves to the shown model's stop without opening it again. */
    private void showFollowed(Path folder) {
        int i = indexOf(folder);
        if (i >= 0) {
            shownIndex.set(i);
        }
    }

    private void setData(TimelineData d) {
        releaseCache();
        if (circuitsTask != null) {
            circuitsTask.cancel(); // another run: the old one's scores are no longer wanted
            circuitsTask = null;
        }
        CheckpointTimeline t = d == null ? null : d.timeline();
        positions.clear();
        shownIndex.set(-1);
        circuits.set(List.of());
        if (t != null && !t.isEmpty()) {
            cache = new CheckpointCache(CACHE_SIZE, model -> model == explorer.model());
            for (CheckpointTimeline.Entry e : t.checkpoints()) {
                positions.add(new Position(e.step(), e.folder().toAbsolutePath().normalize(), false));
            }
            if (t.hasFinalModel()) {
                int last = Math.max(positions.getLast().step(), t.loss().length);
                positions.add(new Position(last, t.root().toAbsolutePath().normalize(), true));
            }
        }
        data.set(d);
        if (!positions.isEmpty()) {
            shownIndex.set(positions.size() - 1);
            computeCircuits(t);
        }
    }

    /** Closes the cached checkpoints, once the explorer has moved on when it still shows one of them. */
    private void releaseCache() {
        if (cache == null) {
            return;
        }
        CheckpointCache old = cache;
        cache = null;
        Model shown = explorer.model();
        if (shown == null || !old.contains(shown)) {
            old.close();
            return;
        }
        explorer.modelProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Model> o, Model a, Model b) {
                explorer.modelProperty().removeListener(this);
                tasks.schedule(Duration.ofSeconds(2), old::close);
            }
        });
    }

    // ---- circuit scores per checkpoint

    private static String cacheKey(Path folder) {
        Path weights = folder.resolve("model.safetensors");
        try {
            return folder.toAbsolutePath().normalize() + "|" + Files.size(weights) + "|"
                    + Files.getLastModifiedTime(weights).toMillis();
        } catch (java.io.IOException e) {
            return folder.toAbsolutePath().normalize().toString(); // sharded or unreadable: the folder alone
        }
    }

    /** Computes (or takes from the cache) every checkpoint's circuit scores in order, publishing each. */
    private void computeCircuits(CheckpointTimeline t) {
        List<CheckpointTimeline.Entry> entries = t.checkpoints();
        List<CheckpointCircuits> known = new ArrayList<>();
        List<String> knownKeys = new ArrayList<>();
        for (CheckpointTimeline.Entry e : entries) {
            String key = cacheKey(e.folder());
            CheckpointCircuits c = circuitCache.get(key);
            if (c == null) {
                break;
            }
            known.add(c);
            knownKeys.add(key);
        }
        circuits.set(List.copyOf(known));
        if (known.size() == entries.size()) {
            return;
        }
        int from = known.size();
        circuitsTask = tasks.<Scored>task("Circuit scores of " + t.root().getFileName() + "…",
                        (ctx, publish) -> {
                            List<CheckpointCircuits> out = new ArrayList<>(known);
                            // the cache keys stat each weights file: here, once per checkpoint, not on the UI thread
                            List<String> keys = new ArrayList<>(knownKeys);
                            for (int i = from; i < entries.size(); i++) {
                                int done = i - from;
                                int todo = entries.size() - from;
                                CheckpointTimeline.Entry e = entries.get(i);
                                out.add(CheckpointCircuits.compute(e.step(), e.folder(), ctx::isCancelled,
                                        f -> ctx.progress(Math.round((done + f) * 1000), todo * 1000L)));
                                keys.add(cacheKey(e.folder()));
                                publish.accept(new Scored(List.copyOf(keys), List.copyOf(out)));
                            }
                            return new Scored(List.copyOf(keys), List.copyOf(out));
                        })
                .userCancellable()
                .serial("timeline-circuits")
                .failureContext("Could not compute the circuit scores of " + t.root())
                .onPartial(this::acceptCircuits)
                .onSuccess(this::acceptCircuits)
                .submit();
    }

    /** Circuit scores of the first checkpoints, in order, with each one's cache key. */
    private record Scored(List<String> keys, List<CheckpointCircuits> circuits) {
    }

    private void acceptCircuits(Scored scored) {
        if (timeline.getValue() == null) {
            return;
        }
        for (int i = 0; i < scored.circuits().size(); i++) {
            circuitCache.put(scored.keys().get(i), scored.circuits().get(i));
        }
        circuits.set(scored.circuits());
    }

    // ---- commands

    /** Shows stop {@code index} (0 = the first checkpoint) in the explorer. */
    public void select(int index) {
        if (index < 0 || index >= positions.size() || cache == null) {
            return;
        }
        shownIndex.set(index);
        Position p = positions.get(index);
        Model shown = explorer.model();
        if (shown != null && shown.info().folder().toAbsolutePath().normalize().equals(p.folder())) {
            return;
        }
        CheckpointCache c = cache;
        explorer.showModel(p.folder(), c::open);
    }

    /** Shows the checkpoint at {@code step}, else the nearest checkpoint (never the final model). */
    public void selectStep(int step) {
        for (int i = 0; i < positions.size(); i++) {
            if (!positions.get(i).finalModel() && positions.get(i).step() == step) {
                select(i);
                return;
            }
        }
        CheckpointTimeline t = timeline.getValue();
        if (t != null && t.nearest(step) != null && t.nearest(step).step() != step) {
            selectStep(t.nearest(step).step());
        }
    }

    /**
     * The stop nearest to {@code step}. Where two share a step (the last checkpoint and the final model, the same
     * weights), the shown one is kept, else the final model.
     */
    public int nearestStop(double step) {
        if (positions.isEmpty()) {
            return -1;
        }
        int best = 0;
        for (int i = 1; i < positions.size(); i++) {
            if (Math.abs(positions.get(i).step() - step) < Math.abs(positions.get(best).step() - step)) {
                best = i;
            }
        }
        int bestStep = positions.get(best).step();
        int shown = shownIndex.get();
        if (shown >= 0 && shown < positions.size() && positions.get(shown).step() == bestStep) {
            return shown;
        }
        for (int i = best; i < positions.size() && positions.get(i).step() == bestStep; i++) {
            if (positions.get(i).finalModel()) {
                return i;
            }
        }
        return best;
    }

    /** Stops the background work and closes the cached checkpoints (the explorer must not show one any more). */
    public void dispose() {
        if (scanTask != null) {
            scanTask.cancel();
        }
        if (circuitsTask != null) {
            circuitsTask.cancel();
        }
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    // ---- state

    public List<Position> positions() {
        return List.copyOf(positions);
    }

    /** The stop shown (an index into {@link #positions()}), -1 without a run. */
    public ReadOnlyIntegerProperty shownIndexProperty() {
        return shownIndex.getReadOnlyProperty();
    }

    public int shownIndex() {
        return shownIndex.get();
    }

    /** The scanned run's timeline (null without a run), read from {@link #dataProperty()}. */
    public ObservableValue<CheckpointTimeline> timelineProperty() {
        return timeline;
    }

    /** The scanned run's curves (null without a run); set after {@link #positions()} and the timeline. */
    public ReadOnlyObjectProperty<TimelineData> dataProperty() {
        return data.getReadOnlyProperty();
    }

    /** The circuit scores of the first checkpoints, in checkpoint order, as far as computed. */
    public ReadOnlyObjectProperty<List<CheckpointCircuits>> circuitsProperty() {
        return circuits.getReadOnlyProperty();
    }

    /**
     * The circuit-score curves over the checkpoints computed so far: the copying score of head (layer, head)
     * ("copy L1H0") and the largest over all heads ("copy max"), the strongest K-composition into (layer, head)
     * from any earlier head ("K→L1H0") and of any pair ("K max").
     * A curve without any defined value (e.g. K-composition into layer 0) is left out.
     */
    public List<TimelineData.Curve> circuitCurves(int layer, int head) {
        List<CheckpointCircuits> c = circuits.get();
        String name = "L" + layer + "H" + head;
        List<TimelineData.Curve> out = new ArrayList<>();
        if (c.isEmpty() || layer < 0 || head < 0 || layer >= c.getFirst().layers() || head >= c.getFirst().heads()) {
            return out;
        }
        // short names: the legend beside the chart is as narrow as the other charts' (their step axes line up)
        addCurve(out, "copy " + name, c, x -> x.copying()[layer][head]);
        addCurve(out, "copy max", c, CheckpointCircuits::maxCopying);
        addCurve(out, "K→" + name, c, x -> x.strongestKCompositionInto(layer, head));
        addCurve(out, "K max", c, CheckpointCircuits::strongestKComposition);
        return out;
    }

    private static void addCurve(List<TimelineData.Curve> out, String name, List<CheckpointCircuits> c,
                                 java.util.function.ToDoubleFunction<CheckpointCircuits> value) {
        double[] x = new double[c.size()];
        double[] y = new double[c.size()];
        boolean any = false;
        for (int i = 0; i < c.size(); i++) {
            x[i] = c.get(i).step();
            y[i] = value.applyAsDouble(c.get(i));
            any |= !Double.isNaN(y[i]);
        }
        if (any) {
            out.add(new TimelineData.Curve(name, x, y));
        }
    }
}
