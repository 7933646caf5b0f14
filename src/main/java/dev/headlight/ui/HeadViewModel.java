package dev.headlight.ui;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The head view's state: how it draws the selected head (heatmap or lines, one head or the layer's mean, a
 * threshold) and the map it shows // [query][key]. A map whose layer the memory budget did not keep, or a long
 * prompt's layer mean, is fetched off the FX thread; a newer selection makes a fetch in flight stale, and its
 * result is dropped.
 */
public final class HeadViewModel {
    public enum Mode { HEATMAP, LINES }

    /** Up to this many probabilities, a ready map is read on the FX thread; more is read on another thread. */
    public static final long ON_FX_MAX = 1L << 22;

    /** Fetches a map off the FX thread and hands it back on it (the app's {@link AttentionLoader}; tests: direct). */
    @FunctionalInterface
    public interface MapLoader {
        void load(BooleanSupplier wanted, Callable<float[]> work, Consumer<float[]> done, Consumer<Throwable> failed);

        /** The app's loader: {@link AttentionLoader}'s worker, before the model view's thumbnails. */
        static MapLoader shownFirst() {
            return (wanted, work, done, failed) ->
                    AttentionLoader.load(AttentionLoader.Priority.SHOWN, wanted, work, done, failed);
        }
    }

    private final ExplorerViewModel vm;
    private final MapLoader loader;
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.HEATMAP);
    private final BooleanProperty layerMean = new SimpleBooleanProperty(this, "layerMean", false);
    /** Probabilities below this are drawn as 0 (heatmap) or not at all (lines). */
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0);
    private final ReadOnlyObjectWrapper<float[]> shownMap = new ReadOnlyObjectWrapper<>(this, "shownMap");
    private final ReadOnlyBooleanWrapper recomputing = new ReadOnlyBooleanWrapper(this, "recomputing", false);
    /** The fetch in flight, or null: a newer one makes it stale. */
    private Object pending;

    public HeadViewModel(ExplorerViewModel vm) {
        this(vm, MapLoader.shownFirst());
    }

    public HeadViewModel(ExplorerViewModel vm, MapLoader loader) {
        this.vm = vm;
        this.loader = loader;
        Selection s = vm.selection();
        vm.analysisProperty().addListener(o -> refresh());
        s.layerProperty().addListener(o -> refresh());
        s.headProperty().addListener(o -> refresh());
        layerMean.addListener(o -> refresh());
        refresh();
    }

    /** Shows the map of the current selection: at once when it is ready and small, else once fetched. */
    private void refresh() {
        pending = null;
        recomputing.set(false);
        Analysis a = vm.analysis();
        if (a == null) {
            shownMap.set(null);
            return;
        }
        int layer = vm.selection().layer();
        int head = vm.selection().head();
        boolean mean = layerMean.get();
        // a long prompt's layer mean reads every head: like a recompute, that is work for another thread
        boolean small = (mean ? (long) a.heads() : 1L) * a.tokens() * a.tokens() <= ON_FX_MAX;
        float[] ready = small ? a.mapIfReady(layer, head, mean) : null;
        shownMap.set(ready);
        if (ready == null) {
            Object request = new Object();
            pending = request;
            recomputing.set(true);
            loader.load(() -> pending == request, () -> a.map(layer, head, mean), map -> {
                if (pending == request) {
                    pending = null;
                    recomputing.set(false);
                    shownMap.set(map);
                }
            }, failure -> {
                if (pending == request) {
                    pending = null;
                    recomputing.set(false);
                    vm.tasks().errors().report("Could not recompute the attention of layer " + layer, failure);
                }
            });
        }
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public BooleanProperty layerMeanProperty() {
        return layerMean;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    /** The map shown // [query][key]; null while none (no analysis) or while it is being fetched. */
    public ReadOnlyObjectProperty<float[]> shownMapProperty() {
        return shownMap.getReadOnlyProperty();
    }

    public float[] shownMap() {
        return shownMap.get();
    }

    /** Whether the shown map is being fetched (its placeholder is on screen). */
    public ReadOnlyBooleanProperty recomputingProperty() {
        return recomputing.getReadOnlyProperty();
    }
}
