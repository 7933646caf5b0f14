package dev.headlight.ui.qk;

import static dev.headlight.ui.ScreenshotWindows.snap;
import dev.headlight.ui.FxTestSupport;
import dev.headlight.ui.ScreenshotWindows;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.shell.MainWindow;
import javafx.application.Platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Renders the q·k tab and the weights view's "from the file to the number" headless, for the README:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.qk.QkScreenshotTool MODEL OUT_DIR
 * LAYER HEAD QUERY [dark]}. The key is the query's strongest one in that head. Writes qk-view.png and
 * weights-bits.png.
 */
public final class QkScreenshotTool {
    private QkScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        int layer = Integer.parseInt(args[2]);
        int head = Integer.parseInt(args[3]);
        int query = Integer.parseInt(args[4]);
        boolean dark = args.length > 5 && args[5].equals("dark");
        ScreenshotWindows.startToolkit();
        MainWindow[] window = new MainWindow[1];
        window[0] = ScreenshotWindows.open(model, "headlight-qk-screenshots", dark, SampleModels.examplePrompt(model),
                1440, 900);
        ExplorerViewModel vm = window[0].explorer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
        while (System.nanoTime() < deadline && (vm.analysis() == null || onFx(vm::isBusy)
                || window[0].parts().views().weights().viewModel().treeProperty().get().model() == null)) {
            Thread.sleep(200);
        }
        if (vm.analysis() == null) {
            throw new IllegalStateException("no analysis: " + vm.tasks().errors().messageProperty().get());
        }
        onFx(() -> {
            var a = vm.analysis();
            int key = QkViewModel.strongestKey(a.trace(), layer, head, query);
            vm.selection().selectHead(layer, head);
            vm.selection().queryProperty().set(query);
            vm.selection().keyProperty().set(key);
            window[0].selectTab(window[0].parts().qkPanel().tab());
        });
        Thread.sleep(1500);
        snap(window[0], out.resolve("qk-view.png"));
        onFx(() -> {
            var tree = FxTestSupport.weightsTree(window[0]);
            window[0].parts().tabs().getTabs().stream().filter(t -> t.getContent() == window[0].parts().views().weights())
                    .findFirst().ifPresent(window[0]::selectTab);
            var layer0 = tree.getRoot().getChildren().stream().filter(i -> i.getValue().label().equals("Layer " + layer))
                    .findFirst().orElseThrow();
            layer0.setExpanded(true);
            var attention = layer0.getChildren().stream().filter(i -> i.getValue().label().equals("Attention"))
                    .findFirst().orElseThrow();
            attention.setExpanded(true);
            var cAttn = attention.getChildren().stream().filter(i -> i.getValue().label().endsWith("c_attn.weight"))
                    .findFirst().orElseThrow();
            tree.getSelectionModel().select(cAttn);
        });
        Thread.sleep(1500);
        onFx(() -> {
            var weights = window[0].parts().views().weights().viewModel();
            var h = weights.highlights().get(1); // the head's K slice
            weights.selectElement(5, h.from() + 3);
            var scroll = (javafx.scene.control.ScrollPane) window[0].parts().views().weights().getItems().get(1);
            scroll.setVvalue(scroll.getVmax() * 0.62);
        });
        Thread.sleep(800);
        snap(window[0], out.resolve("weights-bits.png"));
        onFx(() -> window[0].stage().close());
        Platform.exit();
        System.exit(0);
    }

}
