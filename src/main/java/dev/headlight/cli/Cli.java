package dev.headlight.cli;

import java.io.PrintStream;

/** The command line: analyze, tokenize, bench, inspect and the others listed by --help. */
public final class Cli {
    private Cli() {
    }

    /** Runs one command and returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("headlight: the command line is not implemented yet");
        return 2;
    }
}
