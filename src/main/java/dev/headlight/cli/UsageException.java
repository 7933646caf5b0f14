package dev.headlight.cli;

/** The command line itself is wrong (unknown command or option, missing or malformed value): exit status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
