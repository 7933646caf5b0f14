package dev.headlight.ui.view;

import dev.headlight.engine.Model;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.library.HfCacheScanner;
import dev.headlight.ui.Palette;
import dev.headlight.analysis.TensorStatistics;
import dev.headlight.library.WeightTree;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Arrays;
import java.util.Locale;

/**
 * The architecture as a tree of stored tensors and per-head slices; the selected node's tensor names, dtype,
 * shape, bytes, slice and value statistics with a histogram (computed off the FX thread).
 */
public final class WeightsView extends SplitPane {
    /** Parts up to this many elements get statistics as soon as they are selected. */
    static final long AUTO_STATS_ELEMENTS = 4_000_000L;

    private final ExplorerViewModel vm;
    private final TreeView<WeightTree.Node> tree = new TreeView<>();
    private final ComboBox<WeightTree.Part> partChoice = new ComboBox<>();
    private final GridPane facts = new GridPane();
    private final Label statsLabel = new Label();
    private final Label nodeTitle = new Label();
    private final Label nodeSummary = new Label();
    private final Button computeButton = new Button("Compute statistics");
    private final HistogramView histogram;
    /**
     * Tree builds and statistics run as tasks of the window's runner in this lane, one at a time (a model change
     * cancels the statistics in flight).
     */
    private static final String LANE = "weights";
    private dev.headlight.ui.task.TaskHandle statsTask;
    /** The model of the tree shown (null while a tree is being built). */
    private Model shownModel;

