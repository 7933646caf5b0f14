package dev.headlight.ui.qk;

import dev.headlight.analysis.QkCell;
import dev.headlight.ui.Palette;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The q·k panel: the cell in words, the strips, the computation step by step, where W_Q and W_K's rows for this
 * head are stored, and the elements that add most to q·k with the stored rows that make them.
 */
public final class QkView extends ScrollPane {
    private final QkViewModel vm;
    private final QkStrip strip;
    private final Label heading = new Label();
    private final Label message = new Label();
    private final VBox steps = new VBox(2);
    private final Label slices = new Label();
    private final GridPane contributions = new GridPane();
    private final Label notes = new Label();

    public QkView(QkViewModel vm, ObservableValue<Palette> palette) {
        this.vm = vm;
        strip = new QkStrip(vm);
        strip.paletteProperty().bind(palette);
        heading.getStyleClass().add(atlantafx.base.theme.Styles.TEXT_BOLD);
        heading.setWrapText(true);
        heading.textProperty().bind(vm.shownProperty().map(QkViewModel.Shown::heading));
        message.setWrapText(true);
        message.getStyleClass().add("panel-hint");
        message.textProperty().bind(vm.shownProperty().map(QkViewModel.Shown::message));
        message.visibleProperty().bind(vm.shownProperty().map(s -> !s.message().isEmpty()));
        message.managedProperty().bind(message.visibleProperty());
        steps.getStyleClass().add("qk-steps");
        slices.setWrapText(true);
        notes.setWrapText(true);
        notes.getStyleClass().add("panel-hint");
        contributions.setHgap(12);
        contributions.setVgap(2);
        Label definition = new Label("q and k are the vectors the attention multiplied: after the layer's norm, "
                + "biases, per-head q/k norms and rotary where the family has them. probability = softmax over the "
                + "query's visible keys of soft-cap(scale × Σₑ q[e]·k[e]).");
        definition.setWrapText(true);
        definition.getStyleClass().add("panel-hint");
        Label topHeading = new Label("The " + QkViewModel.TOP + " largest |q[e]·k[e]| (outlined above) and the "
                + "stored rows that make them");
        topHeading.setWrapText(true);
        topHeading.visibleProperty().bind(vm.shownProperty().map(s -> s.cell() != null));
        topHeading.managedProperty().bind(topHeading.visibleProperty());
        VBox box = new VBox(8, heading, message, strip, steps, slices, topHeading, contributions, notes, definition);
        box.setPadding(new Insets(10));
        setContent(box);
        setFitToWidth(true);
        vm.shownProperty().addListener((o, a, b) -> {
            if (a.cell() != b.cell()) {
                show(b.cell());
            }
        });
        show(vm.shownProperty().get().cell());
    }

    public QkStrip strip() {
        return strip;
    }

    /** The step lines shown (for tests). */
    public List<String> stepTexts() {
        List<String> out = new ArrayList<>();
        steps.getChildren().forEach(n -> out.add(((Label) n).getText()));
        return out;
    }

    private void show(QkCell c) {
        steps.getChildren().clear();
        contributions.getChildren().clear();
        strip.setVisible(c != null);
        strip.setManaged(c != null);
        if (c == null) {
            slices.setText("");
            notes.setText("");
            return;
        }
        for (String s : c.steps()) {
            Label l = new Label(s);
            l.getStyleClass().add("qk-steps");
            steps.getChildren().add(l);
        }
        slices.setText("W_Q: " + (c.queryRows() == null ? "not split by head" : c.queryRows().describe())
                + (c.kvHead() != c.head() ? "\nW_K (kv-head " + c.kvHead() + ", shared by its query-head group): "
                : "\nW_K: ") + (c.keyRows() == null ? "not split by head" : c.keyRows().describe()));
        String[] header = {"e", "q[e]", "k[e]", "q[e]·k[e]", "q from W_Q", "k from W_K"};
        for (int i = 0; i < header.length; i++) {
            Label l = new Label(header[i]);
            l.getStyleClass().add("fact-name");
            contributions.add(l, i, 0);
        }
        contributions.getChildren().forEach(n -> ((Label) n).setMinWidth(Region.USE_PREF_SIZE));
        int row = 1;
        for (QkCell.Contribution t : c.topContributions(QkViewModel.TOP)) {
            contributions.addRow(row++, new Label(String.valueOf(t.element())),
                    new Label(String.format(Locale.ROOT, "%.4g", t.q())),
                    new Label(String.format(Locale.ROOT, "%.4g", t.k())),
                    new Label(String.format(Locale.ROOT, "%.4g", t.product())),
                    new Label(t.queryRow()), new Label(t.keyRow()));
        }
        contributions.getChildren().forEach(n -> ((Label) n).setMinWidth(Region.USE_PREF_SIZE));
        String rotary = c.rotaryDims() > 0
                ? String.format(Locale.ROOT, "Rotary on %d of %d dims (rotate_half): element e is mixed with e ± %d, "
                + "so each q[e] and k[e] comes from two stored rows. ", c.rotaryDims(), c.headDim(), c.rotaryDims() / 2)
                : "No rotary: element e of q comes from one stored row of W_Q, of k from one of W_K. ";
        notes.setText(rotary + String.format(Locale.ROOT,
                "The head view shows %.5f for this cell (float16 for display); computed here in double: %.6f.",
                c.engineProbability(), c.probability()));
    }
}
