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
 */
public final class WindowArguments {
    private WindowArguments() {
    }

    /** Whether {@code args} open the window instead of running a command. */
    public static boolean opensWindow(List<String> args) {
        return args.isEmpty() || args.getFirst().equals("gui")
                || (args.size() == 2 && args.getFirst().equals("--model")) || isBareFolder(args);
    }

    /** The model folder the window opens for {@code args}, if they name one. */
    public static Optional<Path> folder(List<String> args) {
        if (args.size() >= 2 && (args.getFirst().equals("gui") || args.getFirst().equals("--model"))) {
            return Optional.of(Path.of(args.get(1)));
        }
        return isBareFolder(args) ? Optional.of(Path.of(args.getFirst())) : Optional.empty();
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
