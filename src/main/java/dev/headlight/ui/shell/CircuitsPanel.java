package dev.headlight.ui.shell;

import atlantafx.base.theme.Styles;
import dev.headlight.analysis.circuits.CircuitConventions;
import dev.headlight.analysis.circuits.CompositionGraph.Kind;
import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.view.CircuitGraphView;
import dev.headlight.ui.view.EigenvaluePlot;
import dev.headlight.ui.view.OffsetProfilePlot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.headlight.ui.shell.Panels.panel;

/**
 * The Circuits tab: the composition graph with its Q/K/V toggles and threshold slider on top; below, the selected
 * head's kind and why, its copying score and OV circuit in tokens, its positional profiles and OV eigenvalues.
 * Assembles the views on a {@link CircuitsViewModel}.
 */
final class CircuitsPanel extends SplitPane {
    static final String EXPLANATION = "What each head's weights say it does, linked to the selection. Graph: every "
            + "head a node (rows = layers), filled by its copying score (red copies, blue suppresses, grey: null); "
            + "an edge for each composition score at or above the threshold: Q (the earlier head's output feeds "
            + "the later head's queries), K (its keys) or V (its values). Click a node to select the head, an edge "
            + "to select the pair.\n\nBERT: copying scores are null — they need a linear unembedding.\n\n"
            + CircuitConventions.flowing();

    private final CircuitGraphView graph;
    private final Slider threshold = new Slider(0, 1, 0.2);
    private final TableView<CircuitsViewModel.OvRow> ovTable = new TableView<>();

