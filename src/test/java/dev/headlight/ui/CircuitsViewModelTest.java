package dev.headlight.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.analysis.OffsetProfile;
import dev.headlight.analysis.circuits.CompositionGraph;
import dev.headlight.analysis.circuits.CompositionGraph.Edge;
import dev.headlight.analysis.circuits.CompositionGraph.Kind;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.analysis.circuits.ModelCircuits;
import dev.headlight.cli.Cli;
import dev.headlight.engine.Model;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.task.SameThreadTaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Circuits panel's state on the real engine and the bundled samples, through the same-thread runner: every
 * number it shows equals {@link ModelCircuits}'s (computed here independently of the view model), the graph's
 * edges follow the threshold and the Q/K/V switches, and the window's kind of a head is the command line's.
 */
class CircuitsViewModelTest {
    static final Path SAMPLES = SampleModels.samplesRoot().orElseThrow();
    static final Path INDUCTION = SAMPLES.resolve("induction-2l");
    static final Path TINY_LM = SAMPLES.resolve("tiny-lm");

    private ExplorerViewModel vm;

    private CircuitsViewModel open(Path folder, String prompt) {
        System.setProperty("headlight.warmUp", "false");
        AppPreferences prefs = FxTestSupport.cleanPreferences(FxTestSupport.testNode("-circuits-vm"));
        vm = new ExplorerViewModel(prefs, SameThreadTaskRunner.immediate());
        CircuitsViewModel circuits = new CircuitsViewModel(vm);
        vm.promptProperty().set(prompt);
        vm.openModel(folder);
        assertNotNull(vm.analysis(), "the prompt was analysed: " + vm.tasks().errors().messageProperty().get());
        return circuits;
    }

    @AfterEach
    void close() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    @Test
    void nothingIsComputedUntilThePanelShowsOrTheModelViewAsks() {
        CircuitsViewModel circuits = open(INDUCTION, SampleModels.examplePrompt(INDUCTION));
        assertNull(circuits.evidenceProperty().get());
        assertTrue(circuits.edges().isEmpty());
        circuits.request();
        assertNotNull(circuits.evidenceProperty().get());
        assertNotNull(circuits.tableProperty().get());
    }

    @Test
    void theVocabularyProductIsPreparedOnceThePromptIsShownAndTheCopyingScoresReuseIt() {
        CircuitsViewModel circuits = open(INDUCTION, SampleModels.examplePrompt(INDUCTION));
        HeadCircuits prepared = circuits.readFactors();
        assertNotNull(prepared, "read when the first prompt was shown");
        assertTrue(prepared.vocabularyProductReady());
        assertNull(circuits.evidenceProperty().get(), "no circuits until the panel shows or the model view asks");
        circuits.activeProperty().set(true);
        assertSame(prepared, circuits.evidenceProperty().get().circuits(), "the copying scores used the product");

        // another model: its own factors, prepared again
        vm.openModel(TINY_LM);
        assertNotNull(vm.analysis());
        assertNotSame(prepared, circuits.readFactors());
        assertSame(circuits.readFactors(), circuits.evidenceProperty().get().circuits());
    }

