package dev.headlight.ui.qk;

import dev.headlight.ui.WindowHost;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;

/** Adds the q·k tab to the explorer window; it computes only while shown. */
public final class QkPanel {
    private final QkViewModel viewModel;
    private final QkView view;
    private final Tab tab;

    private QkPanel(WindowHost host) {
        viewModel = new QkViewModel(host.explorer());
        view = new QkView(viewModel, host.explorer().paletteProperty());
        tab = new Tab("q·k", view);
        tab.setId("qk-tab");
        tab.setGraphic(new FontIcon(MaterialDesignM.MULTIPLICATION));
        tab.setTooltip(new Tooltip("The selected attention cell taken apart: query and key vectors, their "
                + "elementwise product, scale and softmax, and the stored W_Q/W_K rows behind them."));
        host.addTab(tab);
        viewModel.setActive(tab.isSelected());
        tab.selectedProperty().addListener((o, a, b) -> viewModel.setActive(b));
    }

    public static QkPanel install(WindowHost host) {
        return new QkPanel(host);
    }

    public QkViewModel viewModel() {
        return viewModel;
    }

    public QkView view() {
        return view;
    }

    public Tab tab() {
        return tab;
    }
}
