package dev.headlight.ui;

import dev.headlight.library.SampleModels;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The head map panel's state on the bundled sample model: its points are the analysis' head map scaled into the
 * unit square, its legend counts the kinds, and selecting follows the shared selection. No window, no FX toolkit.
 */
class HeadMapViewModelTest {
    private ExplorerViewModel vm;

    private ExplorerViewModel openSample() {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-head-map-vm"));
        vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        Path sample = SampleModels.defaultModel().orElseThrow();
        vm.promptProperty().set(SampleModels.examplePrompt(sample));
        vm.openModel(sample);
        assertNotNull(vm.analysis(), "the sample's analysis");
        return vm;
    }

    @AfterEach
    void close() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    @Test
    void thePointsAreTheAnalysisHeadMapScaledIntoTheUnitSquare() {
        HeadMapViewModel map = new HeadMapViewModel(openSample());
        HeadFeatures f = vm.analysis().headFeatures();
        assertSame(f, map.shownProperty().get().features());
        double[][] positions = f.positions();
        double[][] points = map.shownProperty().get().points();
        assertEquals(vm.analysis().layers() * vm.analysis().heads(), points.length);
        for (int axis = 0; axis < 2; axis++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] p : positions) {
                min = Math.min(min, p[axis]);
                max = Math.max(max, p[axis]);
            }
            assertTrue(max - min > 1e-6, "the sample's heads differ along axis " + axis);
            for (int i = 0; i < points.length; i++) {
                assertEquals((positions[i][axis] - min) / (max - min), points[i][axis], 1e-12,
                        "head " + i + " axis " + axis);
            }
        }
    }

    @Test
    void theLegendCountsEveryKindAndTheSampleHasAnInductionHead() {
        HeadMapViewModel map = new HeadMapViewModel(openSample());
        HeadFeatures f = map.shownProperty().get().features();
        List<HeadMapViewModel.LegendEntry> legend = map.shownProperty().get().legend();
        assertEquals(f.kindNames().length, legend.size());
        int total = 0;
        for (int kind = 0; kind < legend.size(); kind++) {
            int count = 0;
            for (int layer = 0; layer < f.layers(); layer++) {
                for (int head = 0; head < f.heads(); head++) {
                    count += f.kind(layer, head).equals(f.kindNames()[kind]) ? 1 : 0;
                }
            }
            assertEquals(f.kindNames()[kind], legend.get(kind).kind());
            assertEquals(count, legend.get(kind).count(), f.kindNames()[kind]);
            total += count;
        }
        assertEquals(f.layers() * f.heads(), total);
        assertTrue(legend.stream().anyMatch(e -> e.kind().equals("induction") && e.count() > 0),
                "the induction sample shows an induction head: " + legend);
    }

    @Test
    void selectingAPointSelectsItsHeadEverywhereAndTheMarkFollowsTheSharedSelection() {
        HeadMapViewModel map = new HeadMapViewModel(openSample());
        int heads = vm.analysis().heads();
        assertEquals(0, map.selectedProperty().get());
        int last = map.shownProperty().get().points().length - 1;
        map.select(last);
        assertEquals(last / heads, vm.selection().layer());
        assertEquals(last % heads, vm.selection().head());
        assertEquals(last, map.selectedProperty().get());
        vm.selection().selectHead(0, 1);
        assertEquals(1, map.selectedProperty().get());
        map.select(-1); // a click beside every point
        assertEquals(1, map.selectedProperty().get());
        assertEquals("0.1", map.label(1));
    }

    @Test
    void hoveringAPointDescribesItsHead() {
        HeadMapViewModel map = new HeadMapViewModel(openSample());
        HeadFeatures f = map.shownProperty().get().features();
        int i = f.index(f.layers() - 1, 0);
        map.hover(i);
        assertEquals(i, map.hoveredProperty().get());
        String card = map.describe(i);
        assertTrue(card.startsWith("layer " + (f.layers() - 1) + " · head 0 — " + f.kind(f.layers() - 1, 0) + "\n"),
                card);
        for (String feature : f.featureNames()) {
            assertTrue(card.contains(feature + " "), feature + " in " + card);
        }
        map.hover(f.positions().length); // past the last head
        assertEquals(-1, map.hoveredProperty().get());
        map.hover(i);
        vm.promptProperty().set("ABCDABCD"); // a new map: nothing hovered
        assertEquals(-1, map.hoveredProperty().get());
        assertEquals(vm.analysis().headFeatures(), map.shownProperty().get().features());
    }

    @Test
    void withoutAModelThereIsNoMap() {
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-head-map-vm"));
        HeadMapViewModel map = new HeadMapViewModel(new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate()));
        assertNull(map.shownProperty().get().features());
        assertEquals(0, map.shownProperty().get().points().length);
        assertTrue(map.shownProperty().get().legend().isEmpty());
        assertEquals(-1, map.selectedProperty().get());
        map.select(0);
        map.hover(0);
        assertEquals(-1, map.hoveredProperty().get());
    }
}
