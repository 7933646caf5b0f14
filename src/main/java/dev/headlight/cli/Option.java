package dev.headlight.cli;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * The options of a table written as --help shows it, one option a row: {@code --name VALUE} (or {@code --name}
     * for a flag), two or more spaces, the help; an indented line continues the help above it. Long option lists
     * read as their --help does instead of as a column of constructor calls.
     */
    public static List<Option> table(String rows) {
        List<Option> options = new ArrayList<>();
        String synopsis = null;
        StringBuilder help = new StringBuilder();
        for (String line : rows.strip().split("\n")) {
            if (line.startsWith("--")) {
                if (synopsis != null) {
                    options.add(fromRow(synopsis, help.toString()));
                }
                int gap = line.indexOf("  ");
                if (gap < 0) {
                    throw new IllegalArgumentException("option row without help: " + line);
                }
                synopsis = line.substring(2, gap);
                help.setLength(0);
                help.append(line.substring(gap).strip());
            } else {
                help.append(' ').append(line.strip());
            }
        }
        if (synopsis != null) {
            options.add(fromRow(synopsis, help.toString()));
        }
        return List.copyOf(options);
    }

    private static Option fromRow(String synopsis, String help) {
        int space = synopsis.indexOf(' ');
        return space < 0 ? flag(synopsis, help) : value(synopsis.substring(0, space), synopsis.substring(space + 1), help);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** "--model DIR" or "--json". */
    public String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}
