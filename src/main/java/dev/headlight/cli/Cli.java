package dev.headlight.cli;

import dev.headlight.format.ErrorMessages;
import dev.headlight.format.FormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The command line: analyze, tokenize, inspect, bench, synth, heads, ablate, patch, dla, train, compare, i.e. whatever
 * {@link #COMMANDS} lists. Every failure is one line on stderr (the stack trace only with --debug); exit status
 * 0 = success, 1 = bad input or failure, 2 = wrong usage.
 */
public final class Cli {
    /** Every command, in the order --help lists them. Add a command with one line here. */
    static final List<Command> COMMANDS = List.of(
            new AnalyzeCommand(),
            new TokenizeCommand(),
            new InspectCommand(),
            new BenchCommand(),
            new SynthCommand(),
            new HeadsCommand(),
            new AblateCommand(),
            new PatchCommand(),
            new DlaCommand(),
            new TrainCommand(),
            new CompareCommand()
    );

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Cli() {
    }

    /** Runs one command and returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return runWith(COMMANDS, args, out, err);
    }

    /** {@link #run} with a given command list (tests). */
    static int runWith(List<Command> commands, String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(List.of(args));
        boolean debug = words.remove("--debug");
        while (words.remove("--debug")) {
            // "--debug" may be given anywhere, any number of times
        }
        if (words.isEmpty()) {
            err.println("headlight: no command given; see 'headlight --help' (with no arguments at all the "
                    + "launcher opens the window)");
            return USAGE;
        }
        String first = words.getFirst();
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            Command topic = words.size() > 1 ? find(commands, words.get(1)) : null;
            out.print(topic != null ? HelpText.forCommand(topic) : HelpText.overview(commands));
            return OK;
        }
        if (first.equals("--version") || first.equals("-V")) {
            out.println("headlight " + version());
            return OK;
        }
        Command command = find(commands, first);
        if (command == null) {
            if (isOptionOfSomeCommand(commands, first)) {
                err.println("headlight: " + oneLine(first) + " needs a command before it, e.g. 'headlight analyze "
                        + "--model DIR ...'; see 'headlight --help'");
            } else {
                err.println("headlight: " + (first.startsWith("-") ? "unknown option " : "unknown command ")
                        + "'" + oneLine(first) + "'; see 'headlight --help'");
            }
            return USAGE;
        }
        List<String> rest = words.subList(1, words.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(HelpText.forCommand(command));
            return OK;
        }
        try {
            Args parsed = Args.parse(command.name(), command.options(), rest);
            return command.run(parsed, out, err);
        } catch (UsageException e) {
            err.println("headlight " + command.name() + ": " + oneLine(e.getMessage())
                    + "; see 'headlight " + command.name() + " --help'");
            if (debug) {
                e.printStackTrace(err);
            }
            return USAGE;
        } catch (Throwable e) {
            err.println("headlight " + command.name() + ": " + ErrorMessages.describe(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean isOptionOfSomeCommand(List<Command> commands, String word) {
        return word.startsWith("--") && commands.stream().flatMap(c -> c.options().stream())
                .anyMatch(o -> word.substring(2).split("=", 2)[0].equals(o.name()));
    }

    static Command find(List<Command> commands, String name) {
        for (Command c : commands) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Text typed by the user or read from a file, as one inert line. */
    static String oneLine(String text) {
        return ErrorMessages.escape(text);
    }

    /** The project version from the jar's Maven descriptor, or "dev" when run from the classes folder. */
    public static String version() {
        try (InputStream in = Cli.class.getResourceAsStream(
                "/META-INF/maven/dev.headlight/headlight/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through to the development label
        }
        String implementation = Cli.class.getPackage().getImplementationVersion();
        return implementation != null ? implementation : "dev";
    }
}
