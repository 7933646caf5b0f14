package dev.headlight.ui;

import static dev.headlight.ui.ScreenshotWindows.snap;
import dev.headlight.ui.shell.MainWindow;
import dev.headlight.library.SampleModels;

import javafx.application.Platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import static dev.headlight.ui.FxTestSupport.onFx;

/**
 * Renders the explorer window headless and saves screenshots, for the README and for looking at the layout:
 * {@code java -Dglass.platform=Headless -Dprism.order=sw -cp ... dev.headlight.ui.ScreenshotTool MODEL OUT_DIR [PROMPT]}.
 * Writes explorer-light.png, explorer-dark.png and one PNG per explorer tab (lens, head map, weights) and theme.
 */
public final class ScreenshotTool {
    private ScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        String prompt = args.length > 2 ? args[2] : SampleModels.examplePrompt(model);
        ScreenshotWindows.startToolkit();
        for (boolean dark : new boolean[]{false, true}) {
            String theme = dark ? "dark" : "light";
            MainWindow[] window = new MainWindow[1];
            window[0] = ScreenshotWindows.open(model, "headlight-screenshots", dark, prompt, 1440, 900);
            ExplorerViewModel vm = window[0].explorer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && (vm.analysis() == null || busy(vm)
                    || window[0].parts().views().weights().viewModel().treeProperty().get().model() == null)) { // the weights tree is built in the background
                Thread.sleep(200);
            }
            if (vm.analysis() == null) {
                throw new IllegalStateException("no analysis: " + vm.tasks().errors().messageProperty().get());
            }
            // the status bar shows the last pass's time: run the prompt again after the JIT has compiled the kernels
            // (the first pass of a fresh JVM is many times slower), as it is once a user has typed a little
            for (int i = 0; i < 3; i++) {
                for (String text : new String[]{prompt.substring(0, 1), prompt}) {
                    onFx(() -> window[0].parts().promptField().setText(text));
                    while (System.nanoTime() < deadline && (busy(vm) || !text.equals(vm.analysis().prompt()))) {
                        Thread.sleep(100);
                    }
                }
            }
            onFx(() -> {
                Analysis a = vm.analysis();
                // show an induction head if there is one, else the clearest previous-token head
                HeadFeatures f = a.headFeatures();
                int best = 0;
                double bestScore = -1;
                int induction = java.util.Arrays.asList(f.featureNames()).indexOf("induction");
                for (int i = 0; i < f.features().length; i++) {
                    double score = f.features()[i][0] + (induction >= 0 ? 2 * f.features()[i][induction] : 0);
                    if (score > bestScore) {
                        bestScore = score;
                        best = i;
                    }
                }
                vm.selection().selectHead(best / a.heads(), best % a.heads());
                vm.selection().queryProperty().set(Math.min(a.tokens() - 1, a.tokens() * 2 / 3));
            });
            Thread.sleep(600);
            snap(window[0], out.resolve("explorer-" + theme + ".png"));
            // by title: the Timeline and the intervention tabs come before these when the folder has checkpoints
            String[][] tabs = {{"Logit lens", "lens"}, {"Head map", "headmap"}, {"Weights", "weights"}};
            for (String[] tab : tabs) {
                onFx(() -> {
                    window[0].parts().tabs().getTabs().stream().filter(x -> x.getText().equals(tab[0])).findFirst()
                            .ifPresent(x -> window[0].parts().tabs().getSelectionModel().select(x));
                    if (tab[1].equals("weights")) {
                        selectFirstQuerySlice(window[0]);
                    }
                });
                Thread.sleep(600);
                snap(window[0], out.resolve("explorer-" + tab[1] + "-" + theme + ".png"));
            }
            onFx(() -> window[0].stage().close());
        }
        Platform.exit();
        System.exit(0);
    }

    /** Expands Layer 0 > Attention > Head 0 and selects its first slice, to show a head's weights. */
    private static void selectFirstQuerySlice(MainWindow window) {
        var tree = FxTestSupport.weightsTree(window);
        var layer = tree.getRoot().getChildren().stream().filter(i -> i.getValue().label().equals("Layer 0"))
                .findFirst().orElseThrow();
        layer.setExpanded(true);
        var attention = layer.getChildren().stream().filter(i -> i.getValue().label().equals("Attention"))
                .findFirst().orElseThrow();
        attention.setExpanded(true);
        var head = attention.getChildren().stream().filter(i -> i.getValue().label().equals("Head 0"))
                .findFirst().orElseThrow();
        head.setExpanded(true);
        tree.getSelectionModel().select(head.getChildren().getFirst());
    }

    private static boolean busy(ExplorerViewModel vm) throws Exception {
        boolean[] b = new boolean[1];
        onFx(() -> b[0] = vm.isBusy());
        return b[0];
    }


}
