package dev.headlight.cli;

import dev.headlight.format.ErrorMessages;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** Argument parsing, token lookup and JSON output shared by the heads, ablate, patch and dla commands. */
final class AnalysisCommandSupport {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AnalysisCommandSupport() {
    }

    /** A usage problem: reported with the command's usage line, exit status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** "--name value" options and "--flag" switches. */
    static final class Options {
        private final Map<String, String> values = new HashMap<>();
        private final Set<String> flags = new HashSet<>();

        static Options parse(String[] args, Set<String> valued, Set<String> switches) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (switches.contains(a)) {
                    o.flags.add(a);
                } else if (valued.contains(a)) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(a + " needs a value");
                    }
                    o.values.put(a, args[++i]);
                } else {
                    throw new UsageException("unknown argument " + a);
                }
            }
            return o;
        }

        String required(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new UsageException(name + " is required");
            }
            return v;
        }

        String get(String name) {
            return values.get(name);
        }

        boolean has(String name) {
            return values.containsKey(name) || flags.contains(name);
        }

        int intValue(String name, int fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + " needs an integer, not \"" + v + "\"");
            }
        }

        long longValue(String name, long fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + " needs an integer, not \"" + v + "\"");
            }
        }
    }

    /** "1,2,3" -> ids, each checked against the vocabulary. */
    static int[] parseIds(String text, int vocab) {
        String[] parts = text.split("[,\\s]+");
        int[] ids = new int[parts.length];
        int n = 0;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                ids[n] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new UsageException("--ids needs comma-separated integers, not \"" + part + "\"");
            }
            if (ids[n] < 0 || ids[n] >= vocab) {
                throw new UsageException("id " + ids[n] + " is outside the vocabulary of " + vocab);
            }
            n++;
        }
        if (n == 0) {
            throw new UsageException("--ids is empty");
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /**
     * Encodes a prompt with the tokenizer's special tokens; refuses an empty encoding. A model folder without
     * tokenizer.json reads the prompt as comma-separated token ids.
     */
    static int[] encode(Model model, String text) {
        if (!model.hasTokenizer()) {
            return parseIds(text, model.info().vocab());
        }
        int[] ids = model.tokenizer().encode(text).ids();
        if (ids.length == 0) {
            throw new UsageException("the prompt encodes to no tokens");
        }
        return ids;
    }

    /**
     * A token named on the command line: "#123" is an id; otherwise an exact vocabulary string (e.g. "ĠParis"),
     * otherwise a text that encodes (without special tokens) to exactly one token (e.g. " Paris").
     */
    static int resolveToken(Model model, String text, String option) {
        try {
            return dev.headlight.analysis.TokenChoice.resolve(model, text, option);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static ObjectNode tokenNode(Model model, int id) {
        ObjectNode node = JSON.objectNode();
        node.put("id", id);
        node.put("token", model.hasTokenizer() ? model.tokenizer().idToToken(id) : null);
        return node;
    }

    static ArrayNode ints(int[] values) {
        ArrayNode a = JSON.arrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    static ArrayNode tokens(Model model, int[] ids) {
        ArrayNode a = JSON.arrayNode();
        for (int id : ids) {
            if (model.hasTokenizer()) {
                a.add(model.tokenizer().idToToken(id));
            } else {
                a.addNull();
            }
        }
        return a;
    }

    static ArrayNode matrix(double[][] values) {
        ArrayNode a = JSON.arrayNode();
        for (double[] row : values) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                addNumber(r, v);
            }
        }
        return a;
    }

    static void addNumber(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    static void put(ObjectNode node, String key, OptionalDouble v) {
        if (v.isPresent()) {
            node.put(key, v.getAsDouble());
        } else {
            node.putNull(key);
        }
    }

    static ObjectNode modelNode(Model model) {
        ObjectNode node = JSON.objectNode();
        node.put("folder", model.info().folder().toString());
        node.put("family", model.info().family());
        node.put("architecture", model.info().architecture());
        node.put("layers", model.info().layers());
        node.put("heads", model.info().heads());
        node.put("causal", model.info().causal());
        return node;
    }

    /** Writes {@code root} to FILE, or to {@code out} when FILE is "-". */
    static void write(ObjectNode root, String file, PrintStream out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = mapper.writeValueAsString(root);
        if (file.equals("-")) {
            out.println(text);
        } else {
            Path path = Path.of(file);
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(path, text + "\n");
        }
    }

    /** Runs a command body, turning failures into a one-line message and an exit status. */
    static int guard(String command, String usage, PrintStream err, Body body) {
        try {
            return body.run();
        } catch (UsageException e) {
            err.println("headlight " + command + ": " + e.getMessage());
            err.println("usage: " + usage);
            return 2;
        } catch (IOException e) {
            err.println("headlight " + command + ": cannot write output: " + ErrorMessages.describe(e));
            return 1;
        } catch (RuntimeException e) {
            err.println("headlight " + command + ": " + ErrorMessages.describe(e));
            return 1;
        }
    }

    @FunctionalInterface
    interface Body {
        int run() throws IOException;
    }

    static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }
}
