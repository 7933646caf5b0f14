package dev.headlight.ui.shell;

import dev.headlight.library.SampleModels;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.library.WindowArguments;

import javafx.application.Application;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The JavaFX application, started by {@code dev.headlight.Headlight} for the command lines {@link WindowArguments}
 * names; opens the folder they name, else the bundled sample model with an example prompt.
 */
public final class HeadlightApp extends Application {
    /** Set when a start-up run (-Dheadlight.exitAfterStartup) stopped on an error: its exit status is then 1. */
    private static volatile boolean startupRunFailed;
    /** What stopped {@link #start} (rethrown by {@link #launchApp} for the launcher's one-line message), or null. */
    private static volatile Throwable startFailure;

    private MainWindow window;

    /** Runs the window until it closes; returns the exit status (1 when a start-up run failed). */
    public static int launchApp(String[] args) {
        Application.launch(HeadlightApp.class, args);
        if (startFailure instanceof RuntimeException e) {
            throw e;
        } else if (startFailure instanceof Error e) {
            throw e;
        }
        return startupRunFailed ? 1 : 0;
    }

    @Override
    public void start(Stage stage) {
        try {
            showWindow(stage);
        } catch (RuntimeException | Error e) {
            // thrown out of start(), JavaFX would print "Exception in Application start method" and a stack trace
            // before the launcher's one line; kept for launchApp to rethrow once the toolkit has stopped
            startFailure = e;
            javafx.application.Platform.exit();
        }
    }

    private void showWindow(Stage stage) {
        AppPreferences prefs = AppPreferences.forUser();
        // the window comes back with the prompt it was left with; the sample's own prompt only on a first start
        boolean promptSaved = prefs.lastPrompt(null) != null;
        window = new MainWindow(stage, prefs);
        if (Boolean.getBoolean("headlight.startupReport")) {
            reportStartup(window.explorer());
        }
        stage.show();
        Optional<Path> argument = WindowArguments.folder(getParameters().getRaw());
        if (argument.isPresent()) {
            window.openModel(argument.get());
        } else if (SampleModels.defaultModel().isPresent()) {
            Path sample = SampleModels.defaultModel().get();
            if (promptSaved) {
                window.openModel(sample);
            } else {
                window.opening().openSample(sample);
            }
        } else if (Boolean.getBoolean("headlight.exitAfterStartup")) {
            javafx.application.Platform.exit(); // nothing to analyse: a start-up run has nothing to wait for
        }
    }

    /**
     * With {@code -Dheadlight.startupReport=true}: prints how long after the JVM started the first maps and the first
     * logit lens were shown (stderr), and exits then if {@code -Dheadlight.exitAfterStartup=true} (a start-up
     * benchmark, or the training run of an AOT cache).
     */
    private static void reportStartup(ExplorerViewModel viewModel) {
        long[] firstMaps = {0};
        viewModel.tasks().errors().messageProperty().addListener((o, before, now) -> {
            if (now != null && Boolean.getBoolean("headlight.exitAfterStartup")) {
                System.err.println("headlight: start-up run stopped: " + now);
                startupRunFailed = true;
                javafx.application.Platform.exit();
            }
        });
        viewModel.analysisProperty().addListener((o, before, now) -> {
            if (now == null || firstMaps[0] < 0) {
                return;
            }
            long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            if (firstMaps[0] == 0) {
                firstMaps[0] = uptime;
            }
            if (now.lens() != null) {
                System.err.printf("headlight: first maps %d ms, logit lens %d ms after the JVM started%n",
                        firstMaps[0], uptime);
                if (Boolean.getBoolean("headlight.exitAfterStartup")) {
                    // An AOT training run also records the profiles of every kernel path, so the JIT compiles
                    // them early in later runs whatever model is opened first.
                    Thread.ofPlatform().daemon().start(() -> {
                        dev.headlight.engine.kernel.Kernels.best().warmUp();
                        javafx.application.Platform.exit();
                    });
                }
                firstMaps[0] = -1; // report once
            }
        });
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
