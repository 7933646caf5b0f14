package dev.headlight;

import dev.headlight.library.WindowArguments;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Entry point of the jar. With no arguments, {@code gui [FOLDER]}, {@code --model FOLDER} or only a model folder
 * it opens the window ({@link WindowArguments}); with a command it runs the command line, which never starts JavaFX.
 */
public final class Headlight {
    private Headlight() {
    }

    public static void main(String[] args) throws Throwable {
        if (WindowArguments.opensWindow(List.of(args))) {
            launchWindow(args);
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

    /** Loaded reflectively so that command-line use never touches the JavaFX classes. */
    private static void launchWindow(String[] args) throws Throwable {
        Method launch;
        try {
            Class<?> app = Class.forName("dev.headlight.ui.shell.HeadlightApp");
            launch = app.getMethod("launchApp", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            System.err.println("headlight: the window cannot start (" + e + "); the command line still works: "
                    + "headlight --help");
            System.exit(1);
            return;
        }
        try {
            launch.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
