package dev.headlight.cli;

/**
 * One option of a command, e.g. {@code --model DIR}.
 *
 * @param name       the long name without dashes, e.g. "model"
 * @param valueName  how help shows its value, e.g. "DIR"; null for a flag that takes no value
 * @param help       one line for --help
 * @param repeatable whether it may be given more than once (e.g. tokenize --text A --text B)
 */
public record Option(String name, String valueName, String help, boolean repeatable) {

    public static Option value(String name, String valueName, String help) {
        return new Option(name, valueName, help, false);
    }

    public static Option repeatable(String name, String valueName, String help) {
        return new Option(name, valueName, help, true);
    }

    public static Option flag(String name, String help) {
        return new Option(name, null, help, false);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** "--model DIR" or "--json". */
    public String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}
