package dev.headlight.ui.shell;

import atlantafx.base.theme.Styles;
import dev.headlight.analysis.HeadKind;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.HeadViewModel;
import dev.headlight.ui.LensViewModel;
import dev.headlight.ui.ModelViewModel;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

import java.util.Map;

import static dev.headlight.ui.shell.Panels.panel;
import static dev.headlight.ui.shell.Panels.tab;

/**
 * The panels host: the token strip on top; the model view and head view on the left; on the right a tab pane with
 * the logit lens, head map, weights and circuits, to which plug-ins add theirs. The split panes' dividers are restored from
 * and saved to the preferences by name.
 */
final class Workspace extends StackPane {
    private final TabPane tabs = new TabPane();
    private final Tab circuitsTab;
    private final SplitPane mainSplit = new SplitPane();
    private final SplitPane leftSplit = new SplitPane();
    private final SplitPane verticalSplit;

    Workspace(ExplorerViewModel vm, ExplorerViews views, HeadViewModel headVm, LensViewModel lensVm,
              CircuitsPanel circuits, AppPreferences prefs, Node emptyState) {
        views.tokens().setPrefHeight(64);
        keepTokenRowsWhole(views.tokens());
        Node tokensPanel = panel("Tokens", "Hover or click a token to make it the query everywhere; the others "
                + "light up by how much the selected head attends to them.", views.tokens(), null);

        ChoiceBox<ModelViewModel.ColorBy> score = new ChoiceBox<>();
        ModelViewModel modelVm = views.model().viewModel();
        score.getItems().setAll(modelVm.choices());
        score.valueProperty().bindBidirectional(modelVm.colorByProperty());
        score.getStyleClass().add(Styles.SMALL);
        score.setTooltip(Panels.wrapping("Colour a bar under each map by a head score on the prompt, by the copying "
                + "score read from the weights (blue −1 suppresses, red +1 copies), or by how strongly each head "
                + "composes with the selected head (strongest of the Q/K/V scores switched on in the Circuits tab, "
                + "relative to the strongest); hover a map for the number"));
        Node modelPanel = panel("Model view", "Every layer (rows) × head (columns) as a small attention map; "
                + "click one or use the arrow keys to select it.", views.model(), score);
        Node headPanel = panel("Head view", "The selected head's attention: row = query token, column = key "
                + "token, colour = probability.", views.head(), new HeadControls(headVm));

        LensSidePanel lensSide = new LensSidePanel(lensVm);
        SplitPane lensSplit = new SplitPane(views.lens(), lensSide);
        lensSplit.setDividerPositions(0.68);
        SplitPane.setResizableWithParent(lensSide, false);
        Tab lensTab = tab("Logit lens", MaterialDesignE.EYE_OUTLINE, "What each layer would predict if the model "
                + "stopped there: the top token of softmax(output head(residual)) per layer and position.", lensSplit);
        Tab mapTab = tab("Head map", MaterialDesignC.CHART_SCATTER_PLOT, "Every head placed so that heads "
                + "attending alike are close (classical MDS of the Jensen–Shannon distances between their attention "
                + "rows on the prompt: the x, y of headlight heads) and coloured by kind; click a point to select "
                + "the head.\n\nKinds, first matching rule:\n"
                + HeadKind.rulesText(), views.headMap());
        Tab weightsTab = tab("Weights", MaterialDesignH.HEXAGON_MULTIPLE_OUTLINE, "The stored tensors by "
                + "architecture, with each head's slice, where it sits in the file, an element's stored bits and value "
                + "statistics.", views.weights());
        circuitsTab = tab("Circuits", MaterialDesignS.SITEMAP_OUTLINE, "What each head's weights say it does: "
                + "the composition graph of the heads, the selected head's copying score, OV circuit in tokens, "
                + "positional profile and OV eigenvalues, and why it got its kind.", circuits);
        tabs.getTabs().addAll(lensTab, mapTab, weightsTab, circuitsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        CompactTabs.install(tabs);

        leftSplit.setOrientation(Orientation.VERTICAL);
        leftSplit.getItems().addAll(modelPanel, headPanel);
        mainSplit.getItems().addAll(leftSplit, tabs);
        restoreDividers(prefs, mainSplit, "main", new double[]{0.5});
        restoreDividers(prefs, leftSplit, "left", new double[]{0.42});

        verticalSplit = new SplitPane(tokensPanel, mainSplit);
        verticalSplit.setOrientation(Orientation.VERTICAL);
        verticalSplit.setId("vertical");
        restoreDividers(prefs, verticalSplit, "vertical", new double[]{0.1});
        SplitPane.setResizableWithParent(tokensPanel, false);
        getChildren().addAll(verticalSplit, emptyState);
    }

    /** The token strip is never shorter than its chips up to this height (about three rows), then it scrolls. */
    static final double TOKENS_AUTO_MAX = 100;

    /**
     * Keeps the token strip's rows whole: its minimum height follows its chips (a prompt that wraps onto a second
     * row at 1024 px had that row cut in half) up to {@link #TOKENS_AUTO_MAX}; the split pane then moves its
     * divider down to make room. Longer prompts scroll.
     */
    private static void keepTokenRowsWhole(javafx.scene.control.ScrollPane strip) {
        Node content = strip.getContent(); // the chips, laid out at their height for the strip's width
        strip.minHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> {
            javafx.geometry.Insets insets = strip.getInsets();
            double rows = content.getLayoutBounds().getHeight() + insets.getTop() + insets.getBottom();
            return Math.clamp(rows, 40, TOKENS_AUTO_MAX);
        }, content.layoutBoundsProperty(), strip.insetsProperty()));
    }

    Tab circuitsTab() {
        return circuitsTab;
    }

    TabPane tabs() {
        return tabs;
    }

    /** The split panes whose dividers are remembered, by the name they are saved under. */
    Map<String, SplitPane> splits() {
        return Map.of("main", mainSplit, "left", leftSplit, "vertical", verticalSplit);
    }

    private static void restoreDividers(AppPreferences prefs, SplitPane split, String name, double[] fallback) {
        double[] saved = prefs.dividers(name);
        split.setDividerPositions(saved.length == split.getItems().size() - 1 ? saved : fallback);
    }
}