    public WeightsView(ExplorerViewModel vm) {
        this.vm = vm;
        histogram = new HistogramView();
        histogram.paletteProperty().bind(vm.paletteProperty());
        tree.setShowRoot(true);
        tree.setCellFactory(tv -> new javafx.scene.control.TreeCell<>() {
            @Override
            protected void updateItem(WeightTree.Node item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
                // the full tensor name behind a short label such as "Q weight"
                setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(WeightTree.fullName(item)));
            }
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showNode(b == null ? null : b.getValue()));
        partChoice.setMaxWidth(Double.MAX_VALUE);
        partChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(WeightTree.Part p) {
                return p == null ? "" : p.placement().tensorName() + (p.slice() == null ? "" : " [" + p.slice().part() + "]");
            }

            @Override
            public WeightTree.Part fromString(String s) {
                return null;
            }
        });
        partChoice.valueProperty().addListener((o, a, b) -> showPart(b));
        computeButton.setOnAction(e -> computeStats(partChoice.getValue()));
        facts.setHgap(10);
        facts.setVgap(4);
        statsLabel.setWrapText(true);
        histogram.setPrefHeight(160);
        histogram.setMinHeight(120);
        nodeTitle.getStyleClass().add(atlantafx.base.theme.Styles.TITLE_4);
        nodeTitle.setWrapText(true);
        nodeSummary.getStyleClass().add("panel-hint");
        VBox details = new VBox(8, nodeTitle, nodeSummary, partChoice, facts, computeButton, statsLabel, histogram);
        details.setPadding(new Insets(10));
        ScrollPane detailScroll = new ScrollPane(details);
        detailScroll.setFitToWidth(true);
        getItems().addAll(tree, detailScroll);
        setDividerPositions(0.45);
        vm.modelProperty().addListener((o, a, b) -> rebuild(b));
        rebuild(vm.model());
    }

    public TreeView<WeightTree.Node> tree() {
        return tree;
    }

    public Label statsLabel() {
        return statsLabel;
    }

    /**
     * The model whose tree is shown, or null while none is (no model, or its tree is still being built).
     */
    public Model shownModel() {
        return shownModel;
    }

    /**
     * Builds the new model's tree off the FX thread (thousands of nodes for a 1B model) and attaches it when ready,
     * unless another model was opened meanwhile. The old tree goes at once: its parts name the old model's tensors.
     */
    private void rebuild(Model model) {
        shownModel = null;
        tree.setRoot(null);
        showNode(null);
        if (model == null) {
            return;
        }
        vm.tasks().task("Listing the weights", ctx -> {
            TreeItem<WeightTree.Node> item = new LazyItem(WeightTree.build(model));
            item.getChildren(); // the first level is shown at once: make it here too
            item.setExpanded(true);
            return item;
        }).quiet().serial(LANE).onSuccess(item -> {
            if (vm.model() == model && shownModel == null) {
                shownModel = model;
                tree.setRoot(item);
                tree.getSelectionModel().select(item);
            }
        }).onFailure(e -> {
            if (vm.model() == model && shownModel == null) {
                nodeTitle.setText("Could not list the weights: " + e.getMessage());
            }
        }).submit();
    }

    /**
     * A tree item that makes its children's items when first asked for them (when it is expanded or walked), so
     * attaching a tree costs one level, not thousands of items.
     */
    static final class LazyItem extends TreeItem<WeightTree.Node> {
        private boolean childrenMade;

        LazyItem(WeightTree.Node node) {
            super(node);
        }

        @Override
        public boolean isLeaf() {
            return getValue().children().isEmpty();
        }

        @Override
        public javafx.collections.ObservableList<TreeItem<WeightTree.Node>> getChildren() {
            if (!childrenMade) {
                childrenMade = true;
                java.util.List<TreeItem<WeightTree.Node>> items = new java.util.ArrayList<>();
                for (WeightTree.Node c : getValue().children()) {
                    items.add(new LazyItem(c));
                }
                super.getChildren().setAll(items);
            }
            return super.getChildren();
        }
    }

    private void showNode(WeightTree.Node node) {
        nodeTitle.setText(node == null ? "" : node.label());
        nodeSummary.setText(node == null ? "" : WeightTree.summary(node));
        partChoice.getItems().setAll(node == null ? java.util.List.of() : node.parts());
        partChoice.setVisible(node != null && node.parts().size() > 1);
        partChoice.setManaged(partChoice.isVisible());
        if (node != null && !node.parts().isEmpty()) {
            partChoice.setValue(node.parts().getFirst());
        } else {
            partChoice.setValue(null);
            showPart(null);
        }
    }

    private void showPart(WeightTree.Part part) {
        facts.getChildren().clear();
        cancelStats();
        statsLabel.setText("");
        histogram.setStatistics(null);
        computeButton.setDisable(part == null);
        computeButton.setVisible(part != null);
        computeButton.setManaged(part != null);
        if (part == null) {
            return;
        }
        var info = part.info();
        int row = 0;
        row = fact(row, "Tensor", info.name());
        row = fact(row, "Role", part.placement().description());
        row = fact(row, "Dtype", info.dtype().name());
        row = fact(row, "Shape", Arrays.toString(info.shape()));
        row = fact(row, "Bytes", String.format(Locale.ROOT, "%,d (%s)", info.byteSize(),
                HfCacheScanner.humanBytes(info.byteSize())));
        row = fact(row, "Slice", part.describeSlice());
        fact(row, "Elements", String.format(Locale.ROOT, "%,d", part.elements()));
        if (part.elements() <= AUTO_STATS_ELEMENTS) {
            computeStats(part);
        } else {
            statsLabel.setText("Large tensor: press Compute statistics to scan its values.");
        }
    }

    private int fact(int row, String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        n.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        facts.addRow(row, n, v);
        return row + 1;
    }

    private void cancelStats() {
        if (statsTask != null) {
            statsTask.cancel();
            statsTask = null;
        }
    }

    private void computeStats(WeightTree.Part part) {
        if (part == null || vm.model() == null) {
            return;
        }
        cancelStats();
        Model model = vm.model();
        statsLabel.setText("Computing statistics…");
        statsTask = vm.tasks().task("Computing statistics…", ctx -> TensorStatistics.of(
                        model.weights().tensor(part.info().name()), part.region(), TensorStatistics.DEFAULT_BINS,
                        ctx::isCancelled))
                .serial(LANE)
                .onSuccess(st -> {
                    statsLabel.setText(String.format(Locale.ROOT,
                            "min %.5g   max %.5g   mean %.5g   std %.5g   (%,d values)",
                            st.min(), st.max(), st.mean(), st.std(), st.count()));
                    histogram.setStatistics(st);
                })
                .onFailure(e -> statsLabel.setText("Could not read values: " + e.getMessage()))
                .submit();
    }

    /** A histogram of tensor values. */
    public static final class HistogramView extends CanvasView {
        private TensorStatistics statistics;

        void setStatistics(TensorStatistics s) {
            statistics = s;
            redraw();
        }

        @Override
        public String exportName() {
            return "histogram";
        }

        @Override
        protected void paint(GraphicsContext g, double w, double h) {
            Palette p = palette.get();
            if (statistics == null) {
                return;
            }
            long[] bins = statistics.bins();
            long max = Arrays.stream(bins).max().orElse(1);
            double left = 8, bottom = h - 18, top = 8;
            double bw = (w - 2 * left) / bins.length;
            g.setFill(p.accent());
            for (int i = 0; i < bins.length; i++) {
                double bh = max == 0 ? 0 : (bottom - top) * bins[i] / (double) max;
                g.fillRect(left + i * bw, bottom - bh, Math.max(1, bw - 1), bh);
            }
            g.setStroke(p.grid());
            g.strokeLine(left, bottom + 0.5, w - left, bottom + 0.5);
            g.setFill(p.mutedText());
            g.setFont(Font.font(ViewText.FAMILY, 10));
            g.setTextBaseline(VPos.TOP);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%.3g", statistics.min()), left, bottom + 3);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(String.format(Locale.ROOT, "%.3g", statistics.max()), w - left, bottom + 3);
        }
    }
}
