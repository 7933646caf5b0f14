package dev.headlight.library;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which command lines open the window, and with which model folder: the one rule for the launcher script (which
 * runs {@link #main}), {@code dev.headlight.Headlight} and the window itself.
 * <ul>
 * <li>no arguments: the window with the bundled sample model;</li>
 * <li>{@code gui [FOLDER]}, {@code --model FOLDER}, or a bare {@code FOLDER} (an existing folder): the window with
 *     that folder;</li>
 * <li>anything else is a command of the command line.</li>
 * </ul>
 * The window's own options may stand anywhere: {@code --debug} (stack traces of start-up failures) and
 * {@code --exit-after-start} (open, analyse the prompt, print the start-up times, exit). The folder after
 * {@code gui} or {@code --model} may also be a Hugging Face model id, resolved by {@link ModelLocator}.
 */
public final class WindowArguments {
    public static final String DEBUG = "--debug";
    public static final String EXIT_AFTER_START = "--exit-after-start";

    private WindowArguments() {
    }

    /** Whether {@code words} open the window instead of running a command. */
    public static boolean opensWindow(List<String> words) {
        List<String> args = withoutWindowOptions(words);
        return args.isEmpty() || args.getFirst().equals("gui")
                || (args.size() == 2 && args.getFirst().equals("--model")) || isBareFolder(args);
    }

    /** The model folder the window opens for {@code words}, if they name one. */
    public static Optional<Path> folder(List<String> words) {
        return model(words).map(Path::of);
    }

    /** The model as typed (a folder, or after gui/--model also a Hugging Face id), if {@code words} name one. */
    public static Optional<String> model(List<String> words) {
        List<String> args = withoutWindowOptions(words);
        if (args.size() >= 2 && (args.getFirst().equals("gui") || args.getFirst().equals("--model"))) {
            return Optional.of(args.get(1));
        }
        return isBareFolder(args) ? Optional.of(args.getFirst()) : Optional.empty();
    }

    /** {@code words} without --debug and --exit-after-start. */
    public static List<String> withoutWindowOptions(List<String> words) {
        return words.stream().filter(w -> !w.equals(DEBUG) && !w.equals(EXIT_AFTER_START)).toList();
    }

    private static boolean isBareFolder(List<String> args) {
        if (args.size() != 1 || args.getFirst().startsWith("-") || args.getFirst().equals("gui")) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(args.getFirst()));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** For the launcher script, which needs the answer before it starts the window: exit status 0 when they do. */
    public static void main(String[] args) {
        System.exit(opensWindow(List.of(args)) ? 0 : 1);
    }
}
