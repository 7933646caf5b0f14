package dev.headlight.ui;

import dev.headlight.analysis.MatrixPicture;
import dev.headlight.analysis.TensorStatistics;
import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.format.safetensors.FileLayout;
import dev.headlight.format.safetensors.StoredElement;
import dev.headlight.format.safetensors.TensorInfo;
import dev.headlight.library.HfCacheScanner;
import dev.headlight.library.WeightTree;
import dev.headlight.ui.task.TaskHandle;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The weights panel's state: the model's tensor tree, the selected node and part (a whole tensor or a head's
 * slice), its facts, where it sits in its safetensors file (header length, the header entry as stored,
 * data_offsets, absolute bytes), its value statistics, a picture of the matrix with the selected head's Q/K/V/O
 * slices marked, and one selected element's stored bytes and bits. Tree, picture, statistics and file reads run as
 * tasks of the one runner, in one lane; a newer selection cancels the older work.
 */
public final class WeightsViewModel {
    /** Parts up to this many elements get statistics as soon as they are selected. */
    public static final long AUTO_STATS_ELEMENTS = 4_000_000L;
    /** Tensors up to this many elements are pictured as soon as they are selected (GPT-2's embedding: 39M). */
    public static final long AUTO_PICTURE_ELEMENTS = 64_000_000L;
    /** The picture's largest side in cells. */
    public static final int PICTURE_SIDE = 512;
    private static final String LANE = "weights";

    /** One line of the facts table. */
    public record Fact(String name, String value) {
    }

    /** A head slice drawn on the picture: "Q", "K", "V" or "O" of a head, along the stored axis. */
    public record Highlight(String label, TensorPlacement.Axis axis, int from, int to) {
    }

    /** The selected element: its row and column in the matrix view of the tensor and its row-major index. */
    public record Cell(long row, long col, long index) {
    }

    /** The model whose tree is shown and the tree's root; both null while none is (no model, or still building). */
    public record ShownTree(Model model, WeightTree.Node root) {
        static final ShownTree NONE = new ShownTree(null, null);
    }

    /** The selected element (null when none) and its stored bytes (null until read from the file). */
    public record Pick(Cell cell, StoredElement element) {
        static final Pick NONE = new Pick(null, null);
    }

    /** Where the shown part's tensor sits in its file and its header entry as stored, read together. */
    public record FileEntry(List<Fact> facts, String header) {
        static final FileEntry NONE = new FileEntry(List.of(), "");
    }

    /** The selected part's value statistics (null until scanned) and the line that states them or the scan's state. */
    public record Stats(String text, TensorStatistics statistics) {
        static final Stats NONE = new Stats("", null);
    }

