package dev.headlight.ui.lab;

import dev.headlight.format.ErrorMessages;
import atlantafx.base.theme.Styles;
import dev.headlight.engine.Model;
import dev.headlight.train.GrammarCorpus;
import dev.headlight.train.InductionTask;
import dev.headlight.train.ProbeScores;
import dev.headlight.train.TextTask;
import dev.headlight.train.TrainOptions;
import dev.headlight.train.Trainer;
import dev.headlight.train.TrainingTask;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.view.ModelView;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
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
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Trains a small GPT-2 from the window: task and shape on the left; live loss, live per-head probe scores and the
 * attention maps of a prompt on each new checkpoint on the right. Training runs on its own thread; the FX thread only
 * receives batched progress. Pause blocks the trainer between steps (it polls the cancel flag there); closing the
 * window cancels the run, which still writes its last checkpoint.
 */
public final class TrainingLabWindow {
    /** The tasks offered. */
    public enum TaskChoice {
        INDUCTION("Induction (synthetic repeats)"), GRAMMAR("Grammar corpus (templated English)"),
        TEXT_FILE("Text file…");

        private final String label;

        TaskChoice(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Vocabulary of the byte-level BPE tokenizer trained for text tasks (the CLI's default). */
    static final int TEXT_VOCAB = 512;

    private final Stage stage = new Stage();
    private final Consumer<Path> openInExplorer;
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
    private final Label status = new Label("Choose a task and press Start.");
    private final ProgressBar progress = new ProgressBar(0);

    private final MarkedLineChart lossChart = new MarkedLineChart("Training loss", "loss");
    private final MarkedLineChart inductionChart = new MarkedLineChart("Induction score per head", "score");
    private final MarkedLineChart previousChart = new MarkedLineChart("Previous-token score per head", "score");
    private final XYChart.Series<Number, Number> lossSeries = new XYChart.Series<>();
    /** Loss on the positions the context can predict (the induction task's copies). */
    private final XYChart.Series<Number, Number> inContextSeries = new XYChart.Series<>();

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper finished = new ReadOnlyBooleanWrapper(this, "finished");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private volatile boolean pauseRequested;
    private volatile boolean cancelRequested;
    private final ConcurrentLinkedQueue<double[]> pendingSteps = new ConcurrentLinkedQueue<>(); // {step, loss}
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Checkpoint models this window opened, [opened order]; closed when replaced and when the window closes. */
    private final List<Model> openedModels = new ArrayList<>();
    private Path runFolder;
    private Throwable failure;
    private int checkpointsSeen;
    /** The window closed: its view model is shut down. */
    private boolean disposed;

    public TrainingLabWindow(Window owner, AppPreferences preferences, dev.headlight.ui.task.TaskRunner tasks,
                             String initialPrompt, Consumer<Path> openInExplorer) {
        this.openInExplorer = openInExplorer;
        this.labVm = new ExplorerViewModel(preferences, tasks);
        this.modelView = new ModelView(labVm);
        if (owner != null) {
            stage.initOwner(owner);
        }
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
        Scene scene = new Scene(root, 1240, 820);
        scene.getStylesheets().add(TrainingLabWindow.class.getResource("lab.css").toExternalForm());
        stage.setScene(scene);
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
        output.setText(defaultOutput().toString());
        output.setPrefColumnCount(22);
        Button browse = new Button("…");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Folder for the run's checkpoints");
            java.io.File f = chooser.showDialog(stage);
            if (f != null) {
                output.setText(f.toPath().resolve(defaultOutput().getFileName()).toString());
            }
        });
        HBox outRow = new HBox(4, output, browse);
        HBox.setHgrow(output, Priority.ALWAYS);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
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
        pause.setOnAction(e -> setPaused(!paused.get()));
        cancel.setOnAction(e -> cancelRequested = true);
        open.setOnAction(e -> {
            if (runFolder != null) {
                openInExplorer.accept(runFolder);
            }
        });
        start.disableProperty().bind(running);
        pause.disableProperty().bind(running.not());
        cancel.disableProperty().bind(running.not());
        open.disableProperty().bind(finished.not());
        paused.addListener((o, a, b) -> pause.setText(b ? "Resume" : "Pause"));
        HBox buttons = new HBox(6, start, pause, cancel);
        progress.setMaxWidth(Double.MAX_VALUE);
        status.setWrapText(true);
        Label hint = new Label("Defaults: the recipe of the induction-2l sample (an induction head by step ~300, "
                + "about a minute on 2 cores).");
        hint.setWrapText(true);
        hint.getStyleClass().add("panel-hint");
        VBox box = new VBox(10, grid, buttons, progress, status, open, hint);
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

    static Path defaultOutput() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return Path.of(System.getProperty("user.home"), "headlight-runs", stamp);
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

    // ---- the run

    /** Starts training with the form's settings (on a background thread). */
    public void start() {
        if (running.get()) {
            return;
        }
        TaskChoice choice = task.getValue();
        if (choice == TaskChoice.TEXT_FILE && textPath == null) {
            status.setText("Choose a text file first.");
            return;
        }
        TrainOptions options;
        try {
            int d = dModel.getValue();
            int n = steps.getValue();
            options = TrainOptions.defaults().withShape(layers.getValue(), heads.getValue(), d, context.getValue())
                    .withSchedule(n, checkpointEvery.getValue(), d >= 64 ? 1e-3f : 3e-3f,
                            TrainOptions.defaults().batch(), Math.min(TrainOptions.defaults().warmup(), n / 4));
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        Path out = Path.of(output.getText().trim()).toAbsolutePath().normalize();
        runFolder = out;
        failure = null;
        checkpointsSeen = 0;
        cancelRequested = false;
        setPaused(false);
        finished.set(false);
        running.set(true);
        lossSeries.getData().clear();
        inContextSeries.getData().clear();
        previousChart.getData().clear();
        inductionChart.getData().clear();
        for (MarkedLineChart c : List.of(lossChart, previousChart, inductionChart)) {
            c.xAxis().setAutoRanging(false);
            c.xAxis().setLowerBound(0);
            c.xAxis().setUpperBound(options.steps());
            c.xAxis().setTickUnit(TimelinePanel.niceTick(options.steps()));
        }
        progress.setProgress(-1);
        status.setText(choice == TaskChoice.INDUCTION ? "Starting…" : "Preparing the corpus and its tokenizer…");
        Path text = textPath;
        Thread worker = new Thread(() -> train(choice, text, options, out), "headlight-training-lab");
        worker.setDaemon(true);
        worker.start();
    }

    private void train(TaskChoice choice, Path text, TrainOptions options, Path out) {
        Trainer.Result result = null;
        try {
            TrainingTask t = switch (choice) {
                case INDUCTION -> new InductionTask();
                case GRAMMAR -> TextTask.fromText("grammar", "bundled templated English corpus (names, places, "
                        + "objects)", GrammarCorpus.generate(20000, 7), TEXT_VOCAB);
                case TEXT_FILE -> TextTask.fromFile(text, TEXT_VOCAB);
            };
            Trainer trainer = new Trainer(t, options);
            result = trainer.run(out, new Trainer.Listener() {
                @Override
                public void onStep(int step, int total, double loss, double inContextLoss, float lr) {
                    pendingSteps.add(new double[]{step, loss, total, inContextLoss}); // step counts from 1
                    if (drainScheduled.compareAndSet(false, true)) {
                        Platform.runLater(TrainingLabWindow.this::drainSteps);
                    }
                }

                @Override
                public void onCheckpoint(int step, Path folder, ProbeScores.Scores scores) {
                    Platform.runLater(() -> checkpoint(step, folder, scores));
                }
            }, this::shouldStop);
        } catch (Throwable e) {
            failure = e;
        }
        Trainer.Result done = result;
        Platform.runLater(() -> finish(done));
    }

    /** Polled by the trainer between steps: blocks while paused. */
    private boolean shouldStop() {
        while (pauseRequested && !cancelRequested) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return cancelRequested;
    }

    private void drainSteps() {
        drainScheduled.set(false);
        double[] p;
        double[] last = null;
        while ((p = pendingSteps.poll()) != null) {
            lossSeries.getData().add(new XYChart.Data<>(p[0], p[1]));
            if (!Double.isNaN(p[3])) {
                inContextSeries.getData().add(new XYChart.Data<>(p[0], p[3]));
            }
            last = p;
        }
        if (last != null && running.get()) {
            progress.setProgress(last[0] / last[2]);
            status.setText(String.format(Locale.ROOT, "%s step %d of %d · loss %.3f · %d checkpoints",
                    paused.get() ? "Paused at" : "Training:", (int) last[0], (int) last[2], last[1],
                    checkpointsSeen));
        }
    }

    private void checkpoint(int step, Path folder, ProbeScores.Scores scores) {
        checkpointsSeen++;
        if (scores != null) {
            addScores(previousChart, step, scores.previousToken());
            addScores(inductionChart, step, scores.induction());
        }
        lossChart.markers().setAll(new MarkedLineChart.Marker(step, "checkpoint " + step, "step-marker"));
        if (disposed) {
            return; // the window closed: a cancelled run still writes its last checkpoint, nothing shows it
        }
        // show the prompt's attention on the new checkpoint (opened and run off the FX thread)
        labVm.showModel(folder, path -> {
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

    private void finish(Trainer.Result result) {
        drainSteps();
        running.set(false);
        setPaused(false);
        progress.setProgress(result == null ? 0 : 1);
        if (failure != null) {
            status.setText("Training failed: " + ErrorMessages.describe(failure));
        } else if (result != null) {
            finished.set(true);
            status.setText(String.format(Locale.ROOT, "%s after %d steps in %.1f s (%.1f steps/s) · final loss %.3f"
                            + " · %s", cancelRequested ? "Cancelled" : "Done", result.stepsDone(), result.seconds(),
                    result.stepsPerSecond(), result.finalLoss(), runFolder));
        }
    }

    private void setPaused(boolean p) {
        pauseRequested = p;
        paused.set(p);
        if (p && running.get()) {
            status.setText("Paused (the trainer waits before its next step).");
        }
    }

    private void dispose() {
        disposed = true;
        cancelRequested = true;
        pauseRequested = false;
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

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty finishedProperty() {
        return finished.getReadOnlyProperty();
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

    public Throwable failure() {
        return failure;
    }
}
