package dev.headlight.ui.lab;

import atlantafx.base.theme.Styles;
import dev.headlight.ui.lab.TrainingLabViewModel.TaskChoice;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.List;

/**
 * The Training Lab's form: task, shape, schedule, output folder and prompt, the Start / Pause / Cancel / Open
 * buttons bound to {@link TrainingLabViewModel}, its progress and status. Reads the fields into
 * {@link TrainingLabViewModel.Settings}; the window wires Open and Close.
 */
final class TrainingLabForm extends VBox {
    private final TrainingLabViewModel vm;
    private final ChoiceBox<TaskChoice> task = new ChoiceBox<>();
    private final Label textFile = new Label("no file chosen");
    private Path textPath;
    private final Spinner<Integer> layers = new Spinner<>(1, 12, 2);
    private final Spinner<Integer> heads = new Spinner<>(1, 16, 2);
    private final Spinner<Integer> dModel = new Spinner<>(8, 1024, 32, 8);
    private final Spinner<Integer> context = new Spinner<>(4, 1024, 48, 8);
    private final Spinner<Integer> steps = new Spinner<>(1, 1_000_000, 800, 100);
    private final Spinner<Integer> checkpointEvery = new Spinner<>(0, 1_000_000, 100, 10);
    final TextField output = new TextField();
    final TextField prompt = new TextField();
    final Button start = new Button("Start");
    final Button pause = new Button("Pause");
    final Button cancel = new Button("Cancel");
    final Button open = new Button("Open in explorer");
    final Button close = new Button("Close");
    final Label status = new Label();

    TrainingLabForm(TrainingLabViewModel vm, Runnable onStart) {
        this.vm = vm;
        // the ids name the controls for tests and tools (see FxTestSupport.find)
        output.setId("lab-output");
        start.setId("lab-start");
        pause.setId("lab-pause");
        cancel.setId("lab-cancel");
        open.setId("lab-open");
        close.setId("lab-close");
        status.setId("lab-status");
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
                prompt.setText(TrainingLabWindow.inductionPrompt());
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
        browse.setOnAction(e -> chooseOutput());
        HBox outRow = new HBox(4, output, browse);
        HBox.setHgrow(output, Priority.ALWAYS);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
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
        grid.addRow(r, new Label("Prompt"), prompt);

        start.getStyleClass().add(Styles.ACCENT);
        start.setDefaultButton(true);
        start.setOnAction(e -> onStart.run());
        pause.setOnAction(e -> vm.togglePause());
        cancel.setOnAction(e -> vm.cancel());
        close.setCancelButton(true);
        start.disableProperty().bind(vm.status().runningProperty());
        pause.disableProperty().bind(vm.status().runningProperty().not());
        cancel.disableProperty().bind(vm.status().runningProperty().not());
        open.disableProperty().bind(vm.lastRunProperty().map(run -> !run.finished()));
        pause.textProperty().bind(vm.lastRunProperty().map(run -> run.paused() ? "Resume" : "Pause"));
        HBox buttons = new HBox(6, start, pause, cancel);
        ProgressBar progress = new ProgressBar(0);
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(vm.status().progressProperty());
        status.setWrapText(true);
        status.textProperty().bind(vm.status().messageProperty());
        Label hint = new Label("Defaults: the recipe of the induction-2l sample (an induction head by step ~300, "
                + "about a minute on 2 cores). Every run writes to a folder of its own.");
        hint.setWrapText(true);
        hint.getStyleClass().add("panel-hint");
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        HBox closeRow = new HBox(close);
        closeRow.setAlignment(Pos.CENTER_RIGHT);
        getChildren().addAll(grid, buttons, progress, status, open, hint, spacer, closeRow);
        setSpacing(10);
        setPadding(new Insets(12));
        setPrefWidth(360);
        setMinWidth(320);
    }

    /** What the form asks for. */
    TrainingLabViewModel.Settings settings() {
        return new TrainingLabViewModel.Settings(task.getValue(), textPath, layers.getValue(), heads.getValue(),
                dModel.getValue(), context.getValue(), steps.getValue(), checkpointEvery.getValue());
    }

    /** Fills the form (the text file only for {@link TaskChoice#TEXT_FILE}). */
    void configure(TaskChoice choice, int nLayers, int nHeads, int width, int ctx, int nSteps, int every, Path out) {
        task.setValue(choice);
        layers.getValueFactory().setValue(nLayers);
        heads.getValueFactory().setValue(nHeads);
        dModel.getValueFactory().setValue(width);
        context.getValueFactory().setValue(ctx);
        steps.getValueFactory().setValue(nSteps);
        checkpointEvery.getValueFactory().setValue(every);
        output.setText(out.toString());
    }

    void setTextFile(Path file) {
        textPath = file;
        textFile.setText(file.getFileName().toString());
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    private void chooseOutput() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder for the run's checkpoints");
        java.io.File f = chooser.showDialog(window());
        if (f != null) {
            output.setText(f.toPath().resolve(TrainingLabViewModel.defaultOutput().getFileName()).toString());
        }
    }

    private void chooseTextFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Text to train on");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Text", "*.txt", "*.md", "*"));
        java.io.File f = chooser.showOpenDialog(window());
        if (f != null) {
            setTextFile(f.toPath());
        }
    }
}
