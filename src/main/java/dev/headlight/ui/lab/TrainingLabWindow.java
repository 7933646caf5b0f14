package dev.headlight.ui.lab;

import atlantafx.base.theme.Styles;
import dev.headlight.engine.Model;
import dev.headlight.train.TensorGroups;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.compare.MatrixCanvas;
import dev.headlight.ui.lab.TrainingLabViewModel.CheckpointPoint;
import dev.headlight.ui.lab.TrainingLabViewModel.TaskChoice;
import dev.headlight.ui.task.TaskRunner;
import dev.headlight.ui.view.ModelView;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Training Lab window. Assembles the form ({@link TrainingLabForm}) on the left and, on the right, the live
 * loss and probe-score charts ({@link LabCharts}), how the run writes into the weights ({@link LabWeightsPane}:
 * the update-share heatmap and a chart per tensor group) and the attention maps of a prompt on each new
 * checkpoint. {@link TrainingLabViewModel} runs the training as a task of the window's one {@link TaskRunner}.
 * Closing the window cancels a run, which still writes its last checkpoint.
 */
public final class TrainingLabWindow {
    private final Stage stage = new Stage();
    private final Window owner;
    private final Consumer<Path> openInExplorer;
    private final TrainingLabViewModel vm;
    private final ExplorerViewModel labVm;
    private final ModelView modelView;
    private final TrainingLabForm form;
    private final LabCharts charts;
    private final LabWeightsPane weights;

    /** Checkpoint models this window opened, [opened order]; closed when replaced and when the window closes. */
    private final List<Model> openedModels = new ArrayList<>();
    /** The window closed: its maps' view model is shut down. */
    private boolean disposed;

