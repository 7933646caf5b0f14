package dev.headlight.ui.shell;

import dev.headlight.library.ModelNames;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.CircuitsViewModel;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.HeadMapViewModel;
import dev.headlight.ui.HeadViewModel;
import dev.headlight.ui.LensViewModel;
import dev.headlight.ui.ModelViewModel;
import dev.headlight.ui.TokensViewModel;
import dev.headlight.ui.WindowHost;
import dev.headlight.ui.compare.Compare;
import dev.headlight.ui.interventions.Interventions;
import dev.headlight.ui.lab.Lab;
import dev.headlight.ui.qk.QkPanel;
import dev.headlight.ui.task.ErrorSink;
import dev.headlight.ui.task.FxTaskRunner;
import dev.headlight.ui.task.TaskRunner;
import dev.headlight.ui.view.CanvasView;
import dev.headlight.ui.view.HeadMapView;
import dev.headlight.ui.view.HeadView;
import dev.headlight.ui.view.LensView;
import dev.headlight.ui.view.ModelView;
import dev.headlight.ui.view.TokensView;
import dev.headlight.ui.WeightsViewModel;
import dev.headlight.ui.view.WeightsView;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.headlight.ui.shell.Panels.item;

/**
 * The explorer window. It only assembles: the menu bar, toolbar, prompt bar and error banner on top, the panels host
 * in the middle, the status line below; the interventions and the training lab plug in through
 * {@link WindowHost}. Each part has one job (see the classes of this package).
 */
public final class MainWindow implements WindowHost {
    private final Stage stage;
    private final AppPreferences prefs;
    private final TaskRunner tasks = new FxTaskRunner(new ErrorSink(ExplorerViewModel::describe));
    private final ExplorerViewModel vm;
    private final ExplorerViews views;
    private final ModelOpening opening;
    private final Exports exports;
    private final MainMenuBar menus;
    private final Workspace workspace;
    private final Scene scene;
    private final List<MenuItem> headMenuItems = new ArrayList<>();
    private final Interventions interventions;
    private final WindowParts parts;

    public MainWindow(Stage stage, AppPreferences prefs) {
        this.stage = stage;
        this.prefs = prefs;
        vm = new ExplorerViewModel(prefs, tasks);
        vm.colorMapProperty().set(prefs.colorMap());
        vm.darkProperty().set(prefs.darkMode().orElseGet(Theme::systemPrefersDark));
        vm.promptProperty().set(prefs.lastPrompt(vm.promptProperty().get()));
        HeadViewModel headVm = new HeadViewModel(vm);
        LensViewModel lensVm = new LensViewModel(vm);
        CircuitsViewModel circuitsVm = new CircuitsViewModel(vm);
        TokensViewModel tokensVm = new TokensViewModel(vm);
        HeadMapViewModel headMapVm = new HeadMapViewModel(vm);
        views = new ExplorerViews(new TokensView(tokensVm), new ModelView(new ModelViewModel(vm, circuitsVm)),
                new HeadView(vm, headVm),
                new LensView(vm, lensVm), new HeadMapView(headMapVm, vm.paletteProperty()),
                new WeightsView(new WeightsViewModel(vm), vm.paletteProperty()));
        opening = new ModelOpening(stage, vm, prefs);
        exports = new Exports(stage, vm, tasks, views.canvases(), views.head());
        Runnable exportFocused = () -> exports.exportInteractive(exports.focusedView(stage.getScene()));
        for (CanvasView v : views.canvases()) {
            v.setExportHandler(exports::exportInteractive);
            installContextMenu(v);
        }
        menus = new MainMenuBar(new MainMenuBar.Targets(stage, vm, prefs, opening, exports, views.canvases(),
                exportFocused));
        MainToolBar toolBar = new MainToolBar(vm, opening, exportFocused);
        PromptBar promptBar = new PromptBar(vm);
        ErrorBanner banner = new ErrorBanner(tasks.errors());
        EmptyState emptyState = new EmptyState(vm, opening);
        CircuitsPanel circuitsPanel = new CircuitsPanel(vm, circuitsVm);
        workspace = new Workspace(vm, views, headVm, lensVm, circuitsPanel, prefs, emptyState);
        // the circuits are read from the weights only while their tab is shown (or the model view colours by them)
        circuitsVm.activeProperty().bind(workspace.circuitsTab().selectedProperty());

        BorderPane root = new BorderPane(workspace);
        root.setTop(new VBox(menus, toolBar, promptBar, banner));
        root.setBottom(new StatusLine(vm, tasks));
        double[] size = LayoutMemory.savedBounds(prefs);
        scene = new Scene(root, size[2], size[3]); // the first layout at the window's size (split dividers)
        scene.getStylesheets().add(MainWindow.class.getResource("/dev/headlight/ui/headlight.css").toExternalForm());
        installDragAndDrop();
        stage.setScene(scene);
        stage.setTitle("Headlight");
        LayoutMemory.restore(stage, prefs);
        stage.setOnHiding(e -> LayoutMemory.save(stage, prefs, workspace.splits(), vm));
        Theme.apply(vm.darkProperty().get());
        vm.darkProperty().addListener((o, a, dark) -> {
            Theme.apply(dark);
            prefs.saveDarkMode(dark);
        });
        vm.colorMapProperty().addListener((o, a, b) -> prefs.saveColorMap(b));
        vm.modelProperty().addListener((o, a, b) ->
                stage.setTitle(b == null ? "Headlight" : "Headlight — " + ModelNames.displayName(b.info().folder())));

        interventions = new Interventions(this);
        Lab lab = Lab.install(this);
        QkPanel qk = QkPanel.install(this);
        Compare compare = Compare.install(this);
        menus.addFileItem(item("_Compare With…", compare::open));
        parts = new WindowParts(scene, menus, menus.openItem(), toolBar.pathField(), promptBar.field(), banner,
                emptyState, workspace.tabs(), workspace.circuitsTab(), circuitsPanel, views, headVm, lensVm,
                circuitsVm, tokensVm, headMapVm, exports, interventions, lab, qk, compare);
    }

