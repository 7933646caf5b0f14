package dev.headlight.ui.view;

import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.Selection;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.paint.Color;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompt's tokens as chips. Hovering or clicking a chip selects it as the query token everywhere; the other
 * chips are tinted by how much the selected head's query attends to them.
 */
public final class TokensView extends ScrollPane {
    private static final javafx.css.PseudoClass QUERY = javafx.css.PseudoClass.getPseudoClass("query");
    /** New chips made per frame. */
    public static final int CHIPS_PER_PULSE = 48;

    private final ExplorerViewModel vm;
    private final FlowPane chips = new FlowPane(4, 4);
    /** Above the chips when the vocabulary lacks characters of the prompt (tokenizing drops them silently). */
    private final Label lostNote = new Label();
    private final List<Label> labels = new ArrayList<>();
    /**
     * [position] each chip's tooltip text. A chip gets its Tooltip when first hovered: making one per chip cost
     * ~0.7 ms each on the FX thread (a popup control), 300 ms for a 460-token prompt.
     */
    private final List<String> tips = new ArrayList<>();
    private float[] map;            // [query][key] of the selected head, for mapKey
    private Object mapKey;          // the analysis, layer and head the map belongs to
    private volatile Object wanted; // the key a recompute in flight is for, or null

    public TokensView(ExplorerViewModel vm) {
        this.vm = vm;
        chips.setPadding(new Insets(6, 8, 6, 8));
        chips.getStyleClass().add("token-strip");
        lostNote.getStyleClass().add("token-lost");
        lostNote.setWrapText(true);
        lostNote.setPadding(new Insets(4, 8, 0, 8));
        lostNote.setVisible(false);
        lostNote.setManaged(false);
        setContent(new javafx.scene.layout.VBox(lostNote, chips));
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);
        getStyleClass().add("tokens-view");
        setFocusTraversable(true);
        vm.analysisProperty().addListener((o, a, b) -> rebuild());
        Selection s = vm.selection();
        s.queryProperty().addListener((o, a, b) -> restyle());
        s.layerProperty().addListener((o, a, b) -> restyle());
        s.headProperty().addListener((o, a, b) -> restyle());
        vm.paletteProperty().addListener((o, a, b) -> restyle());
    }

    public List<Label> chips() {
        return labels;
    }

    /** The tooltip of position {@code t}'s chip (installed when the chip is first hovered). */
    public String tooltipText(int t) {
        return tips.get(t);
    }

    /**
     * Shows the analysis' tokens. Typing re-runs this on every keystroke, so the chips are kept by position: each
     * gets its token's text, tooltip and style, and only the ones past the old end are created or removed. New
     * chips come {@value #CHIPS_PER_PULSE} per frame: CSS and layout of a new chip take ~0.5-1 ms of FX thread, so
     * a pasted 460-token prompt froze the window for ~0.4 s when they all came at once.
     */
    private void rebuild() {
        map = null;
        mapKey = null;
        wanted = null;
        Analysis a = vm.analysis();
        showLost(a);
        if (a == null) {
            filler.stop();
            labels.clear();
            tips.clear();
            Label empty = new Label("Tokens of the prompt appear here");
            empty.getStyleClass().add("token-empty");
            chips.getChildren().setAll(empty);
            return;
        }
        if (labels.isEmpty()) {
            chips.getChildren().clear(); // the empty-state label
        }
        int keep = Math.min(labels.size(), a.tokens());
        if (keep < labels.size()) {
            labels.subList(keep, labels.size()).clear();
            tips.subList(keep, tips.size()).clear();
            chips.getChildren().remove(keep, chips.getChildren().size());
        }
        for (int t = 0; t < keep; t++) {
            show(labels.get(t), a, t);
        }
        addChips(a);
        if (labels.size() < a.tokens()) {
            filler.start(); // the rest, frame by frame
        }
        restyle();
    }

    /** At most {@value #CHIPS_PER_PULSE} new chips for the positions past the last chip. */
    private void addChips(Analysis a) {
        List<Label> added = new ArrayList<>();
        for (int t = labels.size(); t < a.tokens() && added.size() < CHIPS_PER_PULSE; t++) {
            Label chip = newChip(t);
            tips.add(null);
            show(chip, a, t);
            labels.add(chip);
            added.add(chip);
        }
        chips.getChildren().addAll(added);
    }

    /** Adds the chips still missing once per frame, then tints them. */
    private final javafx.animation.AnimationTimer filler = new javafx.animation.AnimationTimer() {
        @Override
        public void handle(long now) {
            Analysis a = vm.analysis();
            if (a == null || labels.size() >= a.tokens()) {
                stop();
                return;
            }
            addChips(a);
            if (labels.size() >= a.tokens()) {
                stop();
                restyle();
            }
        }
    };

    /** Whether every token of the analysis has its chip (a long prompt's chips come over a few frames). */
    public boolean complete() {
        Analysis a = vm.analysis();
        return a == null || labels.size() == a.tokens();
    }

    /** The note on characters the vocabulary lacks, e.g. "⚠ Not in the vocabulary, dropped: '␣' ×5, '.'". */
    private void showLost(Analysis a) {
        boolean lost = a != null && !a.lost().isEmpty();
        if (lost) {
            String d = dev.headlight.format.tokenizer.LostCharacters.describe(a.lost());
            lostNote.setText("⚠ " + Character.toUpperCase(d.charAt(0)) + d.substring(1) + " (no token stands for "
                    + (a.lost().size() == 1 ? "it" : "them") + ")");
        }
        lostNote.setVisible(lost);
        lostNote.setManaged(lost);
    }

    /** The note above the chips on characters the vocabulary lacks (empty when there are none). */
    public String lostNote() {
        return lostNote.isVisible() ? lostNote.getText() : "";
    }

    /** Position {@code t}'s token on {@code chip}: text, tooltip and the special style. */
    private void show(Label chip, Analysis a, int t) {
        boolean special = a.special()[t];
        String text = a.label(t);
        if (!text.equals(chip.getText())) {
            chip.setText(text);
        }
        if (special != chip.getStyleClass().contains("special")) {
            if (special) {
                chip.getStyleClass().add("special");
            } else {
                chip.getStyleClass().remove("special");
            }
        }
        String tip = "position " + t + " · id " + a.ids()[t] + (special ? " · special" : "");
        tips.set(t, tip);
        if (chip.getTooltip() != null && !tip.equals(chip.getTooltip().getText())) {
            chip.getTooltip().setText(tip);
        }
    }

    /** A chip for position {@code t}: hovering or clicking it selects that position as the query. */
    private Label newChip(int t) {
        Label chip = new Label();
        chip.getStyleClass().add("token-chip");
        chip.setOnMouseEntered(e -> {
            if (chip.getTooltip() == null) {
                chip.setTooltip(new Tooltip(tips.get(t)));
            }
            vm.selection().queryProperty().set(t);
        });
        chip.setOnMouseClicked(e -> vm.selection().queryProperty().set(t));
        return chip;
    }

    /**
     * The selected head's map, kept while the head stays selected (hovering chips moves only the query); null
     * while its layer is recomputed off the FX thread (the chips are tinted when it arrives).
     */
    private float[] selectedMap(Analysis a, int layer, int head) {
        java.util.List<Object> key = java.util.List.of(a, layer, head);
        if (key.equals(mapKey)) {
            return map;
        }
        float[] ready = (long) a.tokens() * a.tokens() <= dev.headlight.ui.HeadViewModel.ON_FX_MAX ? a.mapIfReady(layer, head, false) : null;
        if (ready != null) {
            mapKey = key;
            map = ready;
            return map;
        }
        if (!key.equals(wanted)) {
            wanted = key;
            dev.headlight.ui.AttentionLoader.load(dev.headlight.ui.AttentionLoader.Priority.SHOWN,
                    () -> key.equals(wanted), () -> a.map(layer, head, false), m -> {
                        if (key.equals(wanted)) {
                            wanted = null;
                            mapKey = key;
                            map = m;
                            restyle();
                        }
                    }, null);
        }
        return null;
    }

    private void restyle() {
        Analysis a = vm.analysis();
        if (a == null || labels.size() != a.tokens()) {
            return;
        }
        Selection s = vm.selection();
        int q = s.query();
        float[] map = q >= 0 && q < a.tokens() ? selectedMap(a, s.layer(), s.head()) : null;
        Color accent = vm.paletteProperty().get().accent();
        String rgb = String.format(Locale.ROOT, "%d,%d,%d", (int) (accent.getRed() * 255),
                (int) (accent.getGreen() * 255), (int) (accent.getBlue() * 255));
        for (int t = 0; t < labels.size(); t++) {
            Label chip = labels.get(t);
            chip.pseudoClassStateChanged(QUERY, t == q);
            // tints in steps of 1/20: a chip whose step did not change keeps its style, so moving the query
            // re-applies CSS only to the chips it attends to (each setStyle re-parses and re-applies CSS)
            int step = map != null && t != q ? (int) Math.round(Math.min(0.85, map[q * a.tokens() + t] * 0.9) * 20) : 0;
            String style = step == 0 ? "" : "-fx-background-color: rgba(" + rgb + "," + step / 20.0 + ");";
            if (!style.equals(chip.getStyle())) {
                chip.setStyle(style);
            }
        }
    }
}
