package dev.headlight.cli;

import dev.headlight.analysis.TokenIds;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command line, checked against the command's {@link Option}s. Accepts "--name value" and
 * "--name=value"; a value that is itself one of the command's options counts as missing (write --text=--json to
 * pass such a text).
 */
public final class Args {
    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>(); // option name -> values in order

    private Args(String command) {
        this.command = command;
    }

    /** Parses {@code words} (the words after the command name) or throws {@link UsageException}. */
    public static Args parse(String command, List<Option> options, List<String> words) {
        Map<String, Option> known = new LinkedHashMap<>();
        options.forEach(o -> known.put(o.name(), o));
        Args args = new Args(command);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--") || word.equals("--")) {
                throw new UsageException("unexpected argument '" + word + "'");
            }
            String name = word.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = known.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name);
            }
            String value;
            if (!option.takesValue()) {
                if (inlineValue != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "";
            } else if (inlineValue != null) {
                value = inlineValue;
            } else {
                boolean missing = i + 1 >= words.size() || isOptionOf(known, words.get(i + 1));
                if (missing) {
                    throw new UsageException("--" + name + " needs a value (" + option.valueName() + ")");
                }
                value = words.get(++i);
            }
            List<String> list = args.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                throw new UsageException("--" + name + " is given more than once");
            }
            list.add(value);
        }
        return args;
    }

    private static boolean isOptionOf(Map<String, Option> known, String word) {
        if (!word.startsWith("--")) {
            return false;
        }
        String name = word.substring(2);
        int eq = name.indexOf('=');
        return known.containsKey(eq >= 0 ? name.substring(0, eq) : name);
    }

    public String command() {
        return command;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of an option given once, or null when absent. */
    public String get(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.getFirst();
    }

    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    /** Every value of a repeatable option, in order (empty when absent). */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public String require(String name, String valueName) {
        String value = get(name);
        if (value == null) {
            throw new UsageException("missing --" + name + " " + valueName);
        }
        return value;
    }

    public Path requirePath(String name, String valueName) {
        return toPath(name, require(name, valueName));
    }

    public Path path(String name) {
        String value = get(name);
        return value == null ? null : toPath(name, value);
    }

    private static Path toPath(String name, String value) {
        if (value.isEmpty()) {
            throw new UsageException("--" + name + " needs a non-empty path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--" + name + " '" + value + "' is not a valid path");
        }
    }

    /** An integer option in [min, max], or {@code fallback} when absent. */
    public int intValue(String name, int fallback, int min, int max) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        long parsed = parseLong(name, value);
        if (parsed < min || parsed > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + value);
        }
        return (int) parsed;
    }

    /** An integer option of any value, or {@code fallback} when absent. */
    public int intValue(String name, int fallback) {
        return intValue(name, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longValue(String name, long fallback) {
        String value = get(name);
        return value == null ? fallback : parseLong(name, value);
    }

    /** A decimal number option, or {@code fallback} when absent. */
    public float floatValue(String name, float fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim().replace("_", "")); // 20_000 reads as in Java
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    /** A comma- or space-separated list of token ids such as "1,2,3" ({@link TokenIds}), or null when absent. */
    public int[] intList(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        int[] ids;
        try {
            ids = TokenIds.parse(value, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
        if (ids.length == 0) {
            throw new UsageException("--" + name + " needs at least one id, e.g. --" + name + " 1,2,3");
        }
        return ids;
    }
}