    CircuitsPanel(ExplorerViewModel vm, CircuitsViewModel circuits) {
        graph = new CircuitGraphView(vm, circuits);
        threshold.setPrefWidth(130);
        threshold.maxProperty().bind(circuits.maxScoreProperty());
        threshold.valueProperty().bindBidirectional(circuits.thresholdProperty());
        threshold.setTooltip(new Tooltip("Edges for composition scores at or above this"));
        Label thresholdValue = new Label();
        thresholdValue.textProperty().bind(circuits.thresholdProperty().asString(Locale.ROOT, "≥ %.2f"));
        thresholdValue.setMinWidth(Region.USE_PREF_SIZE);
        HBox controls = new HBox(6, toggle(Kind.Q, circuits.showQProperty(), vm),
                toggle(Kind.K, circuits.showKProperty(), vm),
                toggle(Kind.V, circuits.showVProperty(), vm), threshold, thresholdValue);
        controls.setAlignment(Pos.CENTER_RIGHT);
        Node graphPanel = panel("Composition graph", EXPLANATION, graph, controls);

        Label heading = new Label();
        heading.getStyleClass().add(Styles.TEXT_BOLD);
        heading.textProperty().bind(circuits.shownHeadProperty().map(CircuitsViewModel.ShownHead::heading));
        Label status = wrapped(circuits.statusProperty());
        status.getStyleClass().add("panel-hint");
        Label why = wrapped(circuits.shownHeadProperty().map(CircuitsViewModel.ShownHead::why));
        Label pair = wrapped(circuits.selectedPairProperty().map(CircuitsViewModel.SelectedPair::text));

        TableColumn<CircuitsViewModel.OvRow, String> sigma = new TableColumn<>("σ");
        sigma.setCellValueFactory(c -> new ReadOnlyStringWrapper(
                String.format(Locale.ROOT, "%.3g", c.getValue().sigma())));
        sigma.setPrefWidth(60);
        TableColumn<CircuitsViewModel.OvRow, String> in = new TableColumn<>("input tokens");
        in.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.join("  ", c.getValue().in())));
        TableColumn<CircuitsViewModel.OvRow, String> out = new TableColumn<>("→ output tokens");
        out.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.join("  ", c.getValue().out())));
        in.setPrefWidth(200);
        out.setPrefWidth(200);
        ovTable.getColumns().setAll(List.of(sigma, in, out));
        ovTable.getStyleClass().add(Styles.DENSE);
        ovTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        ovTable.setFixedCellSize(24);
        ovTable.setPrefHeight(24 * CircuitsViewModel.OV_TOP + 40); // every row and the header, no scroll bar
        ovTable.setMinHeight(Region.USE_PREF_SIZE);
        ovTable.setPlaceholder(new Label("No OV circuit in tokens (needs a linear unembedding)"));
        Tooltip.install(ovTable, Panels.wrapping("The top singular directions σ u vᵀ of the full OV circuit "
                + "W_E W_OV W_U: when this head attends to the input tokens (largest entries of u) it writes the "
                + "output tokens (largest entries of v). A copying head lists the same tokens on both sides."));
        Label ovTitle = new Label("OV circuit in tokens (top singular directions of W_E W_OV W_U)");
        ovTitle.getStyleClass().add(Styles.TEXT_BOLD);

        EigenvaluePlot eigen = new EigenvaluePlot(vm, circuits);
        OffsetProfilePlot weightsProfile = new OffsetProfilePlot(vm, "qk-positional-profile");
        OffsetProfilePlot behaviour = new OffsetProfilePlot(vm, "attention-offset-profile");
        circuits.shownHeadProperty().addListener((o, a, s) -> showDetail(s.detail(), weightsProfile, behaviour));
        showDetail(circuits.shownHeadProperty().get().detail(), weightsProfile, behaviour);
        TilePane plots = new TilePane(8, 8, eigen, weightsProfile, behaviour);
        plots.setPrefTileWidth(236);
        plots.setPrefTileHeight(196);
        for (Region r : new Region[]{eigen, weightsProfile, behaviour}) {
            r.setPrefSize(236, 196);
        }
        Tooltip.install(weightsProfile, Panels.wrapping("For learned absolute positions (GPT-2, BERT): the mean "
                + "QK logit of W_pos W_QK W_posᵀ per relative offset (query position − key position), over the "
                + "position pairs attention may connect. Rotary families have none: their QK circuit is "
                + "content-only."));
        Tooltip.install(behaviour, Panels.wrapping("The mean attention per relative offset (query position − key "
                + "position) on the multi-period probe (averaged over its periods) and on the prompt."));
        Tooltip.install(eigen, Panels.wrapping("The eigenvalues of W_O W_U W_E W_V [d_head × d_head] in the "
                + "complex plane: the nonzero eigenvalues of the full OV circuit W_E W_OV W_U. Copying score = "
                + "Re(Σλ) / Σ|λ|: +1 when all lie on the positive real axis (a pure copier), −1 on the negative "
                + "(a copy suppressor)."));

        VBox details = new VBox(6, heading, status, why, pair, ovTitle, ovTable, plots);
        details.setPadding(new Insets(8));
        details.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(details);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        Node detailPanel = panel("Selected head", "The selected head's kind and why it got it (the probe's "
                + "numbers per period), its OV role (copying score), the earlier heads it composes with most, "
                + "its OV circuit in tokens, its QK positional profile and its OV eigenvalues.\n\n"
                + CircuitConventions.flowing(), scroll, null);
        setOrientation(Orientation.VERTICAL);
        getItems().addAll(graphPanel, detailPanel);
        setDividerPositions(0.45);
    }

    private void showDetail(CircuitsViewModel.HeadDetail d, OffsetProfilePlot weights, OffsetProfilePlot behaviour) {
        ovTable.getItems().setAll(d == null ? List.of() : d.ovTop());
        if (d == null) {
            weights.show("", List.of(), 1, "");
            behaviour.show("", List.of(), 1, "");
            return;
        }
        int max = CircuitsViewModel.PROFILE_OFFSETS;
        weights.show("QK positional profile (weights)",
                List.of(new OffsetProfilePlot.Series("weights", d.weightsProfile())), max,
                "No learned absolute positions: QK is content-only here");
        List<OffsetProfilePlot.Series> lines = new ArrayList<>();
        lines.add(new OffsetProfilePlot.Series("probe", d.probeProfile()));
        lines.add(new OffsetProfilePlot.Series("prompt", d.promptProfile()));
        behaviour.show("Attention per offset (behaviour)", lines, max, "");
    }

    private static Label wrapped(javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.textProperty().bind(text);
        l.managedProperty().bind(l.textProperty().isNotEmpty());
        l.visibleProperty().bind(l.managedProperty());
        return l;
    }

    private static CheckBox toggle(Kind kind, BooleanProperty shown, ExplorerViewModel vm) {
        Rectangle swatch = new Rectangle(14, 4);
        swatch.fillProperty().bind(vm.darkProperty().map(dark -> CircuitGraphView.kindColor(kind, dark)));
        CheckBox b = new CheckBox(kind.name());
        b.setGraphic(swatch);
        b.setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
        b.selectedProperty().bindBidirectional(shown);
        b.setTooltip(new Tooltip(kind + "-composition edges: an earlier head's output feeds a later head's "
                + kind.reads()));
        return b;
    }

    CircuitGraphView graph() {
        return graph;
    }

    Slider threshold() {
        return threshold;
    }

    TableView<CircuitsViewModel.OvRow> ovTable() {
        return ovTable;
    }
}