    private final ExplorerViewModel vm;
    private final ReadOnlyObjectWrapper<ShownTree> tree = new ReadOnlyObjectWrapper<>(this, "tree", ShownTree.NONE);
    private final ReadOnlyObjectWrapper<WeightTree.Node> node = new ReadOnlyObjectWrapper<>(this, "node");
    private final ReadOnlyObjectWrapper<WeightTree.Part> part = new ReadOnlyObjectWrapper<>(this, "part");
    private final ObservableList<Fact> facts = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<FileEntry> fileEntry = new ReadOnlyObjectWrapper<>(this, "fileEntry",
            FileEntry.NONE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyObjectWrapper<Stats> stats = new ReadOnlyObjectWrapper<>(this, "stats", Stats.NONE);
    private final ReadOnlyObjectWrapper<MatrixPicture> picture = new ReadOnlyObjectWrapper<>(this, "picture");
    private final ObservableList<Highlight> highlights = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Pick> pick = new ReadOnlyObjectWrapper<>(this, "pick", Pick.NONE);
    private final ObservableList<Fact> factsView = FXCollections.unmodifiableObservableList(facts);
    private final ObservableList<Highlight> highlightsView = FXCollections.unmodifiableObservableList(highlights);
    /** Each file's header, read once per model. */
    /** The shown model's file layouts, read on demand by background tasks; a new map per model, so the UI thread
     *  never waits on another task's file read. */
    private volatile Map<Path, FileLayout> layouts = new ConcurrentHashMap<>();
    private FileLayout.Entry entry;       // the shown part's header entry and its file's layout, once read
    private FileLayout shownLayout;
    private TaskHandle partTask;
    private TaskHandle statsTask;
    private TaskHandle elementTask;

    public WeightsViewModel(ExplorerViewModel vm) {
        this.vm = vm;
        vm.modelProperty().addListener((o, a, b) -> rebuild(b));
        vm.selection().headProperty().addListener((o, a, b) -> updateHighlights());
        rebuild(vm.model());
    }

    // ---- commands

    /** Shows a tree node: its first part is selected. */
    public void selectNode(WeightTree.Node newNode) {
        node.set(newNode);
        selectPart(newNode == null || newNode.parts().isEmpty() ? null : newNode.parts().getFirst());
    }

    /**
     * Shows one part: its facts at once; its file entry, picture and (for small parts) statistics from the
     * background.
     */
    public void selectPart(WeightTree.Part newPart) {
        cancel();
        part.set(newPart);
        facts.clear();
        fileEntry.set(FileEntry.NONE);
        stats.set(Stats.NONE);
        picture.set(null);
        pick.set(Pick.NONE);
        entry = null;
        shownLayout = null;
        updateHighlights();
        Model model = vm.model();
        if (newPart == null || model == null) {
            return;
        }
        TensorInfo info = newPart.info();
        facts.addAll(List.of(
                new Fact("Tensor", info.name()),
                new Fact("Role", newPart.placement().description()),
                new Fact("Dtype", info.dtype().name()),
                new Fact("Shape", Arrays.toString(info.shape())),
                new Fact("Bytes", String.format(Locale.ROOT, "%,d (%s)", info.byteSize(),
                        HfCacheScanner.humanBytes(info.byteSize()))),
                new Fact("Slice", newPart.describeSlice()),
                new Fact("Elements", String.format(Locale.ROOT, "%,d", newPart.elements()))));
        boolean drawNow = info.elementCount() <= AUTO_PICTURE_ELEMENTS;
        partTask = vm.tasks().task("Reading " + info.name(), ctx -> {
                    var tensor = model.weights().tensor(info.name());
                    FileLayout layout = layoutOf(tensor.file());
                    MatrixPicture pic = drawNow ? MatrixPicture.of(tensor, PICTURE_SIDE, ctx::isCancelled) : null;
                    return new PartDetails(layout, layout.entry(info.name()), pic);
                }).serial(LANE)
                .onSuccess(d -> {
                    if (part.get() == newPart) {
                        showFile(d.layout(), d.entry());
                        picture.set(d.picture());
                    }
                })
                .onFailure(e -> message.set("Could not read " + info.name() + ": " + e.getMessage()))
                .submit();
        if (newPart.elements() <= AUTO_STATS_ELEMENTS) {
            computeStatistics();
        } else {
            stats.set(new Stats("Large tensor: press Compute statistics to scan its values"
                    + (drawNow ? "." : " and draw it."), null));
        }
    }

    private record PartDetails(FileLayout layout, FileLayout.Entry entry, MatrixPicture picture) {
    }

    /** A statistics scan, with the picture of a tensor too large to draw when selected (else null). */
    private record Scan(TensorStatistics statistics, MatrixPicture picture) {
    }

    /** Scans the selected part's values (and draws a tensor too large to draw at once). */
    public void computeStatistics() {
        WeightTree.Part p = part.get();
        Model model = vm.model();
        if (p == null || model == null) {
            return;
        }
        if (statsTask != null) {
            statsTask.cancel();
        }
        boolean draw = picture.get() == null && p.info().elementCount() > AUTO_PICTURE_ELEMENTS;
        stats.set(new Stats("Computing statistics…", null));
        statsTask = vm.tasks().task("Computing statistics…", ctx -> {
                    var tensor = model.weights().tensor(p.info().name());
                    var stats = TensorStatistics.of(tensor, p.region(), TensorStatistics.DEFAULT_BINS,
                            ctx::isCancelled);
                    return new Scan(stats, draw ? MatrixPicture.of(tensor, PICTURE_SIDE, ctx::isCancelled) : null);
                }).serial(LANE).userCancellable()
                .onSuccess(r -> {
                    if (part.get() != p) {
                        return;
                    }
                    TensorStatistics st = r.statistics();
                    stats.set(new Stats(String.format(Locale.ROOT,
                            "min %.5g   max %.5g   mean %.5g   std %.5g   (%,d values)",
                            st.min(), st.max(), st.mean(), st.std(), st.count()), st));
                    if (r.picture() != null) {
                        picture.set(r.picture());
                    }
                })
                .onFailure(e -> stats.set(new Stats("Could not read values: " + e.getMessage(), null)))
                .submit();
    }

    /**
     * Selects element (row, col) of the pictured matrix (rank 1: row 0) and reads its stored bytes from the file.
     */
    public void selectElement(long row, long col) {
        MatrixPicture pic = picture.get();
        WeightTree.Part p = part.get();
        FileLayout.Entry e = entry;
        if (pic == null || p == null || e == null || row < 0 || col < 0 || row >= pic.rows() || col >= pic.cols()) {
            return;
        }
        Cell selected = new Cell(row, col, row * pic.cols() + col);
        pick.set(new Pick(selected, null));
        if (elementTask != null) {
            elementTask.cancel();
        }
        FileLayout layout = shownLayout;
        elementTask = vm.tasks().task("Reading an element", ctx -> layout.readElement(e.name(), selected.index()))
                .quiet()
                .onSuccess(el -> {
                    if (pick.get().cell() == selected) {
                        pick.set(new Pick(selected, el));
                    }
                })
                .onFailure(ex -> message.set("Could not read the element: " + ex.getMessage()))
                .submit();
    }

    // ---- state shown

    private void rebuild(Model model) {
        cancel();
        layouts = new ConcurrentHashMap<>();
        tree.set(ShownTree.NONE);
        selectNode(null);
        message.set("");
        if (model == null) {
            return;
        }
        vm.tasks().task("Listing the weights", ctx -> WeightTree.build(model)).quiet().serial(LANE)
                .onSuccess(built -> {
                    if (vm.model() == model && tree.get().model() == null) {
                        tree.set(new ShownTree(model, built));
                        selectNode(built);
                    }
                })
                .onFailure(e -> {
                    if (vm.model() == model) {
                        message.set("Could not list the weights: " + e.getMessage());
                    }
                })
                .submit();
    }

    private FileLayout layoutOf(Path file) {
        return layouts.computeIfAbsent(file, FileLayout::read);
    }

    private void showFile(FileLayout layout, FileLayout.Entry e) {
        entry = e;
        shownLayout = layout;
        fileEntry.set(new FileEntry(List.of(
                new Fact("File", layout.file().getFileName() + String.format(Locale.ROOT, " (%,d bytes)",
                        layout.fileSize())),
                new Fact("Header length", String.format(Locale.ROOT,
                        "%,d bytes (the first 8 bytes, little-endian); data starts at byte %,d",
                        layout.headerLength(), layout.dataStart())),
                new Fact("Header entry", String.format(Locale.ROOT, "bytes %,d–%,d of the file",
                        e.jsonBegin(), e.jsonEnd() - 1)),
                new Fact("data_offsets", String.format(Locale.ROOT, "[%,d, %,d] from the data start", e.dataBegin(),
                        e.dataEnd())),
                new Fact("In the file", String.format(Locale.ROOT, "bytes %,d–%,d (%,d + data_offsets)",
                        e.fileBegin(), e.fileEnd() - 1, layout.dataStart()))),
                "\"" + e.name() + "\": " + e.json()));
    }

    /**
     * The head slices marked on the picture: a head-slice part marks its own slice; a whole attention tensor the
     * selected head's slices (its kv-head's K and V under grouped-query attention).
     */
    private void updateHighlights() {
        WeightTree.Part p = part.get();
        Model model = vm.model();
        if (p == null || model == null) {
            highlights.clear();
            return;
        }
        if (p.slice() != null) {
            highlights.setAll(highlight(p.slice()));
            return;
        }
        int head = vm.selection().head();
        int heads = model.info().heads();
        int kvHeads = model.info().kvHeads() > 0 ? model.info().kvHeads() : heads;
        int kvHead = head / Math.max(1, heads / kvHeads);
        highlights.setAll(p.placement().headSlices().stream()
                .filter(s -> s.head() == (s.part().equals("k") || s.part().equals("v") ? kvHead : head))
                .map(WeightsViewModel::highlight).toList());
    }

    private static Highlight highlight(TensorPlacement.HeadSlice s) {
        return new Highlight(s.part().toUpperCase(Locale.ROOT) + s.head(), s.axis(), s.from(), s.to());
    }

    private void cancel() {
        for (TaskHandle t : new TaskHandle[]{partTask, statsTask, elementTask}) {
            if (t != null) {
                t.cancel();
            }
        }
        partTask = statsTask = elementTask = null;
    }

    // ---- read-only properties

    /** The model whose tree is shown, with the tree ({@link ShownTree#NONE} while none is). */
    public ReadOnlyObjectProperty<ShownTree> treeProperty() {
        return tree.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WeightTree.Node> nodeProperty() {
        return node.getReadOnlyProperty();
    }

    /** The shown node's parts (Q/K/V/O of a head, the whole tensor elsewhere), empty when no node is shown. */
    public List<WeightTree.Part> parts() {
        WeightTree.Node n = node.get();
        return n == null ? List.of() : n.parts();
    }

    public ReadOnlyObjectProperty<WeightTree.Part> partProperty() {
        return part.getReadOnlyProperty();
    }

    public ObservableList<Fact> facts() {
        return factsView;
    }

    /** Where the part's tensor sits in its file, with its header entry as stored (empty until read). */
    public ReadOnlyObjectProperty<FileEntry> fileEntryProperty() {
        return fileEntry.getReadOnlyProperty();
    }

    /** A failure to list or read, in one line (empty when none). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Stats> statsProperty() {
        return stats.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<MatrixPicture> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    public ObservableList<Highlight> highlights() {
        return highlightsView;
    }

    public ReadOnlyObjectProperty<Pick> pickProperty() {
        return pick.getReadOnlyProperty();
    }
}
