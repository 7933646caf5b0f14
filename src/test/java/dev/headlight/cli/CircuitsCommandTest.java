package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.engine.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitsCommandTest {
    @TempDir
    Path temp;

    static Set<String> keys(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void writesTheIssuesLayoutWithEveryPairAndTheScoresOfTheAnalysis() throws IOException {
        Path json = temp.resolve("circuits.json");
        String folder = FixtureFiles.model("llama-tiny").toString();
        CliRunner r = CliRunner.run("circuits", "--model", folder, "--top", "2", "--json", json.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(Set.of("conventions", "heads", "composition"), keys(root));
        assertTrue(root.get("conventions").get("copying").asText().contains("W_O W_U W_E W_V"));
        try (Model model = Model.open(Path.of(folder))) {
            HeadCircuits c = HeadCircuits.of(model);
            int layers = c.layers();
            int heads = c.heads();
            assertEquals(layers * heads, root.get("heads").size());
            for (JsonNode h : root.get("heads")) {
                assertEquals(Set.of("layer", "head", "copying", "ov_role", "positional_offset", "ov_top"), keys(h));
                int l = h.get("layer").asInt();
                int head = h.get("head").asInt();
                assertEquals(c.copying(l, head).score().orElseThrow(), h.get("copying").asDouble(), 1e-12);
                assertEquals(2, h.get("ov_top").size());
                JsonNode first = h.get("ov_top").get(0);
                assertEquals(Set.of("in", "out", "sigma"), keys(first));
                assertEquals(2, first.get("in").size());
                assertEquals(c.ovSingularValues(l, head)[0], first.get("sigma").asDouble(), 1e-9);
            }
            assertEquals(layers * (layers - 1) / 2 * heads * heads, root.get("composition").size());
            HeadCircuits.Composition[][][][] all = c.compositionAll(null, null);
            for (JsonNode p : root.get("composition")) {
                assertEquals(Set.of("from", "to", "q", "k", "v"), keys(p));
                HeadCircuits.Composition s = all[p.get("from").get(0).asInt()][p.get("from").get(1).asInt()]
                        [p.get("to").get(0).asInt()][p.get("to").get(1).asInt()];
                assertTrue(p.get("from").get(0).asInt() < p.get("to").get(0).asInt());
                assertEquals(s.q().orElseThrow(), p.get("q").asDouble(), 1e-12);
                assertEquals(s.k().orElseThrow(), p.get("k").asDouble(), 1e-12);
                assertEquals(s.v().orElseThrow(), p.get("v").asDouble(), 1e-12);
            }
        }
    }

    @Test
    void bertHasCompositionButNullCopying() throws IOException {
        Path json = temp.resolve("bert.json");
        CliRunner r = CliRunner.run("circuits", "--model", FixtureFiles.model("bert-tiny").toString(), "--json",
                json.toString());
        assertEquals(0, r.status(), r.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (JsonNode h : root.get("heads")) {
            assertTrue(h.get("copying").isNull());
            assertTrue(h.get("ov_role").isNull());
            assertEquals(0, h.get("ov_top").size());
        }
        assertTrue(root.get("composition").get(0).get("k").isNumber());
        assertTrue(r.out().contains("no linear unembedding"), r.out());
    }

    @Test
    void helpStatesTheConventions() {
        CliRunner r = CliRunner.run("circuits", "--help");
        assertEquals(0, r.status(), r.toString());
        for (String needle : List.of("W_Q, W_K, W_V [d_model, d_head]", "W_O W_U W_E W_V", "||A B||_F",
                "(1 + w)", "rotary", "1e-9", "--top N")) {
            assertTrue(r.out().contains(needle), needle + " in\n" + r.out());
        }
    }
}
