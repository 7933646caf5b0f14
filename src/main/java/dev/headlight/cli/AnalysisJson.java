package dev.headlight.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.engine.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** The JSON shapes the heads, ablate, patch and dla commands share: model, ids, tokens, matrices. */
final class AnalysisJson {
    private AnalysisJson() {
    }

    static ObjectNode tokenNode(Model model, int id) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("token", model.hasTokenizer() ? model.tokenizer().idToToken(id) : null);
        return node;
    }

    static ArrayNode ints(int[] values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    static ArrayNode tokens(Model model, int[] ids) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int id : ids) {
            if (model.hasTokenizer()) {
                a.add(model.tokenizer().idToToken(id));
            } else {
                a.addNull();
            }
        }
        return a;
    }

    /** [row][column], null for a value that is not finite. */
    static ArrayNode matrix(double[][] values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (double[] row : values) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                if (Double.isFinite(v)) {
                    r.add(v);
                } else {
                    r.addNull();
                }
            }
        }
        return a;
    }

    static void put(ObjectNode node, String key, OptionalDouble v) {
        if (v.isPresent()) {
            node.put(key, v.getAsDouble());
        } else {
            node.putNull(key);
        }
    }

    static ObjectNode modelNode(Model model) {
        ObjectNode node = Json.object();
        node.put("folder", model.info().folder().toString());
        node.put("family", model.info().family());
        node.put("architecture", model.info().architecture());
        node.put("layers", model.info().layers());
        node.put("heads", model.info().heads());
        node.put("causal", model.info().causal());
        return node;
    }

    /** A model's JSON with its prompt: {"model": ..., "ids": [...], "tokens": [...]}. */
    static ObjectNode withPrompt(Model model, int[] ids) {
        ObjectNode root = Json.object();
        root.set("model", modelNode(model));
        root.set("ids", ints(ids));
        root.set("tokens", tokens(model, ids));
        return root;
    }

    /** Writes {@code root}, indented, to FILE, or to {@code out} when FILE is "-". */
    static void write(ObjectNode root, String file, PrintStream out) throws IOException {
        String text = Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
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
}
