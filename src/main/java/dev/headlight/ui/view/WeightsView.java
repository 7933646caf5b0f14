package dev.headlight.ui.view;

import dev.headlight.analysis.TensorStatistics;
import dev.headlight.format.safetensors.StoredElement;
import dev.headlight.library.WeightTree;
import dev.headlight.ui.Palette;
import dev.headlight.ui.WeightsViewModel;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.scene.text.TextFlow;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The architecture as a tree of stored tensors and per-head slices; for the selected node its facts, where its
 * tensor sits in the safetensors file (header length, header entry, data_offsets, absolute bytes), a picture of the
 * matrix with the selected head's slices outlined, the bits of a clicked element, and value statistics with a
 * histogram. Paints {@link WeightsViewModel} state; changes it only through its commands.
 */
public final class WeightsView extends SplitPane {
    private final WeightsViewModel vm;
    private final TreeView<WeightTree.Node> tree = new TreeView<>();
    private final ComboBox<WeightTree.Part> partChoice = new ComboBox<>();
    private final GridPane facts = new GridPane();
    private final GridPane fileFacts = new GridPane();
    private final TextArea headerEntry = new TextArea();
    private final Label statsLabel = new Label();
    private final Label nodeTitle = new Label();
    private final Label nodeSummary = new Label();
    private final Label message = new Label();
    private final Button computeButton = new Button("Compute statistics");
    private final MatrixView matrix;
    private final Label elementHeading = new Label("Click the matrix to see an element's stored bits.");
    private final TextFlow bits = new TextFlow();
    private final Label elementDetail = new Label();
    private final HistogramView histogram = new HistogramView();
    /** Set while the view itself changes the tree's selection (the model's node is already that one). */
    private boolean syncing;

