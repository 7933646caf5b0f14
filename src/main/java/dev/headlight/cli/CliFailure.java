package dev.headlight.cli;

/** A command cannot do what was asked for a reason a person can fix (exit status 1, one line on stderr). */
public class CliFailure extends RuntimeException {
    public CliFailure(String message) {
        super(message);
    }
}
