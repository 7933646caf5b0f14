package dev.headlight;

import java.lang.reflect.Method;

/**
 * Entry point of the jar. With no arguments (or only a model folder) it opens the window; with a command it runs
 * the command line, which never starts JavaFX.
 */
public final class Headlight {
    private Headlight() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || isGuiInvocation(args)) {
            // Loaded reflectively so that command-line use never touches the JavaFX classes.
            Class<?> app = Class.forName("dev.headlight.ui.HeadlightApp");
            Method launch = app.getMethod("launchApp", String[].class);
            launch.invoke(null, (Object) args);
            return;
        }
        System.exit(dev.headlight.cli.Cli.run(args, System.out, System.err));
    }

    /** "headlight gui [FOLDER]" or "headlight --model FOLDER" opens the window. */
    private static boolean isGuiInvocation(String[] args) {
        return args[0].equals("gui") || (args[0].equals("--model") && args.length == 2);
    }
}
