package dev.headlight.ui;

import dev.headlight.analysis.QkCell;
import dev.headlight.library.WeightTree;
import dev.headlight.ui.shell.MainWindow;
import dev.headlight.ui.view.MatrixView;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.TreeItem;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static dev.headlight.ui.FxTestSupport.find;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The q·k tab and the weights view's bits, driven with the robot on the real engine (llama-tiny: rotary and
 * grouped-query attention): a click on a head-view cell takes that cell apart; a click on the k_proj picture
 * shows the clicked element's stored bits, which are the file's.
 */
@ExtendWith(ApplicationExtension.class)
class QkAndBitsWindowTest {
    static final Path LLAMA = Fixtures.model("llama-tiny");
    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-qk-window"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    @Test
    void aClickedCellIsTakenApartAndAClickedWeightShowsItsBits(FxRobot robot) throws Exception {
        window.opening().setFolderChooser(owner -> LLAMA);
        robot.interact(() -> window.parts().openMenuItem().fire());
        waitUntil("the analysis", () -> vm.analysis() != null && !vm.isBusy());
        robot.interact(() -> {
            vm.selection().selectHead(1, 3);
            window.selectTab(window.parts().qkPanel().tab());
        });
        WaitForAsyncUtils.waitForFxEvents();

        // click cell (query 6, key 2) of the head view
        int tokens = vm.analysis().tokens();
        Rectangle2D map = fx(() -> window.parts().views().head().heatmapBounds());
        double side = map.getWidth() / tokens;
        Point2D cell = fx(() -> window.parts().views().head().localToScreen(map.getMinX() + 2.5 * side, map.getMinY() + 6.5 * side));
        robot.clickOn(cell);
        waitUntil("the q·k of cell (6, 2)", () -> {
            QkCell c = window.parts().qkPanel().viewModel().shownProperty().get().cell();
            return c != null && c.query() == 6 && c.key() == 2 && c.head() == 3;
        });
        QkCell shown = fx(() -> window.parts().qkPanel().viewModel().shownProperty().get().cell());
        QkCell expected = QkCell.explain(vm.analysis().model(), vm.analysis().trace(), 1, 3, 6, 2);
        assertEquals(expected.steps(), fx(() -> window.parts().qkPanel().view().stepTexts()));
        assertEquals(vm.analysis().map(1, 3, false)[6 * tokens + 2], shown.probability(), 1e-3);
        assertEquals("model.layers.1.self_attn.k_proj.weight", shown.keyRows().tensor());

        // the weights tab: Layer 1 > Attention > k_proj, then a click on element [20, 5] of its picture
        robot.interact(() -> window.parts().tabs().getTabs().stream()
                .filter(t -> t.getContent() == window.parts().views().weights()).findFirst().ifPresent(window::selectTab));
        waitUntil("the weights tree", () -> window.parts().views().weights().viewModel().treeProperty().get().model() == vm.model());
        String name = "model.layers.1.self_attn.k_proj.weight";
        robot.interact(() -> {
            TreeItem<WeightTree.Node> layer = child(FxTestSupport.weightsTree(window).getRoot(), "Layer 1");
            TreeItem<WeightTree.Node> attention = child(layer, "Attention");
            layer.setExpanded(true);
            attention.setExpanded(true);
            FxTestSupport.weightsTree(window).getSelectionModel().select(child(attention, name));
        });
        waitUntil("the k_proj picture", () -> {
            var p = window.parts().views().weights().viewModel().pictureProperty().get();
            return p != null && p.rows() == 32 && p.cols() == 64;
        });
        robot.interact(() -> find(window.parts().views().weights(), "weights-matrix", MatrixView.class).requestFocus());
        robot.interact(() -> {
            var scroll = (javafx.scene.control.ScrollPane) window.parts().views().weights().getItems().get(1);
            scroll.setVvalue(scroll.getVmax() * 0.5);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Point2D element = fx(() -> find(window.parts().views().weights(), "weights-matrix", MatrixView.class).localToScreen(
                find(window.parts().views().weights(), "weights-matrix", MatrixView.class).elementCenter(20, 5)));
        robot.clickOn(element);
        waitUntil("the element's bits", () -> window.parts().views().weights().viewModel().pickProperty().get().element() != null);
        assertEquals(new WeightsViewModel.Cell(20, 5, 20 * 64 + 5), fx(() ->
                window.parts().views().weights().viewModel().pickProperty().get().cell()));

        // the bits shown are the raw file's: header length, data_offsets, element 20 * 64 + 5 as little-endian f32
        byte[] raw = Files.readAllBytes(LLAMA.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long begin = vm.model().weights().info(name).begin();
        int bits = ByteBuffer.wrap(raw, (int) (8 + n + begin + (20 * 64 + 5) * 4L), 4).order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        String binary = String.format("%32s", Integer.toBinaryString(bits)).replace(' ', '0');
        String expectedBits = binary.charAt(0) + " " + binary.substring(1, 9) + " " + binary.substring(9);
        String shownBits = fx(() -> find(window.parts().views().weights(), "weights-bits", TextFlow.class).getChildren().stream()
                .map(t -> ((Text) t).getText()).collect(Collectors.joining()));
        assertEquals(expectedBits, shownBits);
        assertNotNull(robot.lookup(".bits-exponent").tryQuery().orElse(null));
    }

    private static TreeItem<WeightTree.Node> child(TreeItem<WeightTree.Node> item, String label) {
        return item.getChildren().stream().filter(c -> c.getValue().label().equals(label)).findFirst().orElseThrow();
    }
}
