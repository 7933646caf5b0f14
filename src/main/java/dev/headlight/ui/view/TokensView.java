package dev.headlight.ui.view;

import dev.headlight.ui.TokensViewModel;
import javafx.animation.AnimationTimer;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompt's tokens as chips, drawn from a {@link TokensViewModel}. Hovering or clicking a chip selects it as the
 * query token everywhere; the other chips are tinted by how much the selected head's query attends to them.
 */
public final class TokensView extends ScrollPane {
    private static final PseudoClass QUERY = PseudoClass.getPseudoClass("query");
    /** New chips made per frame. */
    public static final int CHIPS_PER_PULSE = 48;

    private final TokensViewModel model;
    private final FlowPane chips = new FlowPane(4, 4);
    /** Above the chips when the vocabulary lacks characters of the prompt (tokenizing drops them silently). */
    private final Label lostNote = new Label();
    /**
     * [position] the chips made so far. A chip gets its Tooltip when first hovered: making one per chip cost
     * ~0.7 ms each on the FX thread (a popup control), 300 ms for a 460-token prompt.
     */
    private final List<Label> labels = new ArrayList<>();

    public TokensView(TokensViewModel model) {
        this.model = model;
        chips.setPadding(new Insets(6, 8, 6, 8));
        chips.getStyleClass().add("token-strip");
        lostNote.getStyleClass().add("token-lost");
        lostNote.setWrapText(true);
        lostNote.setPadding(new Insets(4, 8, 0, 8));
        lostNote.textProperty().bind(model.lostNoteProperty());
        lostNote.visibleProperty().bind(model.lostNoteProperty().isNotEmpty());
        lostNote.managedProperty().bind(lostNote.visibleProperty());
        setContent(new VBox(lostNote, chips));
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);
        getStyleClass().add("tokens-view");
        setFocusTraversable(true);
        // after a click on a chip the strip has the keyboard: Left/Right move the selected token, Home/End go to
        // the first/last (a filter: the scroll pane's own arrow keys would scroll instead)
        addEventFilter(KeyEvent.KEY_PRESSED, this::moveQuery);
        model.chipsProperty().addListener((o, a, b) -> rebuild());
        model.tintsProperty().addListener((o, a, b) -> restyle());
        model.paletteProperty().addListener((o, a, b) -> restyle());
        rebuild();
    }

    public List<Label> chips() {
        return labels;
    }

    /** The tooltip of position {@code t}'s chip (installed when the chip is first hovered). */
    public String tooltipText(int t) {
        return model.chips().get(t).tooltip();
    }

    /**
     * Shows the view model's chips. Typing re-runs this on every keystroke, so the chips are kept by position: each
     * gets its token's text, tooltip and style, and only the ones past the old end are created or removed. New
     * chips come {@value #CHIPS_PER_PULSE} per frame: CSS and layout of a new chip take ~0.5-1 ms of FX thread, so
     * a pasted 460-token prompt froze the window for ~0.4 s when they all came at once.
     */
    private void rebuild() {
        List<TokensViewModel.Chip> wanted = model.chips();
        if (wanted.isEmpty()) {
            filler.stop();
            labels.clear();
            Label empty = new Label("Tokens of the prompt appear here");
            empty.getStyleClass().add("token-empty");
            chips.getChildren().setAll(empty);
            return;
        }
        if (labels.isEmpty()) {
            chips.getChildren().clear(); // the empty-state label
        }
        int keep = Math.min(labels.size(), wanted.size());
        if (keep < labels.size()) {
            labels.subList(keep, labels.size()).clear();
            chips.getChildren().remove(keep, chips.getChildren().size());
        }
        for (int t = 0; t < keep; t++) {
            show(labels.get(t), wanted.get(t));
        }
        addChips();
        if (labels.size() < wanted.size()) {
            filler.start(); // the rest, frame by frame
        }
        restyle();
    }

    /** At most {@value #CHIPS_PER_PULSE} new chips for the positions past the last chip. */
    private void addChips() {
        List<TokensViewModel.Chip> wanted = model.chips();
        List<Label> added = new ArrayList<>();
        for (int t = labels.size(); t < wanted.size() && added.size() < CHIPS_PER_PULSE; t++) {
            Label chip = newChip(t);
            show(chip, wanted.get(t));
            labels.add(chip);
            added.add(chip);
        }
        chips.getChildren().addAll(added);
    }

    /** Adds the chips still missing once per frame, then tints them. */
    private final AnimationTimer filler = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (complete()) {
                stop();
                return;
            }
            addChips();
            if (complete()) {
                stop();
                restyle();
            }
        }
    };

    /** Whether every token of the analysis has its chip (a long prompt's chips come over a few frames). */
    public boolean complete() {
        return labels.size() >= model.chips().size();
    }

    /** The note above the chips on characters the vocabulary lacks (empty when there are none). */
    public String lostNote() {
        return model.lostNoteProperty().get();
    }

    /** A token on its chip: text, tooltip and the special style. */
    private static void show(Label chip, TokensViewModel.Chip token) {
        if (!token.text().equals(chip.getText())) {
            chip.setText(token.text());
        }
        if (token.special() != chip.getStyleClass().contains("special")) {
            if (token.special()) {
                chip.getStyleClass().add("special");
            } else {
                chip.getStyleClass().remove("special");
            }
        }
        if (chip.getTooltip() != null && !token.tooltip().equals(chip.getTooltip().getText())) {
            chip.getTooltip().setText(token.tooltip());
        }
    }

    /** A chip for position {@code t}: hovering or clicking it selects that position as the query. */
    private Label newChip(int t) {
        Label chip = new Label();
        chip.getStyleClass().add("token-chip");
        chip.setOnMouseEntered(e -> {
            if (chip.getTooltip() == null) {
                chip.setTooltip(new Tooltip(tooltipText(t)));
            }
            model.selectQuery(t);
        });
        chip.setOnMouseClicked(e -> {
            model.selectQuery(t);
            requestFocus();
        });
        return chip;
    }

    /** Left/Right: the previous/next token becomes the query; Home/End: the first/last. */
    private void moveQuery(KeyEvent e) {
        int last = labels.size() - 1;
        if (last < 0 || e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        int q = model.queryProperty().get();
        int to = switch (e.getCode()) {
            case LEFT, KP_LEFT -> q < 0 ? last : Math.max(0, q - 1);
            case RIGHT, KP_RIGHT -> q < 0 ? 0 : Math.min(last, q + 1);
            case HOME -> 0;
            case END -> last;
            default -> -1;
        };
        if (to < 0) {
            return;
        }
        e.consume();
        model.selectQuery(to);
        reveal(labels.get(to));
    }

    /** Scrolls a chip into view (a long prompt's strip scrolls). */
    private void reveal(Label chip) {
        double content = getContent().getLayoutBounds().getHeight();
        double view = getViewportBounds().getHeight();
        if (content <= view) {
            return;
        }
        javafx.geometry.Bounds b = getContent().sceneToLocal(chip.localToScene(chip.getLayoutBounds()));
        double top = getVvalue() * (content - view);
        if (b.getMinY() < top) {
            setVvalue(b.getMinY() / (content - view));
        } else if (b.getMaxY() > top + view) {
            setVvalue((b.getMaxY() - view) / (content - view));
        }
    }

    /**
     * Marks the query's chip and tints the others with the accent colour. A chip whose tint did not change keeps
     * its style, so moving the query re-applies CSS only to the chips it attends to (each setStyle re-parses and
     * re-applies CSS).
     */
    private void restyle() {
        double[] tints = model.tints();
        if (labels.size() != tints.length) {
            return; // chips still coming, or a new prompt's tints first: tinted when both agree
        }
        int q = model.queryProperty().get();
        Color accent = model.paletteProperty().get().accent();
        String rgb = String.format(Locale.ROOT, "%d,%d,%d", (int) (accent.getRed() * 255),
                (int) (accent.getGreen() * 255), (int) (accent.getBlue() * 255));
        for (int t = 0; t < labels.size(); t++) {
            Label chip = labels.get(t);
            chip.pseudoClassStateChanged(QUERY, t == q);
            String style = tints[t] == 0 ? "" : "-fx-background-color: rgba(" + rgb + "," + tints[t] + ");";
            if (!style.equals(chip.getStyle())) {
                chip.setStyle(style);
            }
        }
    }
}