    public WeightsView(WeightsViewModel vm, javafx.beans.value.ObservableValue<Palette> palette) {
        this.vm = vm;
        matrix = new MatrixView(vm);
        matrix.paletteProperty().bind(palette);
        histogram.paletteProperty().bind(palette);
        tree.setShowRoot(true);
        tree.setCellFactory(tv -> new javafx.scene.control.TreeCell<>() {
            // one per cell, its text changed: a Tooltip is a popup window, and making one per update of every cell
            // when a model's tree arrived held the FX thread for tens of milliseconds
            private final javafx.scene.control.Tooltip fullName = new javafx.scene.control.Tooltip();

            @Override
            protected void updateItem(WeightTree.Node item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
                // the full tensor name behind a short label such as "Q weight"
                if (empty || item == null) {
                    setTooltip(null);
                } else {
                    fullName.setText(WeightTree.fullName(item));
                    setTooltip(fullName);
                }
            }
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (!syncing) {
                vm.selectNode(b == null ? null : b.getValue());
            }
        });
        vm.treeProperty().addListener((o, a, b) -> showTree(b.root()));
        vm.nodeProperty().addListener((o, a, b) -> showNode(b));
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
        partChoice.valueProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.partProperty().get()) {
                vm.selectPart(b);
            }
        });
        vm.partProperty().addListener((o, a, b) -> showPart(b));
        computeButton.setOnAction(e -> vm.computeStatistics());
        for (GridPane g : List.of(facts, fileFacts)) {
            g.setHgap(10);
            g.setVgap(4);
        }
        vm.facts().addListener((ListChangeListener<WeightsViewModel.Fact>) c -> fill(facts, vm.facts()));
        vm.fileEntryProperty().addListener((o, a, b) -> fill(fileFacts, b.facts()));
        headerEntry.setEditable(false);
        headerEntry.setWrapText(true);
        headerEntry.setPrefRowCount(3);
        headerEntry.getStyleClass().add("header-entry");
        headerEntry.textProperty().bind(vm.fileEntryProperty().map(WeightsViewModel.FileEntry::header));
        headerEntry.visibleProperty().bind(headerEntry.textProperty().isNotEmpty());
        headerEntry.managedProperty().bind(headerEntry.visibleProperty());
        statsLabel.setWrapText(true);
        statsLabel.textProperty().bind(vm.statsProperty().map(WeightsViewModel.Stats::text));
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        message.getStyleClass().add("panel-hint");
        histogram.setPrefHeight(160);
        histogram.setMinHeight(120);
        vm.statsProperty().addListener((o, a, b) -> histogram.setStatistics(b.statistics()));
        nodeTitle.getStyleClass().add(atlantafx.base.theme.Styles.TITLE_4);
        nodeTitle.setWrapText(true);
        nodeSummary.getStyleClass().add("panel-hint");
        elementHeading.setWrapText(true);
        elementDetail.setWrapText(true);
        bits.getStyleClass().add("element-bits");
        vm.pickProperty().addListener((o, a, b) -> showElement(b.element()));
        Label fileHeading = new Label("In the file");
        fileHeading.getStyleClass().add(atlantafx.base.theme.Styles.TEXT_BOLD);
        VBox details = new VBox(8, nodeTitle, nodeSummary, message, partChoice, facts, fileHeading, fileFacts,
                headerEntry, matrix, elementHeading, bits, elementDetail, computeButton, statsLabel, histogram);
        details.setPadding(new Insets(10));
        ScrollPane detailScroll = new ScrollPane(details);
        detailScroll.setFitToWidth(true);
        // the ids name the parts for tests and tools
        tree.setId("weights-tree");
        statsLabel.setId("weights-stats");
        matrix.setId("weights-matrix");
        bits.setId("weights-bits");
        getItems().addAll(tree, detailScroll);
        setDividerPositions(0.4);
        showTree(vm.treeProperty().get().root());
        showPart(vm.partProperty().get());
    }

    public WeightsViewModel viewModel() {
        return vm;
    }

    /** Attaches a new tree: only its first level gets items now (a 1B model has thousands of nodes). */
    private void showTree(WeightTree.Node root) {
        if (root == null) {
            tree.setRoot(null);
            return;
        }
        TreeItem<WeightTree.Node> item = new LazyItem(root);
        item.setExpanded(true);
        tree.setRoot(item);
        syncing = true;
        try {
            tree.getSelectionModel().select(item);
        } finally {
            syncing = false;
        }
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
        partChoice.getItems().setAll(vm.parts());
        partChoice.setVisible(vm.parts().size() > 1);
        partChoice.setManaged(partChoice.isVisible());
        partChoice.setValue(vm.partProperty().get());
    }

    private void showPart(WeightTree.Part part) {
        partChoice.setValue(part);
        computeButton.setVisible(part != null);
        computeButton.setManaged(part != null);
        matrix.setVisible(part != null);
        matrix.setManaged(part != null);
        histogram.setStatistics(vm.statsProperty().get().statistics());
        showElement(null);
    }

    private void showElement(StoredElement el) {
        WeightsViewModel.Cell cell = vm.pickProperty().get().cell();
        bits.getChildren().clear();
        if (cell == null) {
            elementHeading.setText("Click the matrix to see an element's stored bits.");
            elementDetail.setText("");
            return;
        }
        elementHeading.setText(String.format(Locale.ROOT, "Element [%,d, %,d] (index %,d)%s", cell.row(), cell.col(),
                cell.index(), el == null ? " — reading…" : ""));
        if (el == null) {
            elementDetail.setText("");
            return;
        }
        if (el.isFloatingPoint()) {
            bits.getChildren().addAll(bitGroup(el.signBits(), "bits-sign"), new Text(" "),
                    bitGroup(el.exponentBitString(), "bits-exponent"), new Text(" "),
                    bitGroup(el.mantissaBitString(), "bits-mantissa"));
        } else {
            bits.getChildren().add(bitGroup(el.bitString(), "bits-integer"));
        }
        String fields = el.isFloatingPoint()
                ? String.format(Locale.ROOT, "sign | exponent (%d bits, bias %d) | mantissa (%d bits)%n",
                el.exponentBits(), el.bias(), el.mantissaBits())
                : "";
        elementDetail.setText(fields + String.format(Locale.ROOT,
                "%s at file byte %,d: %s (little-endian)%nvalue %s", el.dtype(), el.fileOffset(), el.bytes(),
                el.formula()));
    }

    private static Text bitGroup(String text, String styleClass) {
        Text t = new Text(text);
        t.getStyleClass().addAll("bits", styleClass);
        return t;
    }

    private static void fill(GridPane grid, List<WeightsViewModel.Fact> rows) {
        grid.getChildren().clear();
        int row = 0;
        for (WeightsViewModel.Fact f : rows) {
            Label n = new Label(f.name());
            n.getStyleClass().add("fact-name");
            n.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            Label v = new Label(f.value());
            v.setWrapText(true);
            grid.addRow(row++, n, v);
        }
    }

    /** A histogram of tensor values. */
    public static final class HistogramView extends CanvasView {
        private TensorStatistics statistics;

        HistogramView() {
            super("histogram");
        }

        void setStatistics(TensorStatistics s) {
            statistics = s;
            redraw();
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
