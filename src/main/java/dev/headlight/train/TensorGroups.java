package dev.headlight.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recorded quantities of {@link WeightRecords} summed into tensor groups per layer: embeddings, attention Q, K,
 * V, O, MLP in, MLP out and norms. A group's norm at a step is sqrt(sum of the squared norms of its quantities):
 * the Frobenius norm of the group's parameters taken together. Each parameter counts once: a tensor recorded with
 * head slices counts through its slices (c_attn's q/k/v columns and bias entries, c_proj's o rows), a tensor
 * without slices as a whole (c_proj's bias goes to O). The groups therefore split the whole update: their squared
 * norms add up to the squared norm of the step's full update.
 */
public final class TensorGroups {
    /** The groups, in the order charts show them. */
    public enum Group {
        EMBEDDINGS("Embeddings", "embed"), Q("Attention W_Q", "W_Q"), K("Attention W_K", "W_K"),
        V("Attention W_V", "W_V"), O("Attention W_O", "W_O"), MLP_IN("MLP in", "MLP in"),
        MLP_OUT("MLP out", "MLP out"), NORMS("Norms", "norms");

        private final String label;
        private final String shortLabel;

        Group(String label, String shortLabel) {
            this.label = label;
            this.shortLabel = shortLabel;
        }

        public String label() {
            return label;
        }

        /** For legends: "W_Q", "MLP in". */
        public String shortLabel() {
            return shortLabel;
        }
    }

    /** One curve: a group within one layer ({@code layer} -1 outside the layer stack: embeddings, final norm). */
    public record Key(Group group, int layer) {
        /** "L1", or "embeddings" / "final" outside the layer stack. */
        public String layerLabel() {
            return layer >= 0 ? "L" + layer : group == Group.EMBEDDINGS ? "wte+wpe" : "final";
        }
    }

    private final List<Key> keys;
    private final int[] keyOfQuantity; // [quantity] -> index into keys, -1 when counted through its slices

    private TensorGroups(List<Key> keys, int[] keyOfQuantity) {
        this.keys = List.copyOf(keys);
        this.keyOfQuantity = keyOfQuantity;
    }

    /** The groups of {@code quantities} (in {@link WeightRecords#quantities()} order). */
    public static TensorGroups of(List<WeightRecords.Quantity> quantities) {
        Set<String> sliced = new HashSet<>();
        for (WeightRecords.Quantity q : quantities) {
            if (q.isSlice()) {
                sliced.add(q.name());
            }
        }
        Map<Key, Integer> index = new LinkedHashMap<>();
        int[] keyOf = new int[quantities.size()];
        List<Key> found = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            WeightRecords.Quantity q = quantities.get(i);
            Group g = q.isSlice() || !sliced.contains(q.name()) ? groupOf(q) : null;
            if (g == null) {
                keyOf[i] = -1;
                continue;
            }
            Key key = new Key(g, q.layer());
            keyOf[i] = index.computeIfAbsent(key, k -> {
                found.add(k);
                return found.size() - 1;
            });
        }
        // charts list group by group, layers in order: re-index to that order
        List<Key> sorted = new ArrayList<>(found);
        // layers in order, the parts outside the layer stack (embeddings, final norm) after them
        sorted.sort((a, b) -> a.group() != b.group() ? a.group().compareTo(b.group())
                : Integer.compare(a.layer() < 0 ? Integer.MAX_VALUE : a.layer(),
                b.layer() < 0 ? Integer.MAX_VALUE : b.layer()));
        int[] remap = new int[found.size()];
        for (int k = 0; k < found.size(); k++) {
            remap[k] = sorted.indexOf(found.get(k));
        }
        for (int i = 0; i < keyOf.length; i++) {
            keyOf[i] = keyOf[i] < 0 ? -1 : remap[keyOf[i]];
        }
        return new TensorGroups(sorted, keyOf);
    }

    /** The group of a quantity by its engine role (and slice), or null for a role no group covers. */
    static Group groupOf(WeightRecords.Quantity q) {
        if (q.isSlice()) {
            return switch (q.slice()) {
                case "q" -> Group.Q;
                case "k" -> Group.K;
                case "v" -> Group.V;
                case "o" -> Group.O;
                default -> null;
            };
        }
        String c = q.component();
        if (c.startsWith("embed.")) {
            return Group.EMBEDDINGS;
        }
        if (c.startsWith("attn.o")) {
            return Group.O;
        }
        if (c.startsWith("attn.q")) {
            return Group.Q;
        }
        if (c.startsWith("attn.k")) {
            return Group.K;
        }
        if (c.startsWith("attn.v")) {
            return Group.V;
        }
        if (c.startsWith("mlp.up") || c.startsWith("mlp.gate")) {
            return Group.MLP_IN;
        }
        if (c.startsWith("mlp.down")) {
            return Group.MLP_OUT;
        }
        if (c.startsWith("norm.") || c.startsWith("final_norm")) {
            return Group.NORMS;
        }
        return null;
    }

    /** The curves, group by group and layer by layer within a group (outside the layer stack last). */
    public List<Key> keys() {
        return keys;
    }

    /** The keys of one group. */
    public List<Key> keys(Group group) {
        return keys.stream().filter(k -> k.group() == group).toList();
    }

    /** Every group that has a key. */
    public List<Group> groups() {
        return keys.stream().map(Key::group).distinct().toList();
    }

    /** Per key the group norm of one record's per-quantity norms: {@code // [key]}. */
    public double[] norms(float[] perQuantity) {
        double[] out = new double[keys.size()];
        for (int i = 0; i < keyOfQuantity.length; i++) {
            if (keyOfQuantity[i] >= 0) {
                double v = perQuantity[i];
                out[keyOfQuantity[i]] += v * v;
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.sqrt(out[k]);
        }
        return out;
    }

    /**
     * Every record's group norms: the update norms, or the gradient norms with {@code gradient}.
     * {@code // [record][key]}
     */
    public double[][] norms(List<WeightRecords.Record> records, boolean gradient) {
        double[][] out = new double[records.size()][];
        for (int r = 0; r < records.size(); r++) {
            WeightRecords.Record rec = records.get(r);
            out[r] = norms(gradient ? rec.gradientNorm() : rec.updateNorm());
        }
        return out;
    }
}
