package dev.headlight.ui;

import javafx.application.Application;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The JavaFX application. Started by {@code dev.headlight.Headlight} with no arguments, {@code gui [FOLDER]} or
 * {@code --model FOLDER}; opens the given folder, else the bundled sample model with an example prompt.
 */
public final class HeadlightApp extends Application {
    private MainWindow window;

    public static void launchApp(String[] args) {
        Application.launch(HeadlightApp.class, args);
    }

    /** The model folder named on the command line, if any. */
    static Optional<Path> folderArgument(List<String> args) {
        if (args.size() >= 2 && (args.get(0).equals("gui") || args.get(0).equals("--model"))) {
            return Optional.of(Path.of(args.get(1)));
        }
        if (args.size() == 1 && !args.get(0).equals("gui") && Files.isDirectory(Path.of(args.get(0)))) {
            return Optional.of(Path.of(args.get(0)));
        }
        return Optional.empty();
    }

    @Override
    public void start(Stage stage) {
        window = new MainWindow(stage, AppPreferences.forUser());
        stage.show();
        Optional<Path> argument = folderArgument(getParameters().getRaw());
        if (argument.isPresent()) {
            window.openFolder(argument.get());
        } else {
            SampleModels.defaultModel().ifPresent(window::openSample);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.viewModel().shutdown();
        }
    }
}