    @Test
    void everyNumberShownIsTheAnalysisResultOnTheInductionSample() {
        CircuitsViewModel circuits = open(INDUCTION, SampleModels.examplePrompt(INDUCTION));
        circuits.activeProperty().set(true);
        ModelCircuits ref;
        try (Model model = Model.open(INDUCTION)) {
            ref = ModelCircuits.compute(model, CircuitsViewModel.OV_TOP, null, null);
        }
        var e = circuits.evidenceProperty().get();
        int layers = ref.circuits().layers();
        int heads = ref.circuits().heads();
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                assertEquals(ref.copying()[l][h].score(), e.copying()[l][h].score(), "copying L" + l + "H" + h);
                assertEquals(ref.kinds()[l][h], e.kinds()[l][h], "kind L" + l + "H" + h);
                assertEquals(ref.ovRole(l, h), e.ovRole(l, h));
            }
        }
        var table = circuits.tableProperty().get().pairs();
        for (int l1 = 0; l1 < layers; l1++) {
            for (int h1 = 0; h1 < heads; h1++) {
                for (int l2 = l1 + 1; l2 < layers; l2++) {
                    for (int h2 = 0; h2 < heads; h2++) {
                        var want = ref.composition()[l1][h1][l2][h2];
                        var got = table[l1][h1][l2][h2];
                        assertEquals(want.q(), got.q());
                        assertEquals(want.k(), got.k());
                        assertEquals(want.v(), got.v());
                    }
                }
            }
        }

        // a new model opens with analysis's default threshold and the slider ending at the strongest score
        var computed = circuits.tableProperty().get();
        assertEquals(computed.defaultThreshold(), circuits.thresholdProperty().get());
        assertEquals(Math.ceil(computed.strongest() * 20) / 20, circuits.maxScoreProperty().getValue(), 1e-12);
        assertEquals(CompositionGraph.edges(computed.all(), computed.defaultThreshold(), EnumSet.allOf(Kind.class)),
                circuits.edges());

        // the edges are exactly the scores at or above the threshold, of the kinds switched on
        circuits.thresholdProperty().set(0);
        assertEquals(allScores(ref).size(), circuits.edges().size(), "threshold 0: every score an edge");
        for (Edge edge : circuits.edges()) {
            var pair = ref.composition()[edge.fromLayer()][edge.fromHead()][edge.toLayer()][edge.toHead()];
            assertEquals(edge.kind().of(pair).getAsDouble(), edge.score());
        }
        double threshold = 0.2;
        circuits.thresholdProperty().set(threshold);
        long above = allScores(ref).stream().filter(s -> s >= threshold).count();
        assertEquals(above, circuits.edges().size());
        assertTrue(above > 0 && above < allScores(ref).size(), "the threshold must split this model's scores");
        circuits.showKProperty().set(false);
        assertTrue(circuits.edges().stream().noneMatch(x -> x.kind() == Kind.K));
        circuits.showKProperty().set(true);

        // each layer-1 head: its strongest input is K-composition from layer 0 (the induction sample's circuit)
        for (int h = 0; h < heads; h++) {
            circuits.selectHead(1, h);
            var d = circuits.shownHeadProperty().get().detail();
            assertEquals(1, d.layer());
            assertEquals(h, d.head());
            Edge strongest = CompositionGraph.strongestInputs(d.compositions(), 1, h, 1).getFirst();
            assertEquals(Kind.K, strongest.kind(), "L1 H" + h + " reads most through its keys");
            assertTrue(d.copying().score().getAsDouble() > 0, "L1 H" + h + " copies");
            assertTrue(circuits.shownHeadProperty().get().why().contains("K ← L0 H" + strongest.fromHead()),
                    circuits.shownHeadProperty().get().why());
        }

        // the selected head's details
        circuits.selectHead(1, 1);
        var d = circuits.shownHeadProperty().get().detail();
        var refTop = ref.ovTop().get(1 * heads + 1);
        assertEquals(refTop.size(), d.ovTop().size());
        var tokenizer = AnalysisService.tokenizerOrNull(vm.model());
        for (int i = 0; i < refTop.size(); i++) {
            assertEquals(refTop.get(i).sigma(), d.ovTop().get(i).sigma());
            assertEquals(refTop.get(i).in().stream().map(t -> tokenizer.displayToken(t.token())).toList(),
                    d.ovTop().get(i).in());
            assertEquals(refTop.get(i).out().stream().map(t -> tokenizer.displayToken(t.token())).toList(),
                    d.ovTop().get(i).out());
        }
        assertArrayEquals(ref.copying()[1][1].eigenReal(), d.copying().eigenReal());
        assertArrayEquals(ref.copying()[1][1].eigenImaginary(), d.copying().eigenImaginary());
        OffsetProfile positional = ref.circuits().positionalProfile(1, 1);
        assertNotNull(d.weightsProfile(), "GPT-2 style learned positions");
        assertArrayEquals(positional.mean(), d.weightsProfile().mean());
        Analysis a = vm.analysis();
        assertArrayEquals(OffsetProfile.ofAttention(a.map(1, 1, false), a.tokens(), true).mean(),
                d.promptProfile().mean());
        String copying = String.format(Locale.ROOT, "%.3f", ref.copying()[1][1].score().getAsDouble());
        assertTrue(circuits.shownHeadProperty().get().why().contains("copying score " + copying), circuits.shownHeadProperty().get().why());
        assertTrue(circuits.shownHeadProperty().get().heading().startsWith("L1 H1 · " + ref.kinds()[1][1].label()),
                circuits.shownHeadProperty().get().heading());

        // why: the probe's rule with the evidence's own numbers, mean and per period
        var probe = circuits.evidenceProperty().get().probe();
        assertEquals(dev.headlight.analysis.HeadKind.INDUCTION, d.kind().kind());
        double[] perPeriod = new double[4];
        for (int i = 0; i < 4; i++) {
            perPeriod[i] = probe.perPeriod()[i][1][1].induction().getAsDouble();
        }
        String reason = String.format(Locale.ROOT,
                "induction %.2f ≥ %s (periods 8, 11, 15, 20: %.2f, %.2f, %.2f, %.2f)",
                probe.mean()[1][1].induction().getAsDouble(), dev.headlight.analysis.HeadKind.INDUCTION_MIN,
                perPeriod[0], perPeriod[1], perPeriod[2], perPeriod[3]);
        assertEquals(reason, d.kindReason());
        assertTrue(circuits.shownHeadProperty().get().why().startsWith("Kind: induction — " + reason));
        // the probe's profile: each offset's mean over the periods whose probe reaches it
        OffsetProfile probeProfile = d.probeProfile();
        for (int k : new int[]{1, 7, 19}) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < probe.periods().length; i++) {
                if (k <= probe.ids().get(i).length / 2) {
                    sum += probe.profiles()[i][1][1].at(k);
                    n++;
                }
            }
            assertEquals(sum / n, probeProfile.at(k), 1e-12, "offset " + k);
        }

        // the chosen token's outputs: row token of W_E W_OV W_U, for the selected query (then key) token
        vm.selection().queryProperty().set(5);
        var outputs = circuits.shownHeadProperty().get().detail().tokenOutputs();
        assertEquals(5, outputs.position());
        assertEquals(ref.circuits().ovOutputs(1, 1, a.ids()[5], CircuitsViewModel.OV_TOP).stream()
                .map(t -> tokenizer.displayToken(t.token())).toList(), outputs.outputs());
        vm.selection().keyProperty().set(2);
        assertEquals(2, circuits.shownHeadProperty().get().detail().tokenOutputs().position());
        assertTrue(circuits.shownHeadProperty().get().why().contains("Attending to ‘" + a.label(2) + "’ (position 2)"));
        // the text is analysis's, for the head's circuits from the table
        assertEquals(e.why(e.head(1, 1, CircuitsViewModel.OV_TOP, computed),
                circuits.shownHeadProperty().get().detail().tokenOutputs()), circuits.shownHeadProperty().get().why());

        // an edge selects the pair: the reading head becomes the selection, the pair's three scores are shown
        circuits.selectPair(0, 1, 1, 0);
        assertEquals(1, vm.selection().layer());
        assertEquals(0, vm.selection().head());
        var pair = ref.composition()[0][1][1][0];
        assertEquals(pair, circuits.selectedPairProperty().get().composition());
        assertTrue(circuits.selectedPairProperty().get().text().contains("K " + String.format(Locale.ROOT, "%.3f",
                pair.k().getAsDouble())), circuits.selectedPairProperty().get().text());

        // "composes with the selected head" for the model view: the strongest shown kind of each pair
        double[][] with = circuits.compositionWithSelected();
        assertEquals(pair.strongest(), with[0][1]);
        assertTrue(Double.isNaN(with[1][0]) && Double.isNaN(with[1][1]), "the selected head's own layer: none");
    }

    private static List<Double> allScores(ModelCircuits ref) {
        List<Double> out = new ArrayList<>();
        int layers = ref.circuits().layers();
        int heads = ref.circuits().heads();
        for (int l1 = 0; l1 < layers; l1++) {
            for (int h1 = 0; h1 < heads; h1++) {
                for (int l2 = l1 + 1; l2 < layers; l2++) {
                    for (int h2 = 0; h2 < heads; h2++) {
                        var c = ref.composition()[l1][h1][l2][h2];
                        for (OptionalDouble v : List.of(c.q(), c.k(), c.v())) {
                            v.ifPresent(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theWindowAndHeadsProbeGiveTinyLmLayer0Head2TheSameKind(@TempDir Path dir) throws Exception {
        String prompt = "When Mary and John went to the store, John gave a drink to";
        CircuitsViewModel circuits = open(TINY_LM, prompt);
        circuits.activeProperty().set(true);
        circuits.selectHead(0, 2);
        String windowKind = vm.analysis().headFeatures().kind(0, 2);

        Path json = dir.resolve("heads.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Cli.run(new String[]{"heads", "--model", TINY_LM.toString(), "--prompt", prompt, "--probe",
                "--json", json.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        JsonNode head = null;
        for (JsonNode h : new ObjectMapper().readTree(json.toFile()).get("heads")) {
            if (h.get("layer").asInt() == 0 && h.get("head").asInt() == 2) {
                head = h;
            }
        }
        assertNotNull(head);
        String cliKind = head.get("kind").asText();
        if (cliKind.equals("positional")) {
            cliKind = "positional (offset " + head.get("positional_offset").asInt() + ")";
        }
        assertEquals(cliKind, windowKind, "the head view's kind is heads --probe's");
        assertFalse(windowKind.equals("induction"), "a layer-0 head cannot implement induction");
        // the panel names the same kind and says why
        assertTrue(circuits.shownHeadProperty().get().heading().startsWith("L0 H2 · " + windowKind),
                circuits.shownHeadProperty().get().heading());
        assertTrue(circuits.shownHeadProperty().get().why().startsWith("Kind: " + windowKind + " — "), circuits.shownHeadProperty().get().why());
        assertTrue(circuits.shownHeadProperty().get().why().contains("Layer 0 reads only the embeddings"));
    }

    @Test
    void bertHasCompositionScoresAndANullCopyingScoreThatSaysWhy() {
        CircuitsViewModel circuits = open(Fixtures.model("bert-tiny"), "the cat sat");
        circuits.activeProperty().set(true);
        var e = circuits.evidenceProperty().get();
        assertFalse(e.circuits().hasUnembedding());
        assertTrue(e.copying()[0][0].score().isEmpty());
        assertNotNull(circuits.tableProperty().get(), "composition scores exist without an unembedding");
        circuits.selectHead(1, 0);
        assertTrue(circuits.shownHeadProperty().get().why().contains("needs a linear unembedding"), circuits.shownHeadProperty().get().why());
        assertTrue(circuits.shownHeadProperty().get().detail().ovTop().isEmpty());
        assertTrue(circuits.shownHeadProperty().get().detail().compositions().stream()
                .allMatch(c -> c.toLayer() > c.fromLayer()));
        HeadCircuits.Copying copying = circuits.shownHeadProperty().get().detail().copying();
        assertEquals(0, copying.eigenReal().length);
    }
}
