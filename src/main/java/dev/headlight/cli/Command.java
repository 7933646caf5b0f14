package dev.headlight.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One command of the command line. To add a command, write a class implementing this interface in
 * {@code dev.headlight.cli} and add one line to {@link Cli#COMMANDS}; parsing, --help and error reporting come
 * for free.
 */
public interface Command {

    /** The word that selects the command, e.g. "analyze". */
    String name();

    /** One line for the command overview of --help. */
    String summary();

    /** The synopsis after "headlight", e.g. "analyze --model DIR (--prompt TEXT | --ids 1,2,3) --out FILE". */
    String usage();

    /** Paragraphs shown by "headlight CMD --help" below the options; may be empty. */
    default String details() {
        return "";
    }

    /** Every option the command accepts; anything else is a usage error. */
    List<Option> options();

    /**
     * Runs the command. Results go to {@code out} (JSON commands keep it clean JSON), notes to {@code err}.
     * Throw {@link UsageException} for a wrong command line, {@link dev.headlight.format.FormatException} for a bad
     * file; both become one line on stderr.
     *
     * @return the exit status (0 for success)
     */
    int run(Args args, PrintStream out, PrintStream err) throws Exception;
}
