package dev.headlight.ui.lab;

import atlantafx.base.theme.Styles;
import dev.headlight.engine.Model;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.lab.TrainingLabViewModel.CheckpointPoint;
import dev.headlight.ui.lab.TrainingLabViewModel.StepPoint;
import dev.headlight.ui.lab.TrainingLabViewModel.TaskChoice;
import dev.headlight.ui.view.ModelView;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Training Lab window: the form on the left; live loss, live per-head probe scores and the attention maps of a
 * prompt on each new checkpoint on the right. It assembles {@link TrainingLabViewModel} (which runs the training
 * off the FX thread, gives every run a folder of its own and says what a cancelled run kept) and follows its lists
 * into the charts. Closing the window cancels a run, which still writes its last checkpoint.
 */
public final class TrainingLabWindow {
    private final Stage stage = new Stage();
    private final Window owner;
    private final Consumer<Path> openInExplorer;
    private final TrainingLabViewModel vm = new TrainingLabViewModel(Platform::runLater, work -> {
        Thread worker = new Thread(work, "headlight-training-lab");
        worker.setDaemon(true);
        worker.start();
    });
    private final ExplorerViewModel labVm;
    private final ModelView modelView;

    private final ChoiceBox<TaskChoice> task = new ChoiceBox<>();
    private final Label textFile = new Label("no file chosen");
    private Path textPath;
    private final Spinner<Integer> layers = new Spinner<>(1, 12, 2);
    private final Spinner<Integer> heads = new Spinner<>(1, 16, 2);
    private final Spinner<Integer> dModel = new Spinner<>(8, 1024, 32, 8);
    private final Spinner<Integer> context = new Spinner<>(4, 1024, 48, 8);
    private final Spinner<Integer> steps = new Spinner<>(1, 1_000_000, 800, 100);
    private final Spinner<Integer> checkpointEvery = new Spinner<>(0, 1_000_000, 100, 10);
    private final TextField output = new TextField();
    private final TextField prompt = new TextField();
    private final Button start = new Button("Start");
    private final Button pause = new Button("Pause");
    private final Button cancel = new Button("Cancel");
    private final Button open = new Button("Open in explorer");
    private final Button close = new Button("Close");
    private final Label status = new Label();
    private final ProgressBar progress = new ProgressBar(0);

    private final MarkedLineChart lossChart = new MarkedLineChart("Training loss", "loss");
    private final MarkedLineChart inductionChart = new MarkedLineChart("Induction score per head", "score");
    private final MarkedLineChart previousChart = new MarkedLineChart("Previous-token score per head", "score");
    private final XYChart.Series<Number, Number> lossSeries = new XYChart.Series<>();
    /** Loss on the positions the context can predict (the induction task's copies). */
    private final XYChart.Series<Number, Number> inContextSeries = new XYChart.Series<>();

    /** Checkpoint models this window opened, [opened order]; closed when replaced and when the window closes. */
    private final List<Model> openedModels = new ArrayList<>();
    /** The window closed: its maps' view model is shut down. */
    private boolean disposed;

