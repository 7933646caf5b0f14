package dev.headlight.library;

import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.format.safetensors.TensorInfo;

import dev.headlight.analysis.TensorStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's architecture as a tree built from {@link Model#tensorMap()}: embeddings; each layer with its
 * attention (per-tensor and per-head Q/K/V/O slices), MLP and norms; final norm; unembedding. JavaFX-free.
 */
public final class WeightTree {

    /** One stored tensor, or one head's slice of it (slice null = the whole tensor). */
    public record Part(TensorPlacement placement, TensorInfo info, TensorPlacement.HeadSlice slice) {
        public String describeSlice() {
            return slice == null ? "whole tensor" : slice.describe(placement.tensorName());
        }

        /** Elements covered: the whole tensor or the head's slice of it. */
        public long elements() {
            if (slice == null) {
                return info.elementCount();
            }
            long rows = info.rank() == 0 ? 1 : info.shape()[0];
            long cols = info.rank() <= 1 ? 1 : info.elementCount() / rows;
            long span = slice.to() - slice.from();
            return slice.axis() == TensorPlacement.Axis.ROWS ? span * cols : span * rows;
        }

        /** The rectangle of the stored matrix this part covers. */
        public TensorStatistics.Region region() {
            long rows = info.rank() == 0 ? 1 : info.shape()[0];
            long cols = info.rank() <= 1 ? 1 : info.elementCount() / rows;
            if (slice == null) {
                return new TensorStatistics.Region(0, rows, 0, cols);
            }
            return slice.axis() == TensorPlacement.Axis.ROWS
                    ? new TensorStatistics.Region(slice.from(), slice.to(), 0, cols)
                    : new TensorStatistics.Region(0, rows, slice.from(), slice.to());
        }
    }

    /** A tree node: a label, the parts it stands for (empty for pure groups) and its children. */
    public record Node(String label, List<Part> parts, List<Node> children) {
        Node(String label) {
            this(label, new ArrayList<>(), new ArrayList<>());
        }

        public Node child(String childLabel) {
            for (Node c : children) {
                if (c.label.equals(childLabel)) {
                    return c;
                }
            }
            Node c = new Node(childLabel);
            children.add(c);
            return c;
        }

        /** The same node, not an equal one: a deep comparison of a 1B model's tree is slow (TreeView compares items). */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        public int count() {
            int n = 1;
            for (Node c : children) {
                n += c.count();
            }
            return n;
        }
    }

    private WeightTree() {
    }

    /** "12 tensors · 1.2 MB · 301K values" over the distinct whole tensors at or below {@code node}. */
    public static String summary(Node node) {
        if (!node.parts().isEmpty() && node.parts().stream().allMatch(p -> p.slice() != null)) {
            long values = node.parts().stream().mapToLong(Part::elements).sum();
            int n = node.parts().size();
            return (n == 1 ? "a head's slice" : n + " head slices") + " · "
                    + dev.headlight.engine.ModelInfo.humanCount(values) + " values";
        }
        java.util.Map<String, TensorInfo> tensors = new java.util.LinkedHashMap<>();
        collectTensors(node, tensors);
        long bytes = tensors.values().stream().mapToLong(TensorInfo::byteSize).sum();
        long values = tensors.values().stream().mapToLong(TensorInfo::elementCount).sum();
        return tensors.size() + (tensors.size() == 1 ? " tensor · " : " tensors · ") + HfCacheScanner.humanBytes(bytes)
                + " · " + dev.headlight.engine.ModelInfo.humanCount(values) + " values";
    }

    private static void collectTensors(Node node, java.util.Map<String, TensorInfo> into) {
        for (Part p : node.parts()) {
            into.putIfAbsent(p.info().name(), p.info());
        }
        for (Node c : node.children()) {
            collectTensors(c, into);
        }
    }

