package dev.headlight.analysis;

import dev.headlight.engine.Model;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.SafetensorsWriter;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * relative_change against direct computations written here from the Hugging Face layouts (not from the engine's
 * placement): pairs in which only a few heads' slices were scaled by known factors, and two real checkpoints.
 */
class WeightChangeTest {
    private static final double TOLERANCE = 1e-5;

    /**
     * One scaled slice: {@code rows} says whether [from, to) indexes rows or columns of the stored matrix; the
     * slice's relative change is then exactly |factor - 1|.
     */
    record Edit(String tensor, int head, String slice, boolean rows, int from, int to, float factor) {
    }

    @Test
    void conv1dFusedGpt2() throws IOException {
        checkEdited("gpt2-tiny", List.of(
                new Edit("transformer.h.1.attn.c_attn.weight", 2, "k", false, 64 + 32, 64 + 48, 1.5f),
                new Edit("transformer.h.0.attn.c_proj.weight", 0, "o", true, 0, 16, 0.9f)));
    }

    @Test
    void separateLinearWithGroupedQueryAttention() throws IOException {
        checkEdited("llama-tiny", List.of(
                new Edit("model.layers.2.self_attn.k_proj.weight", 1, "k", true, 16, 32, 1.25f),
                new Edit("model.layers.1.self_attn.q_proj.weight", 1, "q", true, 16, 32, 2.0f),
                new Edit("model.layers.0.self_attn.o_proj.weight", 3, "o", false, 48, 64, 0.5f)));
    }

    @Test
    void perHeadFusedNeoX() throws IOException {
        // query_key_value rows: [head 0: q k v | head 1: q k v | ...], 16 rows each
        checkEdited("gpt-neox-tiny", List.of(
                new Edit("gpt_neox.layers.1.attention.query_key_value.weight", 2, "v", true, 2 * 48 + 32, 3 * 48,
                        1.1f)));
    }

    @Test
    void blockFusedLinearPhi3() throws IOException {
        checkEdited("phi3-tiny", List.of(
                new Edit("model.layers.1.self_attn.qkv_proj.weight", 3, "q", true, 48, 64, 0.75f),
                new Edit("model.layers.1.self_attn.qkv_proj.weight", 0, "v", true, 128, 144, 1.3f)));
    }