    public TrainingLabWindow(Window owner, AppPreferences preferences, dev.headlight.ui.task.TaskRunner tasks,
                             String initialPrompt, Consumer<Path> openInExplorer) {
        // not owned by the explorer: an owned window stays above its owner, and "Open in explorer" must bring the
        // explorer to the front; the owner only places this window (centred on it)
        this.owner = owner;
        this.openInExplorer = openInExplorer;
        this.labVm = new ExplorerViewModel(preferences, tasks);
        this.modelView = new ModelView(labVm);
        stage.setTitle("Training Lab");
        labVm.promptProperty().bind(prompt.textProperty());
        prompt.setText(initialPrompt);
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

        BorderPane root = new BorderPane();
        root.setLeft(form());
        root.setCenter(charts());
        follow();
        Rectangle2D screen = screenOf(owner);
        Scene scene = new Scene(root, Math.min(1240, screen.getWidth()), Math.min(820, screen.getHeight() - 40));
        scene.getStylesheets().add(TrainingLabWindow.class.getResource("lab.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnShown(e -> centreOnOwner());
        stage.setOnHiding(e -> dispose());
    }

    private VBox form() {
        task.getItems().setAll(TaskChoice.values());
        task.setValue(TaskChoice.INDUCTION);
        task.setMaxWidth(Double.MAX_VALUE);
        Button chooseFile = new Button("Choose…");
        chooseFile.setOnAction(e -> chooseTextFile());
        HBox fileRow = new HBox(6, chooseFile, textFile);
        fileRow.setAlignment(Pos.CENTER_LEFT);
        fileRow.visibleProperty().bind(task.valueProperty().isEqualTo(TaskChoice.TEXT_FILE));
        fileRow.managedProperty().bind(fileRow.visibleProperty());
        task.valueProperty().addListener((o, a, b) -> {
            if (b == TaskChoice.TEXT_FILE && textPath == null) {
                chooseTextFile();
            }
            if (b == TaskChoice.INDUCTION) {
                prompt.setText(inductionPrompt());
            } else if (a == TaskChoice.INDUCTION) {
                prompt.setText("The cat sat on the mat. The cat sat on the mat.");
            }
        });
        textFile.getStyleClass().add("panel-hint");
        for (Spinner<Integer> s : List.of(layers, heads, dModel, context, steps, checkpointEvery)) {
            s.setEditable(true);
            s.setPrefWidth(120);
        }
        output.textProperty().bindBidirectional(vm.outputProperty());
        output.setPrefColumnCount(22);
        Button browse = new Button("…");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Folder for the run's checkpoints");
            java.io.File f = chooser.showDialog(stage);
            if (f != null) {
                output.setText(f.toPath().resolve(TrainingLabViewModel.defaultOutput().getFileName()).toString());
            }
        });
        HBox outRow = new HBox(4, output, browse);
        HBox.setHgrow(output, Priority.ALWAYS);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints fields = new javafx.scene.layout.ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        grid.setVgap(6);
        int r = 0;
        grid.addRow(r++, new Label("Task"), task);
        grid.add(fileRow, 1, r++);
        grid.addRow(r++, new Label("Layers"), layers);
        grid.addRow(r++, new Label("Heads"), heads);
        grid.addRow(r++, new Label("d_model"), dModel);
        grid.addRow(r++, new Label("Context"), context);
        grid.addRow(r++, new Label("Steps"), steps);
        grid.addRow(r++, new Label("Checkpoint every"), checkpointEvery);
        grid.addRow(r++, new Label("Output folder"), outRow);
        grid.addRow(r++, new Label("Prompt"), prompt);

        start.getStyleClass().add(Styles.ACCENT);
        start.setDefaultButton(true);
        start.setOnAction(e -> start());
        pause.setOnAction(e -> vm.togglePause());
        cancel.setOnAction(e -> vm.cancel());
        open.setOnAction(e -> openRun());
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        start.disableProperty().bind(vm.runningProperty());
        pause.disableProperty().bind(vm.runningProperty().not());
        cancel.disableProperty().bind(vm.runningProperty().not());
        open.disableProperty().bind(vm.finishedProperty().not());
        pause.textProperty().bind(javafx.beans.binding.Bindings.when(vm.pausedProperty()).then("Resume")
                .otherwise("Pause"));
        HBox buttons = new HBox(6, start, pause, cancel);
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(vm.progressProperty());
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        Label hint = new Label("Defaults: the recipe of the induction-2l sample (an induction head by step ~300, "
                + "about a minute on 2 cores). Every run writes to a folder of its own.");
        hint.setWrapText(true);
        hint.getStyleClass().add("panel-hint");
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        HBox closeRow = new HBox(close);
        closeRow.setAlignment(Pos.CENTER_RIGHT);
        VBox box = new VBox(10, grid, buttons, progress, status, open, hint, spacer, closeRow);
        box.setPadding(new Insets(12));
        box.setPrefWidth(400);
        box.setMinWidth(360);
        return box;
    }

