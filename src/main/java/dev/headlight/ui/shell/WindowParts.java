package dev.headlight.ui.shell;

import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.HeadMapViewModel;
import dev.headlight.ui.HeadViewModel;
import dev.headlight.ui.LensViewModel;
import dev.headlight.ui.TokensViewModel;
import dev.headlight.ui.compare.Compare;
import dev.headlight.ui.interventions.Interventions;
import dev.headlight.ui.lab.Lab;
import dev.headlight.ui.qk.QkPanel;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;

/**
 * What {@link MainWindow} assembled, in one value: its controls, views, panel view models and plug-ins. Tests and
 * tools reach a part of the window here ({@code window.parts().headView()}) instead of through a getter per part
 * on the window, which only assembles.
 */
public record WindowParts(
        Scene scene, MenuBar menuBar, MenuItem openMenuItem, TextField modelPathField, TextField promptField,
        Node banner, Node emptyState, TabPane tabs, Tab circuitsTab, CircuitsPanel circuitsPanel,
        ExplorerViews views, HeadViewModel headViewModel, LensViewModel lensViewModel,
        CircuitsViewModel circuitsViewModel, TokensViewModel tokensViewModel, HeadMapViewModel headMapViewModel,
        Exports exports, Interventions interventions, Lab lab, QkPanel qkPanel, Compare compare) {
}