    private void installContextMenu(CanvasView view) {
        MenuItem save = new MenuItem("Save as PNG…", new FontIcon(MaterialDesignI.IMAGE_OUTLINE));
        save.setOnAction(e -> exports.exportInteractive(view));
        ContextMenu menu = new ContextMenu(save);
        if (view == views.head()) {
            menu.getItems().add(item("Save Map as CSV…", exports::exportCsv));
        }
        view.setOnContextMenuRequested(e -> {
            if (view == views.model()) {
                // plug-ins add their items after the window is built: added on first use
                if (!menu.getItems().containsAll(headMenuItems)) {
                    menu.getItems().addAll(headMenuItems);
                }
                selectHeadAt(e.getX(), e.getY());
            }
            menu.show(view, e.getScreenX(), e.getScreenY());
        });
    }

    /** A context menu was requested at (x, y) in the model view: the head under it becomes the selected head. */
    private void selectHeadAt(double x, double y) {
        var a = vm.analysis();
        if (a == null) {
            return;
        }
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                if (views.model().cellBounds(l, h).contains(x, y)) {
                    vm.selection().selectHead(l, h);
                    return;
                }
            }
        }
    }

    private void installDragAndDrop() {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.ANY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean done = e.getDragboard().hasFiles() && opening.openDropped(e.getDragboard().getFiles());
            e.setDropCompleted(done);
            e.consume();
        });
    }

    /** Stops background work (the application is stopping). */
    public void shutdown() {
        interventions.shutdown();
        vm.shutdown();
        tasks.shutdown();
    }

    // ---- WindowHost: what panels and plug-ins may ask of the window

    @Override
    public ExplorerViewModel explorer() {
        return vm;
    }

    @Override
    public TaskRunner tasks() {
        return tasks;
    }

    @Override
    public AppPreferences preferences() {
        return prefs;
    }

    @Override
    public Window window() {
        return stage;
    }

    @Override
    public void addTab(Tab tab) {
        workspace.tabs().getTabs().add(tab);
    }

    @Override
    public void addTab(int index, Tab tab) {
        workspace.tabs().getTabs().add(Math.clamp(index, 0, workspace.tabs().getTabs().size()), tab);
    }

    @Override
    public void removeTab(Tab tab) {
        workspace.tabs().getTabs().remove(tab);
    }

    @Override
    public void selectTab(Tab tab) {
        workspace.tabs().getSelectionModel().select(tab);
    }

    @Override
    public void addMenu(Menu menu) {
        menus.addBeforeHelp(menu);
    }

    @Override
    public void addHeadMenuItems(List<MenuItem> items) {
        headMenuItems.addAll(items);
    }

    @Override
    public void openModel(Path folder) {
        opening.openModel(folder);
    }

    @Override
    public void toFront() {
        stage.toFront();
    }

    @Override
    public void onClose(Runnable action) {
        stage.addEventHandler(WindowEvent.WINDOW_HIDING, e -> action.run());
    }

    // ---- for the application and tests

    public Stage stage() {
        return stage;
    }

    /** Everything the window assembled (controls, views, panel view models, plug-ins). */
    public WindowParts parts() {
        return parts;
    }

    /** Opening models: File ▸ Open and its chooser, samples, dropped folders. */
    public ModelOpening opening() {
        return opening;
    }
}
