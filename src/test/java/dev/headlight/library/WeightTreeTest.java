package dev.headlight.library;

import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightTreeTest {

    static WeightTree.Node find(WeightTree.Node node, String label) {
        if (node.label().equals(label)) {
            return node;
        }
        for (WeightTree.Node c : node.children()) {
            WeightTree.Node f = find(c, label);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    static void collectNames(WeightTree.Node node, Set<String> into) {
        node.parts().forEach(p -> into.add(p.info().name()));
        node.children().forEach(c -> collectNames(c, into));
    }

    @Test
    void everyTensorAppearsAndHeadsGetTheirSlices() {
        try (Model model = Model.open(Fixtures.model("llama-tiny"))) {
            WeightTree.Node root = WeightTree.build(model);
            Set<String> names = new HashSet<>();
            collectNames(root, names);
            assertEquals(new HashSet<>(model.weights().names()), names);
            for (int l = 0; l < model.info().layers(); l++) {
                WeightTree.Node layer = find(root, "Layer " + l);
                assertNotNull(layer);
                WeightTree.Node attention = find(layer, "Attention");
                assertNotNull(attention);
                for (int h = 0; h < model.info().heads(); h++) {
                    WeightTree.Node head = find(attention, "Head " + h);
                    assertNotNull(head, "layer " + l + " head " + h);
                    Set<String> parts = new HashSet<>();
                    for (WeightTree.Part p : head.parts()) {
                        parts.add(p.slice().part());
                        // the slice stays inside the stored matrix
                        long[] shape = p.info().shape();
                        long axisLength = p.slice().axis() == TensorPlacement.Axis.ROWS ? shape[0] : shape[1];
                        assertTrue(p.slice().to() <= axisLength);
                        assertTrue(p.describeSlice().contains(p.placement().tensorName()));
                    }
                    assertEquals(Set.of("q", "k", "v", "o"), parts, "layer " + l + " head " + h);
                }
            }
            // grouped-query attention: 4 query heads share 2 kv heads, so heads 0 and 1 share K
            WeightTree.Node attention0 = find(find(root, "Layer 0"), "Attention");
            WeightTree.Part k0 = find(attention0, "Head 0").parts().stream().filter(p -> p.slice().part().equals("k")).findFirst().orElseThrow();
            WeightTree.Part k1 = find(attention0, "Head 1").parts().stream().filter(p -> p.slice().part().equals("k")).findFirst().orElseThrow();
            assertEquals(k0.slice(), k1.slice());
            assertFalse(WeightTree.summary(root).isEmpty());
        }
    }

    @Test
    void kvHeadsMapToTheirQueryHeadGroups() {
        TensorPlacement.HeadSlice kv1 = new TensorPlacement.HeadSlice(1, "k", TensorPlacement.Axis.ROWS, 16, 32);
        assertEquals(List.of(2, 3), WeightTree.queryHeadsOf(kv1, 4, 2));
        TensorPlacement.HeadSlice q1 = new TensorPlacement.HeadSlice(1, "q", TensorPlacement.Axis.ROWS, 16, 32);
        assertEquals(List.of(1), WeightTree.queryHeadsOf(q1, 4, 2));
    }
}