    private SplitPane charts() {
        lossChart.setCreateSymbols(false);
        lossChart.setLegendSide(javafx.geometry.Side.RIGHT);
        lossChart.getStyleClass().add("side-legend");
        lossChart.yAxis().setForceZeroInRange(false);
        lossChart.getStyleClass().add("loss-chart");
        lossSeries.setName("loss");
        inContextSeries.setName("in-context");
        lossChart.getData().addAll(List.of(lossSeries, inContextSeries));
        for (MarkedLineChart c : List.of(inductionChart, previousChart)) {
            c.yAxis().setAutoRanging(false);
            c.yAxis().setLowerBound(0);
            c.yAxis().setUpperBound(1);
            c.yAxis().setTickUnit(0.25);
        }
        HBox scores = new HBox(4, previousChart, inductionChart);
        HBox.setHgrow(previousChart, Priority.ALWAYS);
        HBox.setHgrow(inductionChart, Priority.ALWAYS);
        Label mapsTitle = new Label("Attention of the prompt at the latest checkpoint");
        mapsTitle.getStyleClass().add(Styles.TEXT_BOLD);
        modelView.setMinHeight(160);
        Label mapsError = new Label();
        mapsError.setWrapText(true);
        mapsError.getStyleClass().add(Styles.DANGER);
        mapsError.textProperty().bind(labVm.errorProperty());
        mapsError.visibleProperty().bind(labVm.errorProperty().isNotNull());
        mapsError.managedProperty().bind(mapsError.visibleProperty());
        VBox maps = new VBox(4, mapsTitle, mapsError, modelView);
        VBox.setVgrow(modelView, Priority.ALWAYS);
        maps.setPadding(new Insets(6));
        SplitPane split = new SplitPane(lossChart, scores, maps);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.33, 0.63);
        return split;
    }

    /** The charts and maps follow the view model's lists: cleared at Start, one point per step and checkpoint. */
    private void follow() {
        vm.steps().addListener((ListChangeListener<StepPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && c.getList().isEmpty()) {
                    lossSeries.getData().clear();
                    inContextSeries.getData().clear();
                }
                List<XYChart.Data<Number, Number>> loss = new ArrayList<>();
                List<XYChart.Data<Number, Number>> inContext = new ArrayList<>();
                for (StepPoint p : c.getAddedSubList()) {
                    loss.add(new XYChart.Data<>(p.step(), p.loss()));
                    if (!Double.isNaN(p.inContextLoss())) {
                        inContext.add(new XYChart.Data<>(p.step(), p.inContextLoss()));
                    }
                }
                lossSeries.getData().addAll(loss);
                inContextSeries.getData().addAll(inContext);
            }
        });
        vm.checkpoints().addListener((ListChangeListener<CheckpointPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && c.getList().isEmpty()) {
                    previousChart.getData().clear();
                    inductionChart.getData().clear();
                    lossChart.markers().clear();
                }
                for (CheckpointPoint p : c.getAddedSubList()) {
                    showCheckpoint(p);
                }
            }
        });
    }

    private void start() {
        int total = steps.getValue();
        for (MarkedLineChart chart : List.of(lossChart, previousChart, inductionChart)) {
            chart.xAxis().setAutoRanging(false);
            chart.xAxis().setLowerBound(0);
            chart.xAxis().setUpperBound(total);
            chart.xAxis().setTickUnit(TimelinePanel.niceTick(total));
        }
        vm.start(new TrainingLabViewModel.Settings(task.getValue(), textPath, layers.getValue(), heads.getValue(),
                dModel.getValue(), context.getValue(), total, checkpointEvery.getValue()));
    }

    /** Opens the last run in the explorer and brings the explorer to the front. */
    private void openRun() {
        Path folder = vm.runFolderProperty().get();
        if (folder != null) {
            openInExplorer.accept(folder);
            if (owner instanceof Stage explorer) {
                explorer.toFront();
                explorer.requestFocus();
            }
        }
    }

    private void showCheckpoint(CheckpointPoint p) {
        if (p.scores() != null) {
            addScores(previousChart, p.step(), p.scores().previousToken());
            addScores(inductionChart, p.step(), p.scores().induction());
        }
        lossChart.markers().setAll(new MarkedLineChart.Marker(p.step(), "checkpoint " + p.step(), "step-marker"));
        if (disposed) {
            return; // the window closed: a cancelled run still writes its last checkpoint, nothing shows it
        }
        // show the prompt's attention on the new checkpoint (opened and run off the FX thread)
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

    private static void addScores(MarkedLineChart chart, int step, double[][] m) {
        int k = 0;
        for (int l = 0; l < m.length; l++) {
            for (int h = 0; h < m[l].length; h++, k++) {
                if (chart.getData().size() <= k) {
                    XYChart.Series<Number, Number> s = new XYChart.Series<>();
                    s.setName("L" + l + "H" + h);
                    chart.getData().add(s);
                }
                chart.getData().get(k).getData().add(new XYChart.Data<>(step, m[l][h]));
            }
        }
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

    private void chooseTextFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Text to train on");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Text", "*.txt", "*.md", "*"));
        java.io.File f = chooser.showOpenDialog(stage);
        if (f != null) {
            setTextFile(f.toPath());
        }
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
        task.setValue(choice);
        layers.getValueFactory().setValue(nLayers);
        heads.getValueFactory().setValue(nHeads);
        dModel.getValueFactory().setValue(width);
        context.getValueFactory().setValue(ctx);
        steps.getValueFactory().setValue(nSteps);
        checkpointEvery.getValueFactory().setValue(every);
        output.setText(out.toString());
    }

    public void setTextFile(Path file) {
        textPath = file;
        textFile.setText(file.getFileName().toString());
    }

    public TrainingLabViewModel viewModel() {
        return vm;
    }

    public Button startButton() {
        return start;
    }

    public Button pauseButton() {
        return pause;
    }

    public Button cancelButton() {
        return cancel;
    }

    public Button openButton() {
        return open;
    }

    public Button closeButton() {
        return close;
    }

    public TextField outputField() {
        return output;
    }

    public XYChart.Series<Number, Number> lossSeries() {
        return lossSeries;
    }

    public MarkedLineChart inductionChart() {
        return inductionChart;
    }

    public ExplorerViewModel labViewModel() {
        return labVm;
    }

    public ModelView modelView() {
        return modelView;
    }

    public String statusText() {
        return status.getText();
    }
}