    public TrainingLabWindow(Window owner, AppPreferences preferences, TaskRunner tasks, String initialPrompt,
                             Consumer<Path> openInExplorer) {
        // not owned by the explorer: an owned window stays above its owner, and "Open in explorer" must bring the
        // explorer to the front; the owner only places this window (centred on it)
        this.owner = owner;
        this.openInExplorer = openInExplorer;
        this.vm = new TrainingLabViewModel(tasks);
        this.labVm = new ExplorerViewModel(preferences, tasks);
        this.modelView = new ModelView(labVm);
        this.form = new TrainingLabForm(vm, this::start);
        this.charts = new LabCharts(vm);
        this.weights = new LabWeightsPane(vm.weights(), labVm.paletteProperty());
        stage.setTitle("Training Lab");
        labVm.promptProperty().bind(form.prompt.textProperty());
        form.prompt.setText(initialPrompt);
        form.open.setOnAction(e -> openRun());
        form.close.setOnAction(e -> stage.close());
        // each checkpoint replaces the last: close the replaced one once its pass has stopped
        labVm.modelProperty().addListener((o, old, now) -> {
            if (old != null && openedModels.contains(old)) {
                PauseTransition later = new PauseTransition(Duration.seconds(3));
                later.setOnFinished(e -> {
                    if (labVm.model() != old && openedModels.remove(old)) {
                        old.close();
                    }
                });
                later.play();
            }
        });
        vm.checkpoints().addListener((ListChangeListener<CheckpointPoint>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::showMaps);
            }
        });

        BorderPane root = new BorderPane();
        root.setLeft(form);
        root.setCenter(rightSide());
        Rectangle2D screen = screenOf(owner);
        Scene scene = new Scene(root, Math.min(1360, screen.getWidth()), Math.min(900, screen.getHeight() - 40));
        scene.getStylesheets().add(TrainingLabWindow.class.getResource("lab.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnShown(e -> centreOnOwner());
        stage.setOnHiding(e -> dispose());
    }

    private SplitPane rightSide() {
        Label mapsTitle = new Label("Attention of the prompt at the latest checkpoint");
        mapsTitle.getStyleClass().add(Styles.TEXT_BOLD);
        modelView.setMinHeight(120);
        Label mapsError = new Label();
        mapsError.setWrapText(true);
        mapsError.getStyleClass().add(Styles.DANGER);
        mapsError.textProperty().bind(labVm.tasks().errors().messageProperty());
        mapsError.visibleProperty().bind(labVm.tasks().errors().messageProperty().isNotNull());
        mapsError.managedProperty().bind(mapsError.visibleProperty());
        VBox maps = new VBox(4, mapsTitle, mapsError, modelView);
        VBox.setVgrow(modelView, Priority.ALWAYS);
        maps.setPadding(new Insets(6));
        weights.setPadding(new Insets(4, 6, 4, 6));
        SplitPane split = new SplitPane(charts, weights, maps);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.3, 0.72);
        return split;
    }

    private void start() {
        TrainingLabViewModel.Settings settings = form.settings();
        charts.startAxis(settings.steps());
        vm.start(settings);
    }

    /** Opens the last run in the explorer and brings the explorer to the front. */
    private void openRun() {
        Path folder = vm.lastRunProperty().get().folder();
        if (folder != null) {
            openInExplorer.accept(folder);
            if (owner instanceof Stage explorer) {
                explorer.toFront();
                explorer.requestFocus();
            }
        }
    }

    /** Shows the prompt's attention on a new checkpoint (opened and run off the FX thread). */
    private void showMaps(CheckpointPoint p) {
        if (disposed) {
            return; // the window closed: a cancelled run still writes its last checkpoint, nothing shows it
        }
        labVm.showModel(p.folder(), path -> {
            Model m = Model.open(path);
            Platform.runLater(() -> {
                if (disposed) {
                    m.close();
                } else {
                    openedModels.add(m);
                }
            });
            return m;
        });
    }

    /** The visual bounds of the screen under {@code window} (the primary screen without one). */
    private static Rectangle2D screenOf(Window window) {
        if (window == null || Double.isNaN(window.getX())) {
            return Screen.getPrimary().getVisualBounds();
        }
        List<Screen> screens = Screen.getScreensForRectangle(window.getX(), window.getY(), Math.max(1,
                window.getWidth()), Math.max(1, window.getHeight()));
        return (screens.isEmpty() ? Screen.getPrimary() : screens.getFirst()).getVisualBounds();
    }

    /** Centres the window on its owner, kept inside the owner's screen (its title bar never above the top). */
    private void centreOnOwner() {
        if (owner == null) {
            return;
        }
        Rectangle2D screen = screenOf(owner);
        double x = owner.getX() + (owner.getWidth() - stage.getWidth()) / 2;
        double y = owner.getY() + (owner.getHeight() - stage.getHeight()) / 2;
        stage.setX(Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - stage.getWidth())));
        stage.setY(Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - stage.getHeight())));
    }

    /** A repeated random run of symbols: an induction head lights up on its second half. */
    static String inductionPrompt() {
        String s = "KQXBWMRTJDFZ";
        return s + s;
    }

    private void dispose() {
        disposed = true;
        vm.cancel();
        labVm.shutdown();
        PauseTransition later = new PauseTransition(Duration.seconds(1));
        List<Model> models = new ArrayList<>(openedModels);
        openedModels.clear();
        later.setOnFinished(e -> models.forEach(Model::close));
        later.play();
    }

    // ---- for the explorer and tests

    /** Draws the attention maps with the explorer's dark mode, colour map and scale. */
    public void followTheme(ExplorerViewModel explorer) {
        labVm.darkProperty().bind(explorer.darkProperty());
        labVm.colorMapProperty().bind(explorer.colorMapProperty());
        labVm.scaleProperty().bind(explorer.scaleProperty());
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    /** Fills the form (the text file only for {@link TaskChoice#TEXT_FILE}). */
    public void configure(TaskChoice choice, int nLayers, int nHeads, int width, int ctx, int nSteps, int every,
                          Path out) {
        form.configure(choice, nLayers, nHeads, width, ctx, nSteps, every, out);
    }

    public void setTextFile(Path file) {
        form.setTextFile(file);
    }

    public TrainingLabViewModel viewModel() {
        return vm;
    }

    public XYChart.Series<Number, Number> lossSeries() {
        return charts.lossSeries;
    }

    public MarkedLineChart inductionChart() {
        return charts.induction;
    }

    /** The live update-share heatmap. */
    public MatrixCanvas updateShareMap() {
        return weights.share;
    }

    /** The chart of one tensor group's norms. */
    public MarkedLineChart groupChart(TensorGroups.Group group) {
        return weights.groupCharts.get(group);
    }

    public ExplorerViewModel labViewModel() {
        return labVm;
    }

    public ModelView modelView() {
        return modelView;
    }
}
