package dev.headlight;

import dev.headlight.library.ModelLocator;
import dev.headlight.library.WindowArguments;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of the jar and of the app image's launcher. With no arguments, {@code gui [MODEL]},
 * {@code --model MODEL} or only a model folder it opens the window ({@link WindowArguments}); with a command it runs
 * the command line, which never starts JavaFX.
 *
 * <p>Window options: {@code --debug} (stack traces of start-up failures), {@code --exit-after-start} (open the
 * model, analyse its prompt, print the start-up times and exit: a smoke test and a start-time benchmark). The
 * environment variable {@code HEADLIGHT_HEADLESS=1} runs the window without a display (JavaFX's Headless platform,
 * software rendering).
 */
public final class Headlight {
    private Headlight() {
    }

    public static void main(String[] args) throws Throwable {
        List<String> words = List.of(args);
        if (WindowArguments.opensWindow(words)) {
            System.exit(launchWindow(words));
            return;
        }
        // JSON is UTF-8 whatever the terminal's locale says (a POSIX locale would turn tokens into '?')
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = dev.headlight.cli.Cli.run(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Checks that the window can open here, resolves the model argument (a folder or a Hugging Face id) and starts
     * JavaFX; any failure before the window shows is one line on stderr (the stack trace with --debug). Returns the
     * exit status.
     */
    private static int launchWindow(List<String> words) {
        boolean debug = words.contains(WindowArguments.DEBUG);
        if (words.contains(WindowArguments.EXIT_AFTER_START)) {
            System.setProperty("headlight.startupReport", "true");
            System.setProperty("headlight.exitAfterStartup", "true");
        }
        if ("1".equals(System.getenv("HEADLIGHT_HEADLESS")) && System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        Optional<String> problem = DesktopCheck.problem();
        if (problem.isPresent()) {
            System.err.println(problem.get());
            return 1;
        }
        List<String> appArgs = new ArrayList<>();
        Optional<String> model = WindowArguments.model(words);
        if (model.isPresent()) {
            try {
                appArgs.addAll(List.of("--model", ModelLocator.locate(model.get()).toString()));
            } catch (IllegalArgumentException e) {
                System.err.println("headlight: " + e.getMessage());
                return 1;
            }
        }
        try {
            // loaded reflectively so that command-line use never touches the JavaFX classes
            Class<?> app = Class.forName("dev.headlight.ui.shell.HeadlightApp");
            Method launch = app.getMethod("launchApp", String[].class);
            Object status = launch.invoke(null, (Object) appArgs.toArray(String[]::new));
            return status instanceof Integer i ? i : 0;
        } catch (InvocationTargetException e) {
            return startFailed(e.getCause(), debug);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return startFailed(e, debug);
        }
    }

    private static int startFailed(Throwable failure, boolean debug) {
        System.err.println(DesktopCheck.describeStartFailure(failure));
        if (debug) {
            failure.printStackTrace();
        }
        return 1;
    }
}
