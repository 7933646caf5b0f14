package dev.headlight.ui.interventions;

import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.WindowHost;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

import java.util.List;

/**
 * Wires the intervention panels into the explorer window: the Ablation, Patching and Attribution tabs, and the
 * model view's context-menu items "Ablate this head (zero)", "(mean)" and "Ablation map".
 */
public final class Interventions {
    private final ExplorerViewModel vm;
    private final WindowHost host;
    private final AblationViewModel ablationVm;
    private final PatchingViewModel patchingVm;
    private final AttributionViewModel attributionVm;
    private final AblationPane ablationPane;
    private final PatchingPane patchingPane;
    private final AttributionPane attributionPane;
    private final Tab ablationTab;
    private final Tab patchingTab;
    private final Tab attributionTab;
    private final MenuItem ablateZero = new MenuItem("Ablate this head (zero)");
    private final MenuItem ablateMean = new MenuItem("Ablate this head (mean)");
    private final MenuItem ablationMap = new MenuItem("Ablation map");
    private final List<MenuItem> menuItems = List.of(new SeparatorMenuItem(), ablateZero, ablateMean, ablationMap);

    /** Adds the tabs and the model view's menu items to the window. */
    public Interventions(WindowHost host) {
        this.host = host;
        this.vm = host.explorer();
        ablationVm = new AblationViewModel(vm);
        patchingVm = new PatchingViewModel(vm);
        attributionVm = new AttributionViewModel(vm);
        ablationPane = new AblationPane(vm, ablationVm);
        patchingPane = new PatchingPane(vm, patchingVm);
        attributionPane = new AttributionPane(vm, attributionVm);
        ablationTab = tab("Ablation", new FontIcon(MaterialDesignC.CONTENT_CUT), "Knock out one head (zeros or its "
                + "mean output) and see how the next-token prediction at the selected token changes; or map "
                + "every head's effect.", ablationPane);
        patchingTab = tab("Patching", new FontIcon(MaterialDesignS.SWAP_HORIZONTAL), "Activation patching: copy "
                + "one head's output or one residual vector from a clean prompt into a corrupted one and see how "
                + "much of the clean answer comes back.", patchingPane);
        attributionTab = tab("Attribution", new FontIcon(MaterialDesignC.CHART_BAR), "Direct logit attribution: "
                + "how much each head, MLP and the embedding add to one token's logit at the selected token.",
                attributionPane);
        // the ids name the tabs and menu items for tests and tools
        ablationTab.setId("ablation-tab");
        patchingTab.setId("patching-tab");
        attributionTab.setId("attribution-tab");
        host.addTab(ablationTab);
        host.addTab(patchingTab);
        host.addTab(attributionTab);
        attributionVm.setActive(attributionTab.isSelected());
        attributionTab.selectedProperty().addListener((o, a, b) -> attributionVm.setActive(b));

        ablateZero.setId("ablate-zero");
        ablateMean.setId("ablate-mean");
        ablationMap.setId("ablation-map-item");
        ablateZero.setGraphic(new FontIcon(MaterialDesignC.CONTENT_CUT));
        ablateZero.setOnAction(e -> ablateSelected(false));
        ablateMean.setOnAction(e -> ablateSelected(true));
        ablationMap.setOnAction(e -> {
            host.selectTab(ablationTab);
            ablationVm.computeMap();
        });
        for (MenuItem m : List.of(ablateZero, ablateMean, ablationMap)) {
            m.disableProperty().bind(vm.analysisProperty().isNull());
        }
        host.addHeadMenuItems(menuItems);
    }

    private static Tab tab(String title, FontIcon icon, String explanation, javafx.scene.Node content) {
        Tab tab = new Tab(title, content);
        tab.setGraphic(icon);
        Tooltip tip = new Tooltip(explanation);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tab.setTooltip(tip);
        return tab;
    }

    /** The model view's context-menu items (a separator first; ids "ablate-zero", "ablate-mean", "ablation-map-item"). */
    public List<MenuItem> modelViewMenuItems() {
        return menuItems;
    }

    /** Ablates the selected head and shows the Ablation tab. */
    public void ablateSelected(boolean mean) {
        ablationVm.meanProperty().set(mean);
        host.selectTab(ablationTab);
        ablationVm.ablate(vm.selection().layer(), vm.selection().head());
    }

    public AblationViewModel ablationViewModel() {
        return ablationVm;
    }

    public PatchingViewModel patchingViewModel() {
        return patchingVm;
    }

    public AttributionViewModel attributionViewModel() {
        return attributionVm;
    }

    /** Stops work in flight (window closing). */
    public void shutdown() {
        ablationVm.cancel();
        patchingVm.cancel();
        attributionVm.setActive(false);
    }
}
