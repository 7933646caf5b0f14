package dev.headlight.ui;

import dev.headlight.ui.shell.MainWindow;
import dev.headlight.library.SampleModels;
import dev.headlight.library.ModelNames;
import dev.headlight.library.WeightTree;

import dev.headlight.analysis.LogitLens;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static dev.headlight.ui.FxTestSupport.find;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.headlight.ui.FxTestSupport.fx;
import static dev.headlight.ui.FxTestSupport.waitUntil;

/**
 * The explorer window driven as a user drives it, headless (glass Headless platform, software rendering), on
 * the real engine and the fixture models. The glass robot clicks and types in Headless mode.
 */
@ExtendWith(ApplicationExtension.class)
class ExplorerWindowTest {
    static final Path GPT2 = Fixtures.model("gpt2-tiny");
    static final Path LLAMA = Fixtures.model("llama-tiny");

    private MainWindow window;
    private ExplorerViewModel vm;

    @Start
    void start(Stage stage) {
        window = FxTestSupport.showWindow(stage, FxTestSupport.testNode("-window"), 1280, 860);
        vm = window.explorer();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.shutdown()).get();
    }

    // ---- helpers

    /** File > Open Model Folder… with the native chooser replaced by one that answers {@code folder}. */
    void openThroughFileMenu(FxRobot robot, Path folder) {
        window.opening().setFolderChooser(owner -> folder);
        robot.interact(() -> window.parts().openMenuItem().fire());
    }

    void openAndWait(FxRobot robot, Path folder) throws TimeoutException {
        openThroughFileMenu(robot, folder);
        waitUntil("analysis of " + folder, () -> vm.analysis() != null
                && vm.analysis().model().info().folder().equals(folder.toAbsolutePath().normalize()) && !vm.isBusy());
    }

    static int argbAt(PixelReader reader, double x, double y) {
        return reader.getArgb((int) Math.floor(x), (int) Math.floor(y));
    }

    /** ARGB of a snapshot pixel equals the colour map's colour (one lookup step of slack for float16 rounding). */
    static void assertColour(ColorMap map, AttentionScale scale, double p, int argb, String where) {
        int step = ColorMap.step(scale.normalize(p));
        for (int s = Math.max(0, step - 1); s <= Math.min(255, step + 1); s++) {
            if (map.argb(s / 255.0) == argb) {
                return;
            }
        }
        throw new AssertionError(where + ": pixel " + Integer.toHexString(argb) + " is not the colour of p=" + p
                + " (" + Integer.toHexString(map.argb(scale.normalize(p))) + ")");
    }

    // ---- tests

    @Test
    void startsEmptyAndTheDarkModeToggleSwitchesTheme(FxRobot robot) throws Exception {
        assertTrue(fx(() -> window.parts().emptyState().isVisible()), "empty state with Open Model Folder…");
        assertEquals(null, vm.model());
        robot.interact(() -> vm.darkProperty().set(true));
        assertEquals(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet(),
                javafx.application.Application.getUserAgentStylesheet());
        assertSame(Palette.DARK, window.parts().views().head().paletteProperty().get());
        assertTrue(vm.preferences().darkMode().orElseThrow());
        robot.interact(() -> vm.darkProperty().set(false));
        assertEquals(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet(),
                javafx.application.Application.getUserAgentStylesheet());
        openAndWait(robot, GPT2);
        assertFalse(fx(() -> window.parts().emptyState().isVisible()));
    }

    @Test
    void theHeadMapIsTheMapOfTheHeadsCommand(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        Path json = dir.resolve("heads.json");
        String ids = java.util.Arrays.stream(a.ids()).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        assertEquals(0, dev.headlight.cli.Cli.run(new String[]{"heads", "--model", GPT2.toString(), "--ids", ids,
                "--json", json.toString()}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                System.err));
        var heads = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("heads");
        HeadFeatures shown = a.headFeatures();
        assertEquals(heads.size(), shown.positions().length);
        double span = 0;
        for (var h : heads) {
            span = Math.max(span, Math.hypot(h.get("x").asDouble(), h.get("y").asDouble()));
        }
        assertTrue(span > 0.01, "the fixture's heads are spread out: " + span);
        // the window keeps probabilities in 2 bytes, the command in float32: the maps agree to ~1e-3 of their spread
        for (var h : heads) {
            int k = shown.index(h.get("layer").asInt(), h.get("head").asInt());
            assertEquals(h.get("x").asDouble(), shown.positions()[k][0], 2e-3 * span, "x of head " + k);
            assertEquals(h.get("y").asDouble(), shown.positions()[k][1], 2e-3 * span, "y of head " + k);
        }
        // the kinds are those of 'heads --probe': the same multi-period probe evidence and rules
        Path probed = dir.resolve("heads-probe.json");
        assertEquals(0, dev.headlight.cli.Cli.run(new String[]{"heads", "--model", GPT2.toString(), "--ids", ids,
                "--probe", "--json", probed.toString()}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                System.err));
        for (var h : new com.fasterxml.jackson.databind.ObjectMapper().readTree(probed.toFile()).get("heads")) {
            String kind = h.get("kind").asText();
            String label = h.get("positional_offset").isNull() ? kind
                    : kind + " (offset " + h.get("positional_offset").asInt() + ")";
            assertEquals(label, shown.kind(h.get("layer").asInt(), h.get("head").asInt()));
        }
    }

    @Test
    void openingAFolderAnalysesThePromptWithTheRealEngine(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        Model model = a.model();
        assertArrayEquals(model.tokenizer().encode(SampleModels.EXAMPLE_PROMPT).ids(), a.ids());
        // what the views show is the engine's attention: compare with an exact run
        Trace exact = model.run(a.ids(), RunOptions.exact());
        float[] shown = a.trace().attentions().toFloats();
        float[] expected = exact.attentions().toFloats();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], shown[i], 1e-3, "attention " + i);
        }
        assertEquals(a.tokens(), window.parts().views().tokens().chips().size());
        String status = fx(() -> vm.statusProperty().get());
        assertTrue(status.contains(a.tokens() + " tokens"), status);
        assertTrue(status.contains("gpt2"), status);
        assertTrue(window.stage().getTitle().contains("gpt2-tiny"));
        assertEquals(GPT2.toAbsolutePath().normalize(), vm.preferences().recentFolders().getFirst());
    }

    @Test
    void theBundledSampleOpensWithItsExamplePromptAndShowsItsInductionHead(FxRobot robot) throws Exception {
        Path sample = SampleModels.defaultModel().orElseThrow();
        robot.interact(() -> window.opening().openSample(sample));
        waitUntil("the sample's analysis", () -> vm.analysis() != null && !vm.isBusy());
        Analysis a = vm.analysis();
        assertEquals(SampleModels.examplePrompt(sample), a.prompt());
        assertArrayEquals(a.model().tokenizer().encode(a.prompt()).ids(), a.ids());
        // the trained model's layer-1 heads include one the analysis rules call an induction head
        boolean induction = false;
        for (int h = 0; h < a.heads(); h++) {
            induction |= a.headFeatures().kind(a.layers() - 1, h).equals("induction");
        }
        assertTrue(induction, "an induction head in the last layer");
    }

    @Test
    void charactersTheVocabularyLacksAreMarkedOnTheTokenStripAndInTheStatusBar(FxRobot robot) throws Exception {
        Path sample = Path.of("sample-models/induction-2l").toAbsolutePath().normalize();
        openAndWait(robot, sample);
        String prompt = "The cat sat on the mat.";
        robot.clickOn("#prompt");
        robot.interact(() -> window.parts().promptField().selectAll());
        robot.type(KeyCode.BACK_SPACE);
        robot.write(prompt);
        waitUntil("analysis of the typed prompt", () -> vm.analysis() != null
                && vm.analysis().prompt().equals(prompt) && !vm.isBusy());
        String lost = "not in the vocabulary, dropped: '␣' ×5, '.'";
        assertEquals("⚠ N" + lost.substring(1) + " (no token stands for them)", fx(() -> window.parts().views().tokens()
                .lostNote()));
        assertTrue(fx(() -> vm.statusProperty().get()).contains(lost), fx(() -> vm.statusProperty().get()));
        // a prompt the vocabulary covers has no note
        robot.interact(() -> window.parts().promptField().setText("KQXBWMRTJDFZKQXBWMRTJDFZ"));
        waitUntil("analysis of the covered prompt", () -> vm.analysis() != null
                && vm.analysis().prompt().startsWith("KQX") && !vm.isBusy());
        assertEquals("", fx(() -> window.parts().views().tokens().lostNote()));
        assertFalse(fx(() -> vm.statusProperty().get()).contains("not in the vocabulary"));
    }

    @Test
    void typingUpdatesTheViewsAndTheModelViewPixelsAreTheAttention(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        String prompt = "Hello world. Hello world.";
        robot.clickOn("#prompt");
        robot.interact(() -> window.parts().promptField().selectAll());
        robot.type(KeyCode.BACK_SPACE);
        robot.write(prompt);
        waitUntil("analysis of the typed prompt", () -> vm.analysis() != null
                && vm.analysis().prompt().equals(prompt) && !vm.isBusy());
        Analysis a = vm.analysis();
        assertArrayEquals(a.model().tokenizer().encode(prompt).ids(), a.ids());

        WritableImage snapshot = fx(() -> window.parts().views().model().snapshot(null, null));
        PixelReader pixels = snapshot.getPixelReader();
        int tokens = a.tokens();
        ColorMap map = fx(() -> vm.colorMapProperty().get());
        int checked = 0;
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                int layer = l, head = h;
                Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(layer, head));
                double px = cell.getWidth() / tokens;
                assertTrue(px >= 2, "cells too small to test: " + px);
                float[] attention = a.trace().attentions().head(l, h);
                for (int q = 0; q < tokens; q++) {
                    for (int k = 0; k <= q; k++) {
                        int argb = argbAt(pixels, cell.getMinX() + (k + 0.5) * px, cell.getMinY() + (q + 0.5) * px);
                        assertColour(map, AttentionScale.LINEAR, attention[q * tokens + k], argb,
                                "layer " + l + " head " + h + " q " + q + " k " + k);
                        checked++;
                    }
                }
            }
        }
        assertEquals(a.layers() * a.heads() * tokens * (tokens + 1) / 2, checked);
    }

    @Test
    void typingAtTheEndContinuesThePreviousPassAndShowsWhatAWholePassShows(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        String start = "The cat sat on the mat. The cat";
        robot.interact(() -> window.parts().promptField().setText(start));
        waitUntil("analysis of the first prompt", () -> vm.analysis() != null && vm.analysis().lens() != null
                && vm.analysis().prompt().equals(start) && !vm.isBusy());
        robot.clickOn("#prompt");
        robot.interact(() -> window.parts().promptField().end());
        robot.write(" sat");
        String typed = start + " sat";
        waitUntil("analysis of the typed prompt", () -> vm.analysis() != null && vm.analysis().lens() != null
                && vm.analysis().prompt().equals(typed) && !vm.isBusy());
        Analysis a = vm.analysis();
        int reused = a.trace().reusedTokens();
        assertTrue(reused > 0 && reused < a.tokens(), "positions copied from the previous pass: " + reused);
        String status = fx(() -> vm.statusProperty().get());
        assertTrue(status.contains("(" + (a.tokens() - reused) + " new)"), status);
        // what a whole pass of the same prompt gives: maps (float16 in both), logits and the lens
        Trace whole = a.model().run(a.ids(), RunOptions.display());
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                float[] shown = a.map(l, h, false);
                float[] fresh = whole.attentions().head(l, h);
                for (int i = 0; i < fresh.length; i++) {
                    assertEquals(fresh[i], shown[i], 1e-3f, "layer " + l + " head " + h + " entry " + i);
                }
            }
        }
        for (int i = 0; i < whole.logits().length; i++) {
            assertEquals(whole.logits()[i], a.trace().logits()[i], 1e-4f);
        }
        LogitLens lens = LogitLens.compute(a.model(), whole, LogitLens.DEFAULT_K, null);
        for (int row = 0; row < lens.rows(); row++) {
            for (int t = 0; t < a.tokens(); t++) {
                assertArrayEquals(lens.topIds()[row][t], a.lens().topIds()[row][t], "lens row " + row + " token " + t);
                assertArrayEquals(lens.topProbs()[row][t], a.lens().topProbs()[row][t], 1e-4f);
                assertEquals(lens.targetRank()[row][t], a.lens().targetRank()[row][t]);
            }
        }
    }

    @Test
    void editsWithinTheDebounceRunOnePassAndAPassInFlightIsCancelled(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        int before = fx(() -> vm.passesProperty().get().completed());
        // five edits in one burst: the debounce waits for the last one
        robot.interact(() -> {
            for (String p : new String[]{"a", "ab", "abc", "abcd", "abcde"}) {
                window.parts().promptField().setText(p);
            }
        });
        waitUntil("the burst's analysis", () -> vm.analysis().prompt().equals("abcde") && !vm.isBusy());
        assertEquals(before + 1, fx(() -> vm.passesProperty().get().completed()));
        // an edit while a pass runs cancels it: start a pass, then change the text before it can finish
        int cancelled = fx(() -> vm.passesProperty().get().cancelled());
        java.util.List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> vm.analysisProperty().addListener((o, a, b) -> {
            if (b != null) {
                shown.add(b.prompt());
            }
        }));
        robot.interact(() -> {
            window.parts().promptField().setText("first text of the race");
            vm.analyse(); // starts now, without waiting for the debounce
            window.parts().promptField().setText("second text of the race");
        });
        waitUntil("the second analysis", () -> vm.analysis().prompt().equals("second text of the race") && !vm.isBusy());
        assertTrue(fx(() -> vm.passesProperty().get().cancelled()) > cancelled, "the first pass was cancelled");
        // the pass shows twice, attention first and then with the logit lens, but never the first text's
        assertFalse(shown.isEmpty(), "the second text's pass was shown");
        assertEquals(java.util.Set.of("second text of the race"), new java.util.HashSet<>(shown),
                "only the current text's pass is shown");
        assertNotNull(fx(() -> vm.analysis().lens()), "the finished pass carries the logit lens");
        assertEquals(before + 2, fx(() -> vm.passesProperty().get().completed()), "the first pass never showed");
    }

    @Test
    void anEditAfterAPauseStartsItsPassAtOnceAndABurstWaitsForTheDebounce(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Thread.sleep((long) ExplorerViewModel.DEBOUNCE.toMillis() * 2);
        boolean[] waited = new boolean[3];
        robot.interact(() -> {
            window.parts().promptField().setText(window.parts().promptField().getText() + " x");
            waited[0] = vm.debouncing();
            waited[1] = vm.isBusy();
            window.parts().promptField().setText(window.parts().promptField().getText() + "y");
            waited[2] = vm.debouncing();
        });
        assertFalse(waited[0], "a keystroke after a pause does not wait for the debounce");
        assertTrue(waited[1], "its pass has started");
        assertTrue(waited[2], "the next keystroke right after it waits for the debounce");
        waitUntil("the last edit's analysis", () -> vm.analysis().prompt().endsWith(" xy") && !vm.isBusy());
    }

    @Test
    void clickingAHeadMovesTheHeadViewAndTheLens(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        int layer = a.layers() - 1, head = a.heads() - 1;
        Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(layer, head));
        Point2D onScreen = fx(() -> window.parts().views().model().localToScreen(cell.getMinX() + cell.getWidth() / 2,
                cell.getMinY() + cell.getHeight() / 2));
        robot.clickOn(onScreen);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(layer, vm.selection().layer());
        assertEquals(head, vm.selection().head());
        assertArrayEquals(a.trace().attentions().head(layer, head), fx(() -> window.parts().views().head().shownMap()));
        assertEquals(layer + 1, window.parts().lensViewModel().cellProperty().get().row());

        // click a token chip: it becomes the query everywhere, and the lens lists that position's top-k
        Node chip = window.parts().views().tokens().chips().get(3);
        robot.clickOn(chip);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, vm.selection().query());
        LogitLens lens = a.lens();
        LensViewModel.Row top = fx(() -> window.parts().lensViewModel().sideProperty().get().topK().getFirst());
        assertEquals(a.vocabLabel(lens.topIds()[layer + 1][3][0]), top.label());
        assertEquals(lens.topProbs()[layer + 1][3][0], top.probability(), 1e-7);
        assertEquals(lens.rows(), fx(() -> window.parts().lensViewModel().sideProperty().get().ranks().size()));
        LensViewModel.Row firstRank = fx(() -> window.parts().lensViewModel().sideProperty().get().ranks().getFirst());
        assertEquals(String.format(java.util.Locale.ROOT, "#%,d", lens.targetRank()[0][3]), firstRank.label());
        assertEquals(lens.targetProb()[0][3], firstRank.probability(), 1e-7);

        // arrow keys move through layers and heads in the model view
        robot.interact(() -> window.parts().views().model().requestFocus());
        robot.type(KeyCode.UP);
        robot.type(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(layer - 1, vm.selection().layer());
        assertEquals(head - 1, vm.selection().head());

        // the lens row follows; clicking a lens cell selects its position and the layer that produced it
        robot.interact(() -> window.parts().tabs().getSelectionModel().select(0));
        Rectangle2D target = fx(() -> window.parts().views().lens().cellBounds(1, 5));
        Point2D lensPoint = fx(() -> window.parts().views().lens().localToScreen(target.getMinX() + target.getWidth() / 2,
                target.getMinY() + target.getHeight() / 2));
        robot.clickOn(lensPoint);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(5, vm.selection().query());
        assertEquals(0, vm.selection().layer());
    }

    @Test
    void clickingAPointOfTheHeadMapSelectsThatHead(FxRobot robot) throws Exception {
        openAndWait(robot, LLAMA);
        robot.interact(() -> window.parts().tabs().getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        HeadFeatures f = vm.analysis().headFeatures();
        assertEquals(vm.analysis().layers() * vm.analysis().heads(), f.positions().length);
        // the last head whose point no other point hides
        int target = -1;
        for (int i = f.positions().length - 1; i >= 0 && target < 0; i--) {
            int index = i;
            Point2D p = fx(() -> window.parts().views().headMap().pointPosition(index));
            boolean alone = true;
            for (int j = 0; j < f.positions().length; j++) {
                int other = j;
                if (j != i && fx(() -> window.parts().views().headMap().pointPosition(other)).distance(p) < 12) {
                    alone = false;
                }
            }
            target = alone ? i : -1;
        }
        assertTrue(target >= 0, "some head stands apart");
        int chosen = target;
        Point2D local = fx(() -> window.parts().views().headMap().pointPosition(chosen));
        Point2D screen = fx(() -> window.parts().views().headMap().localToScreen(local));
        robot.clickOn(screen);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(chosen / f.heads(), vm.selection().layer());
        assertEquals(chosen % f.heads(), vm.selection().head());
    }

    @Test
    void exportedPngsHaveTheRequestedSizeAndTheAttentionColours(FxRobot robot, @TempDir Path dir) throws Exception {
        openAndWait(robot, GPT2);
        Analysis a = vm.analysis();
        robot.interact(() -> vm.selection().selectHead(1, 2));
        float[] attention = a.trace().attentions().head(1, 2);
        double[] size = fx(() -> window.parts().views().head().exportSize());
        Rectangle2D heat = fx(() -> window.parts().views().head().heatmapBounds());
        int tokens = a.tokens();
        for (int scale : new int[]{1, 2}) {
            Path file = dir.resolve("head@" + scale + "x.png");
            // through the view's own export (context menu "Save as PNG…"), with the dialogs answered
            window.parts().exports().setScaleChooser(what -> scale);
            window.parts().exports().setSaveChooser((title, suggested) -> file);
            robot.interact(() -> window.parts().views().head().requestExport());
            BufferedImage png = ImageIO.read(file.toFile());
            assertNotNull(png, "no PNG written");
            assertEquals((int) Math.round(size[0] * scale), png.getWidth());
            assertEquals((int) Math.round(size[1] * scale), png.getHeight());
            double cell = heat.getWidth() / tokens * scale;
            for (int q = 0; q < tokens; q++) {
                for (int k = 0; k <= q; k++) {
                    int argb = png.getRGB((int) (heat.getMinX() * scale + (k + 0.5) * cell),
                            (int) (heat.getMinY() * scale + (q + 0.5) * cell));
                    assertColour(ColorMap.VIRIDIS, AttentionScale.LINEAR, attention[q * tokens + k], argb,
                            scale + "x q " + q + " k " + k);
                }
            }
        }
        // the threshold hides weights below it: they take the colour of 0
        robot.interact(() -> window.parts().headViewModel().thresholdProperty().set(0.5));
        Path thresholded = dir.resolve("head-threshold.png");
        robot.interact(() -> window.parts().exports().exportPng(window.parts().views().head(), 1, thresholded));
        BufferedImage thresholdPng = ImageIO.read(thresholded.toFile());
        double cell1 = heat.getWidth() / tokens;
        for (int q = 0; q < tokens; q++) {
            for (int k = 0; k <= q; k++) {
                float p = attention[q * tokens + k];
                int argb = thresholdPng.getRGB((int) (heat.getMinX() + (k + 0.5) * cell1), (int) (heat.getMinY() + (q + 0.5) * cell1));
                assertColour(ColorMap.VIRIDIS, AttentionScale.LINEAR, p < 0.5 ? 0 : p, argb, "threshold q " + q + " k " + k);
            }
        }
        robot.interact(() -> window.parts().headViewModel().thresholdProperty().set(0));

        // Ctrl+E exports the focused view
        Path focused = dir.resolve("focused.png");
        window.parts().exports().setScaleChooser(what -> 1);
        window.parts().exports().setSaveChooser((title, suggested) -> focused);
        robot.interact(() -> window.parts().views().model().requestFocus());
        robot.press(KeyCode.CONTROL, KeyCode.E).release(KeyCode.E, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        BufferedImage focusedPng = ImageIO.read(focused.toFile());
        double[] modelSize = fx(() -> window.parts().views().model().exportSize());
        assertEquals((int) Math.round(modelSize[0]), focusedPng.getWidth());
        assertEquals((int) Math.round(modelSize[1]), focusedPng.getHeight());

        // the other views export too, at their on-screen size
        for (var view : new dev.headlight.ui.view.CanvasView[]{window.parts().views().model(), window.parts().views().lens(), window.parts().views().headMap()}) {
            Path file = dir.resolve(view.exportName() + ".png");
            robot.interact(() -> window.parts().exports().exportPng(view, 2, file));
            BufferedImage png = ImageIO.read(file.toFile());
            double[] viewSize = fx(view::exportSize);
            assertEquals((int) Math.round(viewSize[0] * 2), png.getWidth(), view.exportName());
        }
        // the selected head as CSV: one header row and one row per query
        Path csv = dir.resolve("head.csv");
        window.parts().exports().setSaveChooser((title, suggested) -> csv);
        robot.interact(() -> window.parts().exports().exportCsv());
        var lines = Files.readAllLines(csv);
        assertEquals(tokens + 1, lines.size());
    }

    @Test
    void aDamagedFolderShowsAMessageAndKeepsThePreviousModel(FxRobot robot, @TempDir Path dir) throws Exception {
        openAndWait(robot, GPT2);
        Model before = vm.model();
        Analysis analysisBefore = vm.analysis();
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        try (Stream<Path> files = Files.list(GPT2)) {
            for (Path f : files.toList()) {
                Files.copy(f, damaged.resolve(f.getFileName()));
            }
        }
        byte[] weights = Files.readAllBytes(damaged.resolve("model.safetensors"));
        Files.write(damaged.resolve("model.safetensors"), Arrays.copyOf(weights, 1000)); // truncated
        openThroughFileMenu(robot, damaged);
        waitUntil("the error banner", () -> vm.tasks().errors().messageProperty().get() != null && !vm.loadingProperty().get());
        String message = vm.tasks().errors().messageProperty().get();
        assertTrue(message.contains("model.safetensors"), message);
        assertFalse(message.contains("\n\tat "), "no stack trace");
        assertTrue(window.parts().banner().isVisible());
        assertSame(before, vm.model());
        assertSame(analysisBefore, vm.analysis());

        // an architecture the engine does not run
        Path unsupported = Files.createDirectories(dir.resolve("unsupported"));
        try (Stream<Path> files = Files.list(GPT2)) {
            for (Path f : files.toList()) {
                Files.copy(f, unsupported.resolve(f.getFileName()));
            }
        }
        Files.writeString(unsupported.resolve("config.json"),
                "{\"architectures\": [\"MambaForCausalLM\"], \"model_type\": \"mamba\", \"vocab_size\": 1000}");
        robot.interact(() -> vm.dismissError());
        openThroughFileMenu(robot, unsupported);
        waitUntil("the error banner", () -> vm.tasks().errors().messageProperty().get() != null && !vm.loadingProperty().get());
        assertTrue(vm.tasks().errors().messageProperty().get().contains("config.json"), vm.tasks().errors().messageProperty().get());
        assertSame(before, vm.model());
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedWithAMessage(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        Analysis before = vm.analysis();
        int max = before.model().info().maxPositions();
        String longPrompt = "cat ".repeat(max + 10);
        robot.interact(() -> window.parts().promptField().setText(longPrompt));
        waitUntil("the error banner", () -> vm.tasks().errors().messageProperty().get() != null && !vm.isBusy());
        assertTrue(vm.tasks().errors().messageProperty().get().contains(Integer.toString(max)), vm.tasks().errors().messageProperty().get());
        assertSame(before, vm.analysis());
        // a shorter prompt clears the message
        robot.interact(() -> window.parts().promptField().setText("cat cat"));
        waitUntil("a new analysis", () -> vm.analysis() != before && !vm.isBusy());
        assertEquals(null, vm.tasks().errors().messageProperty().get());
    }

    @Test
    void theHeadViewsHeatmapLinesSwitchAlwaysHasOneSideOn(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        HeadViewModel head = window.parts().headViewModel();
        assertEquals(HeadViewModel.Mode.HEATMAP, head.modeProperty().get());
        robot.clickOn("Lines");
        assertEquals(HeadViewModel.Mode.LINES, head.modeProperty().get());
        robot.clickOn("Lines"); // clicking the side that is on keeps it on
        assertEquals(HeadViewModel.Mode.LINES, head.modeProperty().get());
        assertTrue(robot.lookup("Lines").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
        robot.clickOn("Heatmap");
        assertEquals(HeadViewModel.Mode.HEATMAP, head.modeProperty().get());
    }

    @Test
    void theTokenChipsFollowLongerAndShorterPrompts(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        assertTrue(fx(() -> window.parts().promptField().getPromptText()).startsWith("Type a prompt"),
                "a model with a tokenizer takes words");
        var chips = window.parts().views().tokens().chips();
        // the long prompt's chips come over a few frames (48 per frame)
        String longPrompt = String.join(" ", java.util.Collections.nCopies(12, "seven eight nine ten"));
        for (String prompt : new String[]{"one two three four five six", "one two", "seven eight nine ten eleven",
                longPrompt, "one two three four five six seven eight nine ten", longPrompt + " more", "a"}) {
            robot.interact(() -> window.parts().promptField().setText(prompt));
            waitUntil("analysis of " + prompt, () -> vm.analysis().prompt().equals(prompt) && !vm.isBusy()
                    && window.parts().views().tokens().complete());
            Analysis a = vm.analysis();
            if (prompt.equals(longPrompt)) {
                assertTrue(a.tokens() > 2 * dev.headlight.ui.view.TokensView.CHIPS_PER_PULSE,
                        "long enough to need several frames: " + a.tokens());
            }
            fx(() -> {
                assertEquals(a.tokens(), chips.size(), prompt);
                var strip = chips.getFirst().getParent().getChildrenUnmodifiable();
                assertEquals(chips, strip, "the strip shows the chips in order: " + prompt);
                for (int t = 0; t < a.tokens(); t++) {
                    var chip = chips.get(t);
                    assertEquals(a.label(t), chip.getText(), prompt + " chip " + t);
                    assertEquals("position " + t + " · id " + a.ids()[t] + (a.special()[t] ? " · special" : ""),
                            window.parts().views().tokens().tooltipText(t), prompt + " chip " + t);
                    assertEquals(a.special()[t], chip.getStyleClass().contains("special"), prompt + " chip " + t);
                    assertEquals(1, chip.getStyleClass().stream().filter("token-chip"::equals).count());
                }
                return null;
            });
            // hovering the last chip makes its position the query (scrolled into view: a long prompt's strip scrolls)
            robot.interact(() -> {
                window.parts().views().tokens().layout();
                window.parts().views().tokens().setVvalue(window.parts().views().tokens().getVmax());
            });
            // the scroll takes effect at the next layout pass: let it run before the chip's place on screen is read
            // (once under load the robot went to where the last chip was before the scroll and hovered the one before)
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> window.parts().views().tokens().layout());
            robot.moveTo(chips.getLast());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(a.tokens() - 1, vm.selection().query(), prompt);
            // ... and gives it its tooltip, kept up to date when the prompt changes
            int last = a.tokens() - 1;
            assertEquals(window.parts().views().tokens().tooltipText(last), fx(() -> chips.getLast().getTooltip().getText()));
        }
    }

    @Test
    void specialTokensAreMarkedAndEncodersAreNotMasked(FxRobot robot) throws Exception {
        openAndWait(robot, Fixtures.model("bert-tiny"));
        String prompt = "the cat sat on the [MASK].";
        robot.interact(() -> window.parts().promptField().setText(prompt));
        waitUntil("the masked prompt", () -> vm.analysis().prompt().equals(prompt) && !vm.isBusy());
        Analysis a = vm.analysis();
        var chips = window.parts().views().tokens().chips();
        assertEquals(a.tokens(), chips.size());
        for (int t = 0; t < a.tokens(); t++) {
            boolean special = a.model().tokenizer().isSpecial(a.ids()[t]);
            assertEquals(special, chips.get(t).getStyleClass().contains("special"), "chip " + t);
        }
        int mask = a.model().tokenizer().tokenToId("[MASK]");
        int maskPosition = Arrays.stream(a.ids()).boxed().toList().indexOf(mask);
        assertTrue(maskPosition >= 0, "the prompt holds [MASK]");
        assertTrue(chips.get(maskPosition).getStyleClass().contains("special"), "[MASK] is marked");
        // bidirectional attention: keys after the query are drawn with their weights, not masked
        WritableImage snapshot = fx(() -> window.parts().views().model().snapshot(null, null));
        Rectangle2D cell = fx(() -> window.parts().views().model().cellBounds(0, 0));
        double px = cell.getWidth() / a.tokens();
        float p = a.trace().attentions().get(0, 0, 0, a.tokens() - 1);
        assertColour(ColorMap.VIRIDIS, AttentionScale.LINEAR, p, argbAt(snapshot.getPixelReader(),
                cell.getMinX() + (a.tokens() - 0.5) * px, cell.getMinY() + 0.5 * px), "query 0, last key");
    }

    @Test
    void aFolderWithoutTokenizerTakesTokenIds(FxRobot robot, @TempDir Path dir) throws Exception {
        Path bare = Files.createDirectories(dir.resolve("bare"));
        for (String f : new String[]{"config.json", "model.safetensors"}) {
            Files.copy(GPT2.resolve(f), bare.resolve(f));
        }
        openThroughFileMenu(robot, bare);
        // the example prompt is words: the banner says what to type instead
        waitUntil("the model", () -> vm.model() != null && !vm.isBusy());
        assertTrue(fx(() -> window.parts().promptField().getPromptText()).contains("type token ids"),
                "the prompt field's hint asks for ids");
        waitUntil("the banner", () -> vm.tasks().errors().messageProperty().get() != null);
        assertTrue(vm.tasks().errors().messageProperty().get().contains("token ids"), vm.tasks().errors().messageProperty().get());
        robot.interact(() -> window.parts().promptField().setText("10 20 30 20"));
        waitUntil("the analysis of ids", () -> vm.analysis() != null && !vm.isBusy());
        assertArrayEquals(new int[]{10, 20, 30, 20}, vm.analysis().ids());
        assertEquals("#30", vm.analysis().label(2));
        assertEquals(null, vm.tasks().errors().messageProperty().get());
    }

    @Test
    void anUnusableTokenizerTurnsThePromptHintToIds(FxRobot robot, @TempDir Path dir) throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken-tokenizer"));
        for (String f : new String[]{"config.json", "model.safetensors"}) {
            Files.copy(GPT2.resolve(f), broken.resolve(f));
        }
        Files.writeString(broken.resolve("tokenizer.json"), "{ not json");
        openThroughFileMenu(robot, broken);
        waitUntil("the model", () -> vm.model() != null && !vm.isBusy());
        assertTrue(fx(() -> vm.model().hasTokenizer()), "the folder has a tokenizer.json");
        // the hint is set without waiting for the tokenizer; its failed load turns it to ids
        waitUntil("the ids hint", () -> window.parts().promptField().getPromptText().contains("type token ids"));
    }

    @Test
    void switchingModelsAndTheWeightsTree(FxRobot robot) throws Exception {
        openAndWait(robot, GPT2);
        // a dropped config.json opens its folder, as a dropped folder does
        robot.interact(() -> window.opening().openDropped(java.util.List.of(LLAMA.resolve("config.json").toFile())));
        waitUntil("the dropped model", () -> vm.analysis() != null && !vm.isBusy()
                && vm.analysis().model().info().folder().equals(LLAMA.toAbsolutePath().normalize()));
        Analysis a = vm.analysis();
        assertEquals(LLAMA.toAbsolutePath().normalize(), a.model().info().folder());
        assertEquals(2, vm.preferences().recentFolders().size());
        // the tree is built off the FX thread and attached for the model still shown
        waitUntil("the weights tree", () -> window.parts().views().weights().viewModel().treeProperty().get().model() == vm.model());
        var tree = FxTestSupport.weightsTree(window);
        var root = tree.getRoot();
        assertNotNull(root);
        assertSame(root, fx(() -> tree.getSelectionModel().getSelectedItem()), "the root is selected");
        assertTrue(root.isExpanded());
        assertTrue(root.getValue().label().startsWith(ModelNames.displayName(LLAMA.toAbsolutePath().normalize())),
                root.getValue().label());
        long layerNodes = root.getChildren().stream().filter(i -> i.getValue().label().startsWith("Layer ")).count();
        assertEquals(a.layers(), layerNodes);
        // every stored tensor has a leaf (items made when walked), and every node its item
        java.util.Set<String> leaves = new java.util.TreeSet<>();
        int[] items = {0};
        java.util.function.Consumer<javafx.scene.control.TreeItem<WeightTree.Node>> walk = new java.util.function.Consumer<>() {
            @Override
            public void accept(javafx.scene.control.TreeItem<WeightTree.Node> item) {
                items[0]++;
                assertEquals(item.getValue().children().size(), item.getChildren().size(), item.getValue().label());
                assertEquals(item.getValue().children().isEmpty(), item.isLeaf(), item.getValue().label());
                WeightTree.Node n = item.getValue();
                if (n.children().isEmpty() && n.parts().size() == 1 && n.parts().getFirst().slice() == null) {
                    leaves.add(n.parts().getFirst().info().name());
                }
                for (var c : item.getChildren()) {
                    assertSame(item, c.getParent());
                    this.accept(c);
                }
            }
        };
        robot.interact(() -> walk.accept(root));
        assertEquals(new java.util.TreeSet<>(a.model().weights().names()), leaves);
        assertEquals(root.getValue().count(), items[0]);
        // select head 1's query slice of layer 0 and wait for its statistics
        var layer0 = root.getChildren().stream().filter(i -> i.getValue().label().equals("Layer 0")).findFirst().orElseThrow();
        var attention = layer0.getChildren().stream().filter(i -> i.getValue().label().equals("Attention")).findFirst().orElseThrow();
        var head1 = attention.getChildren().stream().filter(i -> i.getValue().label().equals("Head 1")).findFirst().orElseThrow();
        var q = head1.getChildren().stream().filter(i -> i.getValue().label().startsWith("Q")).findFirst().orElseThrow();
        robot.interact(() -> {
            window.parts().tabs().getSelectionModel().select(2);
            tree.getSelectionModel().select(q);
        });
        waitUntil("statistics", () -> find(window.parts().views().weights(), "weights-stats", Label.class).getText().startsWith("min"));
        WeightTree.Part part = q.getValue().parts().getFirst();
        // the leaf shows its short role; the full tensor name is in the detail pane and the cell's tooltip
        assertEquals("Q weight", q.getValue().label());
        String tensorName = part.placement().tensorName();
        robot.interact(() -> tree.scrollTo(tree.getRow(q)));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".label").queryAllAs(javafx.scene.control.Label.class).stream()
                .anyMatch(l -> l.isVisible() && tensorName.equals(l.getText())), "the detail pane names " + tensorName);
        var qCell = robot.lookup(".tree-cell").queryAllAs(javafx.scene.control.TreeCell.class).stream()
                .filter(c -> c.getItem() == q.getValue()).findFirst().orElseThrow();
        assertNotNull(qCell.getTooltip());
        assertTrue(qCell.getTooltip().getText().contains(tensorName), qCell.getTooltip().getText());
        assertEquals(1, part.slice().head());
        assertTrue(part.describeSlice().startsWith("rows ") || part.describeSlice().startsWith("columns "));
    }
}