    public static Node build(Model model) {
        var info = model.info();
        Node root = new Node(ModelNames.displayName(info.folder()) + " — " + info.architecture());
        Node embeddings = root.child("Embeddings");
        Map<Integer, Node> layers = new LinkedHashMap<>();
        for (int l = 0; l < info.layers(); l++) {
            layers.put(l, root.child("Layer " + l));
        }
        List<TensorPlacement> finals = new ArrayList<>();
        List<TensorPlacement> unembed = new ArrayList<>();
        List<TensorPlacement> other = new ArrayList<>();
        for (TensorPlacement p : model.tensorMap()) {
            Part whole = new Part(p, model.weights().info(p.tensorName()), null);
            String c = p.component();
            if (p.layer() < 0) {
                if (c.startsWith("embed")) {
                    addLeaf(embeddings, whole);
                } else if (c.startsWith("final")) {
                    finals.add(p);
                } else if (c.startsWith("unembed") || c.startsWith("lm_head") || c.startsWith("head")) {
                    unembed.add(p);
                } else {
                    other.add(p);
                }
                continue;
            }
            Node layer = layers.computeIfAbsent(p.layer(), l -> root.child("Layer " + l));
            if (c.startsWith("attn")) {
                Node attention = layer.child("Attention");
                addLeaf(attention, whole);
                for (TensorPlacement.HeadSlice s : p.headSlices()) {
                    Part part = new Part(p, whole.info(), s);
                    for (int head : queryHeadsOf(s, info.heads(), info.kvHeads())) {
                        Node headNode = attention.child("Head " + head);
                        headNode.parts().add(part);
                    }
                }
            } else if (c.startsWith("mlp")) {
                addLeaf(layer.child("MLP"), whole);
            } else if (c.startsWith("norm")) {
                addLeaf(layer.child("Norms"), whole);
            } else {
                addLeaf(layer, whole);
            }
        }
        for (Node layer : layers.values()) {
            Node attention = layer.child("Attention");
            // head nodes after the tensors, in head order; each gets Q/K/V/O leaves
            List<Node> heads = new ArrayList<>(attention.children().stream().filter(n -> n.label().startsWith("Head ")).toList());
            attention.children().removeAll(heads);
            heads.sort((x, y) -> Integer.compare(headNumber(x), headNumber(y)));
            for (Node head : heads) {
                // Q, K, V, O; weights before biases
                head.parts().sort(java.util.Comparator
                        .comparing((Part p) -> "qkvo".indexOf(p.slice().part()))
                        .thenComparing(p -> p.info().name().endsWith("bias")));
                for (Part part : head.parts()) {
                    // the short role first: the full tensor name cut the label off in a narrow tree
                    head.children().add(new Node(shortRole(part),
                            new ArrayList<>(List.of(part)), new ArrayList<>()));
                }
            }
            attention.children().addAll(heads);
            collectParts(layer);
        }
        addGroup(root, "Final norm", finals, model);
        addGroup(root, "Unembedding", unembed, model);
        addGroup(root, "Other tensors", other, model);
        collectParts(embeddings);
        root.children().removeIf(n -> n.children().isEmpty() && n.parts().isEmpty());
        return root;
    }

    /** "Q weight", "K bias": a head slice's part letter and whether it slices a weight or a bias. */
    static String shortRole(Part part) {
        String letter = part.slice().part().toUpperCase(java.util.Locale.ROOT);
        return letter + (part.info().name().endsWith("bias") ? " bias" : " weight");
    }

    /** The full name behind a node's label (tensor name and slice for a one-part leaf; the label otherwise). */
    public static String fullName(Node node) {
        if (node.children().isEmpty() && node.parts().size() == 1) {
            Part p = node.parts().getFirst();
            return p.slice() == null ? p.placement().tensorName() : p.describeSlice();
        }
        return node.label();
    }

    private static int headNumber(Node n) {
        return Integer.parseInt(n.label().substring("Head ".length()));
    }

    /** The query heads that use a slice: itself for Q/O, every head of its group for a K/V kv-head. */
    static List<Integer> queryHeadsOf(TensorPlacement.HeadSlice s, int heads, int kvHeads) {
        boolean kv = s.part().equals("k") || s.part().equals("v");
        if (!kv || kvHeads <= 0 || kvHeads == heads) {
            return List.of(s.head());
        }
        int group = heads / kvHeads;
        List<Integer> out = new ArrayList<>();
        for (int h = s.head() * group; h < (s.head() + 1) * group; h++) {
            out.add(h);
        }
        return out;
    }

    private static void addLeaf(Node parent, Part part) {
        parent.children().add(new Node(part.placement().tensorName(), new ArrayList<>(List.of(part)), new ArrayList<>()));
    }

    private static void addGroup(Node root, String label, List<TensorPlacement> placements, Model model) {
        if (placements.isEmpty()) {
            return;
        }
        Node group = root.child(label);
        for (TensorPlacement p : placements) {
            addLeaf(group, new Part(p, model.weights().info(p.tensorName()), null));
        }
        collectParts(group);
    }

    /** A group node stands for all whole tensors below it. */
    private static void collectParts(Node node) {
        if (!node.parts().isEmpty()) {
            return;
        }
        for (Node c : node.children()) {
            collectParts(c);
            for (Part p : c.parts()) {
                if (p.slice() == null && !node.parts().contains(p)) {
                    node.parts().add(p);
                }
            }
        }
    }
}
