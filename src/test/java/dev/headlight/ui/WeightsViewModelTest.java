package dev.headlight.ui;

import dev.headlight.analysis.MatrixPicture;
import dev.headlight.engine.TensorPlacement;
import dev.headlight.format.safetensors.StoredElement;
import dev.headlight.library.WeightTree;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weights panel's view model on a same-thread runner: tree, facts, file offsets, picture, highlights, bits. */
class WeightsViewModelTest {

    private ExplorerViewModel opened(String fixture) {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-weights-vm"));
        ExplorerViewModel vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        vm.promptProperty().set("The cat sat on the mat.");
        vm.openModel(Fixtures.model(fixture));
        assertNotNull(vm.analysis());
        return vm;
    }

    private static WeightTree.Node find(WeightTree.Node node, String label) {
        if (node.label().equals(label)) {
            return node;
        }
        for (WeightTree.Node c : node.children()) {
            WeightTree.Node found = find(c, label);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Test
    void aTensorShowsItsBytesInTheFileAndAnElementsBits() throws IOException {
        ExplorerViewModel vm = opened("llama-tiny");
        WeightsViewModel weights = new WeightsViewModel(vm);
        assertSame(vm.model(), weights.treeProperty().get().model());
        WeightTree.Node root = weights.treeProperty().get().root();
        assertSame(root, weights.nodeProperty().get(), "the root is shown first");
        String name = "model.layers.1.self_attn.k_proj.weight";
        weights.selectNode(find(root, name));
        assertEquals(name, weights.partProperty().get().info().name());
        assertEquals("Tensor", weights.facts().getFirst().name());
        assertEquals(name, weights.facts().getFirst().value());

        // the file's own bytes: header length, then the entry and the data at the reported offsets
        Path file = Fixtures.model("llama-tiny").resolve("model.safetensors");
        byte[] raw = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(fact(weights, "Header length").startsWith(String.format(java.util.Locale.ROOT, "%,d bytes", n)));
        assertTrue(weights.fileEntryProperty().get().header().startsWith("\"" + name + "\": {"),
                weights.fileEntryProperty().get().header());
        assertTrue(new String(raw, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8)
                .contains(weights.fileEntryProperty().get().header().substring(name.length() + 4)));
        long begin = weights.partProperty().get().info().begin();
        assertTrue(fact(weights, "In the file").startsWith(String.format(java.util.Locale.ROOT, "bytes %,d–",
                8 + n + begin)), fact(weights, "In the file"));

        // a 32 x 64 matrix is pictured whole; the selected head's kv-head slice is marked (head 3 -> kv-head 1)
        MatrixPicture picture = weights.pictureProperty().get();
        assertEquals(32, picture.rows());
        assertEquals(64, picture.cols());
        vm.selection().headProperty().set(3);
        assertEquals(1, weights.highlights().size());
        WeightsViewModel.Highlight k1 = weights.highlights().getFirst();
        assertEquals("K1", k1.label());
        assertEquals(TensorPlacement.Axis.ROWS, k1.axis());
        assertEquals(16, k1.from());
        assertEquals(32, k1.to());

        // element [20][5]: its bytes are the file's, its value the engine's
        weights.selectElement(20, 5);
        StoredElement el = weights.pickProperty().get().element();
        long at = 8 + n + begin + (20 * 64 + 5) * 4L;
        assertEquals(at, el.fileOffset());
        float stored = ByteBuffer.wrap(raw, (int) at, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(stored, el.value(), 0);
        assertEquals(stored, vm.model().weights().tensor(name).getFloat(20 * 64 + 5), 0);
        assertEquals(new WeightsViewModel.Cell(20, 5, 20 * 64 + 5), weights.pickProperty().get().cell());
        assertEquals(3, el.groupedBits().split(" \\| ").length);

        // statistics came with the selection (a small tensor)
        assertEquals(32 * 64, weights.statsProperty().get().statistics().count());
        assertTrue(weights.statsProperty().get().text().startsWith("min"));

        // a new part drops the element
        weights.selectNode(find(root, "model.layers.1.self_attn.q_proj.weight"));
        assertNull(weights.pickProperty().get().element());
        assertNull(weights.pickProperty().get().cell());
        assertEquals("Q3", weights.highlights().getFirst().label());
    }

    @Test
    void gpt2sFusedQkvMarksTheHeadsThreeColumnSlicesAndAHeadNodeItsOwnSlice() {
        ExplorerViewModel vm = opened("gpt2-tiny");
        WeightsViewModel weights = new WeightsViewModel(vm);
        WeightTree.Node root = weights.treeProperty().get().root();
        WeightTree.Node cAttn = root.children().stream().filter(c -> c.label().equals("Layer 0")).findFirst()
                .map(l -> find(l, l.children().stream().flatMap(c -> c.children().stream())
                        .map(WeightTree.Node::label).filter(x -> x.endsWith("c_attn.weight")).findFirst()
                        .orElseThrow())).orElseThrow();
        vm.selection().headProperty().set(2);
        weights.selectNode(cAttn);
        assertEquals(java.util.List.of("Q2", "K2", "V2"), weights.highlights().stream()
                .map(WeightsViewModel.Highlight::label).toList());
        assertTrue(weights.highlights().stream().allMatch(h -> h.axis() == TensorPlacement.Axis.COLUMNS));
        assertEquals(64 + 32, weights.highlights().get(1).from());

        WeightTree.Node head1 = find(find(root, "Layer 1"), "Head 1");
        weights.selectNode(head1);
        assertEquals(1, weights.highlights().size());
        assertEquals("Q1", weights.highlights().getFirst().label());
        assertTrue(weights.parts().size() >= 4, "a head node lists its Q/K/V/O parts");
        weights.selectPart(weights.parts().get(weights.parts().size() - 1));
        assertTrue(weights.highlights().getFirst().label().startsWith("O")
                || weights.highlights().getFirst().label().startsWith("V"));
    }

    @Test
    void anotherModelClearsTheOldTree() {
        ExplorerViewModel vm = opened("gpt2-tiny");
        WeightsViewModel weights = new WeightsViewModel(vm);
        WeightTree.Node first = weights.treeProperty().get().root();
        vm.openModel(Fixtures.model("llama-tiny"));
        assertSame(vm.model(), weights.treeProperty().get().model());
        assertTrue(weights.treeProperty().get().root() != first);
        assertTrue(weights.treeProperty().get().root().label().contains("Llama"), weights.treeProperty().get().root().label());
    }

    private static String fact(WeightsViewModel weights, String name) {
        return weights.fileEntryProperty().get().facts().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().value();
    }
}
