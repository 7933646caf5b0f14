package dev.headlight;

import dev.headlight.library.ModelLocator;

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
 * Entry point of the jar and of the app image's launcher. With no arguments (or only a model) it opens the window;
 * with a command it runs the command line, which never starts JavaFX.
 *
 * <p>Window options: {@code --debug} (stack traces of start-up failures), {@code --exit-after-start} (open the
 * model, analyse its prompt, print the start-up times and exit: a smoke test and a start-time benchmark). The
 * environment variable {@code HEADLIGHT_HEADLESS=1} runs the window without a display (JavaFX's Headless platform,
 * software rendering).
 */
public final class Headlight {
    static final String DEBUG = "--debug";
    static final String EXIT_AFTER_START = "--exit-after-start";

    private Headlight() {
    }

    public static void main(String[] args) throws Throwable {
        List<String> words = List.of(args);
        if (isGuiInvocation(words)) {
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
        boolean debug = words.contains(DEBUG);
        List<String> rest = new ArrayList<>(words);
        rest.removeIf(w -> w.equals(DEBUG) || w.equals(EXIT_AFTER_START));
        if (words.contains(EXIT_AFTER_START)) {
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
        if (rest.size() == 2) {
            try {
                appArgs.addAll(List.of("--model", ModelLocator.locate(rest.get(1)).toString()));
            } catch (IllegalArgumentException e) {
                System.err.println("headlight: " + e.getMessage());
                return 1;
            }
        }
        try {
            // loaded reflectively so that command-line use never touches the JavaFX classes
            Class<?> app = Class.forName("dev.headlight.ui.HeadlightApp");
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

    /**
     * The window opens for no arguments, "gui [MODEL]" or "--model MODEL" (a folder or a Hugging Face id), each
     * with --debug and --exit-after-start anywhere.
     */
    static boolean isGuiInvocation(List<String> args) {
        List<String> rest = args.stream().filter(w -> !w.equals(DEBUG) && !w.equals(EXIT_AFTER_START)).toList();
        if (rest.isEmpty()) {
            return true;
        }
        return (rest.getFirst().equals("gui") && rest.size() <= 2) || (rest.getFirst().equals("--model") && rest.size() == 2);
    }
}
