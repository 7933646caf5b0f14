package dev.headlight.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A command that parses its own arguments and prints its own --help, registered in {@link Cli#COMMANDS} with
 * one line such as {@code SelfParsingCommand.of(HeadsCommand.NAME, HeadsCommand.SUMMARY, HeadsCommand.USAGE,
 * HeadsCommand::run)}. It gets the words after its name (without --debug) and returns the exit status.
 */
public record SelfParsingCommand(String name, String summary, String usage, Runner runner) implements Command {

    @FunctionalInterface
    public interface Runner {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    public static SelfParsingCommand of(String name, String summary, String usage, Runner runner) {
        String synopsis = usage.startsWith("headlight ") ? usage.substring("headlight ".length()) : usage;
        return new SelfParsingCommand(name, summary, synopsis, runner);
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        throw new IllegalStateException(name + " parses its own arguments; Cli calls runner() directly");
    }
}
