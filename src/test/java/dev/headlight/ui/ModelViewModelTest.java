package dev.headlight.ui;

import dev.headlight.analysis.circuits.ModelCircuits;
import dev.headlight.engine.Model;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model view's colour-by choice, bars, hover text and keyboard moves, on the induction sample; no window. */
class ModelViewModelTest {
    static final Path INDUCTION = SampleModels.samplesRoot().orElseThrow().resolve("induction-2l");

    @Test
    void barsColourByPromptScoresCopyingAndCompositionWithTheSelectedHead() {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-model-vm"));
        ExplorerViewModel vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        CircuitsViewModel circuits = new CircuitsViewModel(vm);
        ModelViewModel model = new ModelViewModel(vm, circuits);
        vm.promptProperty().set(SampleModels.examplePrompt(INDUCTION));
        vm.openModel(INDUCTION);
        Analysis a = vm.analysis();
        assertNotNull(a);
        assertNull(model.barsProperty().get(), "no score chosen: no bars");
        assertTrue(model.choices().contains(ModelViewModel.COPYING));
        assertTrue(model.choices().contains(ModelViewModel.COMPOSES));
        assertFalse(new ModelViewModel(vm, null).choices().contains(ModelViewModel.COPYING),
                "without the Circuits panel: prompt scores only");

        // a prompt score: the analysis's grid, on a 0-1 scale
        ModelViewModel.ColorBy induction = model.choices().stream()
                .filter(c -> c.label().equals("induction")).findFirst().orElseThrow();
        model.colorByProperty().set(induction);
        double[][] expected = induction.score().scores().apply(a);
        assertArrayEquals(expected, model.barsProperty().get().values());
        assertFalse(model.barsProperty().get().signed());

        ModelCircuits ref;
        try (Model m = Model.open(INDUCTION)) {
            ref = ModelCircuits.compute(m, 1, null, null);
        }
        // the copying score: asks the circuits for it (the panel is not showing), signed from -1 to 1
        model.colorByProperty().set(ModelViewModel.COPYING);
        ModelViewModel.Bars bars = model.barsProperty().get();
        assertNotNull(bars);
        assertTrue(bars.signed());
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                assertEquals(ref.copying()[l][h].score().getAsDouble(), bars.values()[l][h]);
            }
        }
        String hover = model.hoverText(1, 0);
        assertTrue(hover.startsWith("layer 1 · head 0 — " + a.headFeatures().kind(1, 0)), hover);
        assertTrue(hover.endsWith(String.format(Locale.ROOT, "copying score (weights): %.3f",
                ref.copying()[1][0].score().getAsDouble())), hover);

        // composes with the selected head: the strongest of Q, K, V of each pair with it, relative to the strongest
        vm.selection().selectHead(1, 1);
        model.colorByProperty().set(ModelViewModel.COMPOSES);
        bars = model.barsProperty().get();
        double k0 = ref.composition()[0][0][1][1].strongest();
        double k1 = ref.composition()[0][1][1][1].strongest();
        assertEquals(k0, bars.values()[0][0]);
        assertEquals(k1, bars.values()[0][1]);
        assertEquals(Math.max(k0, k1), bars.limit());
        assertTrue(Double.isNaN(bars.values()[1][0]), "the selected head's own layer does not compose with it");
        // follows the selection
        vm.selection().selectHead(0, 0);
        bars = model.barsProperty().get();
        assertEquals(ref.composition()[0][0][1][0].strongest(), bars.values()[1][0]);
        // and the Q/K/V switches: without K and Q, the V score
        circuits.showKProperty().set(false);
        circuits.showQProperty().set(false);
        assertEquals(ref.composition()[0][0][1][0].v().getAsDouble(), model.barsProperty().get().values()[1][0]);

        // arrow keys move the selected head and stop at the model's edges
        vm.selection().selectHead(0, 0);
        model.moveSelection(1, 1);
        assertEquals(1, vm.selection().layer());
        assertEquals(1, vm.selection().head());
        model.moveSelection(5, 5);
        assertEquals(a.layers() - 1, vm.selection().layer());
        assertEquals(a.heads() - 1, vm.selection().head());
        model.moveSelection(-9, -9);
        assertEquals(0, vm.selection().layer());
        assertEquals(0, vm.selection().head());

        // another model opened while colouring by copying: its circuits are read for the bars too
        model.colorByProperty().set(ModelViewModel.COPYING);
        vm.openModel(Fixtures.model("gpt2-tiny"));
        assertEquals(vm.model(), circuits.evidenceProperty().get().model());
        assertEquals(vm.analysis().layers(), model.barsProperty().get().values().length);

        model.colorByProperty().set(ModelViewModel.NONE);
        assertNull(model.barsProperty().get());
        vm.shutdown();
    }
}
