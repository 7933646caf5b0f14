package dev.headlight.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One command of the command line. To add a command, write a subclass in {@code dev.headlight.cli} that passes its
 * name, summary, usage, options and details to this constructor and implements {@link #run}, and add one line to
 * {@link Cli#COMMANDS}; parsing, --help and error reporting come for free.
 */
public abstract class Command {
    private final String name;
    private final String summary;
    private final String usage;
    private final List<Option> options;
    private final String details;

    /**
     * @param name    the word that selects the command, e.g. "analyze"
     * @param summary one line for the command overview of --help
     * @param usage   the synopsis after "headlight", e.g. "analyze --model DIR (--prompt TEXT | --ids 1,2,3) --out FILE"
     * @param options every option the command accepts; anything else is a usage error
     * @param details paragraphs shown by "headlight CMD --help" below the options; may be empty
     */
    protected Command(String name, String summary, String usage, List<Option> options, String details) {
        this.name = name;
        this.summary = summary;
        this.usage = usage;
        this.options = List.copyOf(options);
        this.details = details;
    }

    public final String name() {
        return name;
    }

    public final String summary() {
        return summary;
    }

    public final String usage() {
        return usage;
    }

    public final String details() {
        return details;
    }

    public final List<Option> options() {
        return options;
    }

    /**
     * Runs the command. Results go to {@code out} (JSON commands keep it clean JSON), notes to {@code err}.
     * Throw {@link UsageException} for a wrong command line, {@link dev.headlight.format.FormatException} for a bad
     * file; both become one line on stderr.
     *
     * @return the exit status (0 for success)
     */
    public abstract int run(Args args, PrintStream out, PrintStream err) throws Exception;
}