    /** Two real checkpoints of the induction sample, every tensor and head slice against a direct computation. */
    @Test
    void realCheckpointsMatchADirectComputation() {
        Path a = Path.of("sample-models/induction-2l/step-000100");
        Path b = Path.of("sample-models/induction-2l/step-000200");
        List<WeightChange.Change> changes;
        try (Model ma = Model.open(a); Model mb = Model.open(b)) {
            changes = WeightChange.between(ma, mb);
        }
        Map<String, Double> direct = directGpt2(a.resolve("model.safetensors"), b.resolve("model.safetensors"), 2, 16);
        int sliceCount = 0;
        for (WeightChange.Change c : changes) {
            Double expected = direct.get(key(c.name(), c.head(), c.slice()));
            assertTrue(expected != null, "no direct value for " + key(c.name(), c.head(), c.slice()));
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(c.relativeChange()), c.toString());
            } else {
                assertEquals(expected, c.relativeChange(), TOLERANCE * Math.max(1, expected), c.toString());
            }
            sliceCount += c.isSlice() ? 1 : 0;
        }
        assertEquals(2 * (6 + 6 + 2), sliceCount); // per layer: c_attn weight and bias q/k/v × 2 heads, c_proj o × 2
        assertEquals(direct.size(), changes.size());
    }

    @Test
    void refusesModelsThatDifferNamingWhat() {
        try (Model a = Model.open(Path.of("sample-models/induction-2l"));
             Model b = Model.open(Path.of("sample-models/tiny-lm"));
             Model c = Model.open(Fixtures.model("llama-tiny"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightChange.between(a, b));
            assertTrue(e.getMessage().contains("attention heads differs (A 2, B 4)"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            e = assertThrows(IllegalArgumentException.class, () -> WeightChange.between(c, a));
            assertTrue(e.getMessage().contains("family differs (A llama, B gpt2)"), e.getMessage());
        }
    }

    private void checkEdited(String fixture, List<Edit> edits) throws IOException {
        Path a = Fixtures.model(fixture);
        Path b = tmp.resolve(fixture);
        writeEditedCopy(a, b, edits);
        List<WeightChange.Change> changes;
        try (Model ma = Model.open(a); Model mb = Model.open(b)) {
            changes = WeightChange.between(ma, mb);
        }
        Map<String, Double> tensorDirect = directTensors(a, b);
        int editedSlices = 0;
        for (WeightChange.Change c : changes) {
            if (!c.isSlice()) {
                assertEquals(tensorDirect.get(c.name()), c.relativeChange(), TOLERANCE, c.toString());
                continue;
            }
            Edit edit = edits.stream().filter(e -> e.tensor().equals(c.name()) && e.head() == c.head()
                    && e.slice().equals(c.slice())).findFirst().orElse(null);
            if (edit == null) {
                assertEquals(0.0, c.relativeChange(), c.toString()); // exactly: those bytes are equal
            } else {
                assertEquals(Math.abs(edit.factor() - 1), c.relativeChange(), TOLERANCE, c.toString());
                editedSlices++;
            }
        }
        assertEquals(edits.size(), editedSlices);
        for (Edit e : edits) {
            assertTrue(tensorDirect.get(e.tensor()) > 0, e.tensor());
        }
    }

    @TempDir
    Path tmp;

    /** Copies a fixture folder, rewriting model.safetensors (float32) with the edited slices scaled. */
    private static void writeEditedCopy(Path from, Path to, List<Edit> edits) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().endsWith(".safetensors")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        SafetensorsWriter writer = new SafetensorsWriter();
        try (TensorStore store = TensorStore.open(from)) {
            for (String name : store.names()) {
                Tensor t = store.tensor(name);
                float[] v = t.toFloats();
                long cols = t.rank() == 2 ? t.dim(1) : 1;
                for (Edit e : edits) {
                    if (!e.tensor().equals(name)) {
                        continue;
                    }
                    for (int k = 0; k < v.length; k++) {
                        long index = e.rows() ? k / cols : k % cols;
                        if (index >= e.from() && index < e.to()) {
                            v[k] *= e.factor();
                        }
                    }
                }
                writer.addFloat32(name, v, t.shape());
            }
        }
        writer.write(to.resolve("model.safetensors"));
    }

    /** ||b - a|| / ||a|| of every tensor of two folders. */
    private static Map<String, Double> directTensors(Path a, Path b) {
        Map<String, Double> out = new HashMap<>();
        try (TensorStore sa = TensorStore.open(a); TensorStore sb = TensorStore.open(b)) {
            for (String name : sa.names()) {
                float[] va = sa.tensor(name).toFloats();
                float[] vb = sb.tensor(name).toFloats();
                double num = 0;
                double den = 0;
                for (int k = 0; k < va.length; k++) {
                    double d = (double) vb[k] - va[k];
                    num += d * d;
                    den += (double) va[k] * va[k];
                }
                out.put(name, relative(num, den));
            }
        }
        return out;
    }

    /** Every tensor and GPT-2 head slice (c_attn [d][3d] column blocks, c_attn.bias entries, c_proj rows). */
    private static Map<String, Double> directGpt2(Path fileA, Path fileB, int heads, int hd) {
        Map<String, Double> out = new HashMap<>();
        try (SafetensorsFile a = SafetensorsFile.open(fileA); SafetensorsFile b = SafetensorsFile.open(fileB)) {
            for (String name : a.tensorInfos().keySet()) {
                Tensor ta = a.tensor(name);
                float[] va = ta.toFloats();
                float[] vb = b.tensor(name).toFloats();
                out.put(key(name, -1, null), relativeOver(va, vb, k -> true));
                int d = heads * hd;
                String[] parts = {"q", "k", "v"};
                if (name.endsWith("attn.c_attn.weight") || name.endsWith("attn.c_attn.bias")) {
                    for (int part = 0; part < 3; part++) {
                        for (int h = 0; h < heads; h++) {
                            int from = part * d + h * hd;
                            out.put(key(name, h, parts[part]),
                                    relativeOver(va, vb, k -> k % (3 * d) >= from && k % (3 * d) < from + hd));
                        }
                    }
                } else if (name.endsWith("attn.c_proj.weight")) {
                    for (int h = 0; h < heads; h++) {
                        int row0 = h * hd;
                        out.put(key(name, h, "o"), relativeOver(va, vb, k -> k / d >= row0 && k / d < row0 + hd));
                    }
                }
            }
        }
        return out;
    }

    private static double relativeOver(float[] a, float[] b, java.util.function.IntPredicate in) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < a.length; k++) {
            if (in.test(k)) {
                double d = (double) b[k] - a[k];
                num += d * d;
                den += (double) a[k] * a[k];
            }
        }
        return relative(num, den);
    }

    private static double relative(double diffSquares, double squares) {
        if (diffSquares == 0) {
            return 0;
        }
        return squares == 0 ? Double.NaN : Math.sqrt(diffSquares) / Math.sqrt(squares);
    }

    private static String key(String name, int head, String slice) {
        return name + "/" + head + "/" + slice;
    }
}
