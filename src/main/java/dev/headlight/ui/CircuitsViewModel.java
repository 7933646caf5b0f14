package dev.headlight.ui;

import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OffsetProfile;
import dev.headlight.analysis.OvRole;
import dev.headlight.analysis.circuits.CircuitEvidence;
import dev.headlight.analysis.circuits.CircuitEvidence.TokenOutputs;
import dev.headlight.analysis.circuits.CircuitWeights;
import dev.headlight.analysis.circuits.CompositionGraph;
import dev.headlight.analysis.circuits.CompositionGraph.Edge;
import dev.headlight.analysis.circuits.CompositionGraph.Kind;
import dev.headlight.analysis.circuits.CompositionTable;
import dev.headlight.analysis.circuits.HeadCircuit;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.analysis.circuits.HeadCircuits.Composition;
import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Circuits panel's state: what the open model's weights say each head does (copying score and OV role, the
 * composition scores of every pair) and, for the selected head, its OV circuit in tokens, its positional profiles,
 * its eigenvalues and why it got its kind. It runs the stages of {@code analysis.circuits} (the ones
 * {@code headlight circuits} runs in one call) and formats their results; the graph's rules are
 * {@link CompositionGraph}'s.
 *
 * <p>Work runs on the shared {@link TaskRunner} and only while the panel (or a circuit colouring of the model view)
 * wants it: {@link CircuitEvidence} (copying scores, kinds) first, then the whole {@link CompositionTable} in the
 * background with progress; the selected head's {@link HeadCircuit} in a task of its own, which never waits for the
 * table. Only the factors and the vocabulary product W_U W_E are prepared earlier, quietly, once a model's first
 * prompt is shown.
 *
 * <p>Over 400 lines: 75 of them are the accessors of the panel's properties and edge list; the numbers and the
 * graph's rules are analysis's.
 */
public final class CircuitsViewModel {
    /** Directions and tokens per side of the selected head's OV circuit in tokens. */
    public static final int OV_TOP = 5;
    /** Offsets the positional profiles show at most (0 .. this). */
    public static final int PROFILE_OFFSETS = 64;
    private static final String LANE = "circuits";

    /** One singular direction of the full OV circuit with its tokens as text. */
    public record OvRow(double sigma, List<String> in, List<String> out) {
    }

    /**
     * The selected head's details.
     *
     * @param compositions   the head's column (earlier heads into it) then its row (it into later heads)
     * @param weightsProfile mean QK logit per offset of the learned positions, or null (no learned positions)
     * @param probeProfile   mean attention per offset on the probe (over its periods)
     * @param promptProfile  mean attention per offset on the prompt, or null (no prompt analysed)
     * @param tokenOutputs   the chosen prompt token (the selected key, else the query, else the last) and the
     *                       tokens this head's OV circuit writes most when it attends to it; null without a prompt
     *                       or an unembedding
     */
    public record HeadDetail(int layer, int head, HeadKind.Verdict kind, String kindReason,
                             HeadCircuits.Copying copying, OvRole role, List<OvRow> ovTop,
                             List<Composition> compositions, OffsetProfile weightsProfile,
                             OffsetProfile probeProfile, OffsetProfile promptProfile, TokenOutputs tokenOutputs) {
    }

    /** What the selected head's detail task hands back to the UI thread. */
    private record DetailParts(HeadCircuit weights, OffsetProfile prompt, TokenOutputs outputs) {
    }

    /**
     * The selected head as shown: its details (null until computed), a heading such as "L1 H0 · induction · copying",
     * and why it got its kind (the rule and numbers, the probe means, the OV role, its inputs).
     */
    public record ShownHead(HeadDetail detail, String heading, String why) {
        public static final ShownHead NONE = new ShownHead(null, "", "");
    }

    /** A clicked pair (null when none) and its line, e.g. "L0 H1 → L1 H0:  Q 0.186 · K 0.233 · V 0.132". */
    public record SelectedPair(Composition composition, String text) {
        public static final SelectedPair NONE = new SelectedPair(null, "");
    }

    private final ExplorerViewModel explorer;
    private final TaskRunner tasks;
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", false);
    private final ReadOnlyObjectWrapper<CircuitEvidence> evidence = new ReadOnlyObjectWrapper<>(this, "evidence");
    /** Null until the background table is done. */
    private final ReadOnlyObjectWrapper<CompositionTable> table = new ReadOnlyObjectWrapper<>(this, "table");
    private final ReadOnlyObjectWrapper<ShownHead> shownHead = new ReadOnlyObjectWrapper<>(this, "shownHead",
            ShownHead.NONE);
    private final ReadOnlyObjectWrapper<SelectedPair> selectedPair = new ReadOnlyObjectWrapper<>(this, "pair",
            SelectedPair.NONE);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    // derived from the table, so the slider's end never disagrees with the scores
    private final ObservableValue<Double> maxScore = table
            .map(t -> Math.max(0.05, Math.ceil(t.strongest() * 20) / 20)).orElse(1.0);
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.2);
    private final BooleanProperty showQ = new SimpleBooleanProperty(this, "showQ", true);
    private final BooleanProperty showK = new SimpleBooleanProperty(this, "showK", true);
    private final BooleanProperty showV = new SimpleBooleanProperty(this, "showV", true);
    private final ObservableList<Edge> edges = FXCollections.observableArrayList();
    private final ObservableList<Edge> edgesView = FXCollections.unmodifiableObservableList(edges);
    /** The selected head's weights-only details of the shown model, by layer * heads + head. */
    private final Map<Integer, HeadCircuit> weightsCache = new HashMap<>();
    private Model computedFor;
    /**
     * The shown model's factors, read once by whichever task needs them first (the vocabulary product's or the
     * copying scores'); a new map per model, so that a cancelled task of the previous one cannot put into it.
     */
    private Map<Model, HeadCircuits> factors = new ConcurrentHashMap<>();
    private Model preparedFor;
    private TaskHandle prepareTask;
    private TaskHandle baseTask;
    private TaskHandle tableTask;
    /** The edges last shown. */
    private List<Edge> shownEdges;
    private TaskHandle detailTask;
    /** Whether the model view's colouring asked for the circuits of the shown model. */
    private boolean requested;

    public CircuitsViewModel(ExplorerViewModel explorer) {
        this.explorer = explorer;
        this.tasks = explorer.tasks();
        explorer.modelProperty().addListener((o, a, b) -> {
            requested = false;
            reset();
            startIfWanted();
        });
        active.addListener((o, a, b) -> startIfWanted());
        Selection s = explorer.selection();
        s.layerProperty().addListener((o, a, b) -> refreshDetail());
        s.headProperty().addListener((o, a, b) -> refreshDetail());
        s.queryProperty().addListener((o, a, b) -> refreshDetail());
        s.keyProperty().addListener((o, a, b) -> refreshDetail());
        explorer.analysisProperty().addListener((o, a, b) -> {
            // the prompt's profile changes with the prompt; a partial and a full analysis share the trace
            if (a == null || b == null || a.trace() != b.trace()) {
                refreshDetail();
            }
            prepareVocabulary();
        });
        threshold.addListener(o -> rebuildEdges());
        showQ.addListener(o -> rebuildEdges());
        showK.addListener(o -> rebuildEdges());
        showV.addListener(o -> rebuildEdges());
    }

    // ---- commands

    /** Computes the shown model's circuits even while the panel is hidden (the model view colours by them). */
    public void request() {
        requested = true;
        startIfWanted();
    }

    /** Selects a head (a node of the graph) in the shared selection. */
    public void selectHead(int layer, int head) {
        selectedPair.set(SelectedPair.NONE);
        explorer.selection().selectHead(layer, head);
    }

    /**
     * Selects a pair (an edge of the graph): the reading head becomes the selected head and the pair's three
     * scores are shown.
     */
    public void selectPair(int fromLayer, int fromHead, int toLayer, int toHead) {
        Composition c = composition(fromLayer, fromHead, toLayer, toHead);
        explorer.selection().selectHead(toLayer, toHead);
        selectedPair.set(new SelectedPair(c, c == null ? "" : "L" + fromLayer + " H" + fromHead + " → L" + toLayer
                + " H" + toHead + ":  Q " + score(c.q()) + " · K " + score(c.k()) + " · V " + score(c.v())));
    }

    /** A pair's scores from the table or the selected head's compositions; null when not (yet) known. */
    public Composition composition(int fromLayer, int fromHead, int toLayer, int toHead) {
        CompositionTable t = table.get();
        if (t != null) {
            return t.pair(fromLayer, fromHead, toLayer, toHead);
        }
        HeadDetail d = shownHead.get().detail();
        return d == null ? null : d.compositions().stream().filter(c -> c.fromLayer() == fromLayer
                && c.fromHead() == fromHead && c.toLayer() == toLayer && c.toHead() == toHead).findFirst().orElse(null);
    }

    /**
     * The strongest shown composition (of the kinds switched on) between each head and the selected head, either
     * way round // [layer][head]; NaN for the selected head and its own layer, null when nothing is known yet.
     */
    public double[][] compositionWithSelected() {
        CircuitEvidence e = evidence.get();
        HeadDetail d = shownHead.get().detail();
        if (e == null || d == null) {
            return null;
        }
        return CompositionGraph.strongestWith(d.compositions(), d.layer(), d.head(), e.layers(), e.heads(),
                shownKinds());
    }

    public boolean shown(Kind k) {
        return switch (k) {
            case Q -> showQ.get();
            case K -> showK.get();
            case V -> showV.get();
        };
    }

    private Set<Kind> shownKinds() {
        Set<Kind> out = EnumSet.allOf(Kind.class);
        out.removeIf(k -> !shown(k));
        return out;
    }

    // ---- the work: the stages of analysis.circuits on the task runner

    private void reset() {
        for (TaskHandle t : new TaskHandle[]{prepareTask, baseTask, tableTask, detailTask}) {
            if (t != null) {
                t.cancel();
            }
        }
        prepareTask = baseTask = tableTask = detailTask = null;
        computedFor = preparedFor = null;
        factors = new ConcurrentHashMap<>();
        shownEdges = null;
        weightsCache.clear();
        evidence.set(null);
        table.set(null);
        shownHead.set(ShownHead.NONE);
        selectedPair.set(SelectedPair.NONE);
        edges.clear();
        status.set(explorer.model() == null ? "No model open" : "");
    }

    private void startIfWanted() {
        Model m = explorer.model();
        if (m == null || computedFor == m || !(active.get() || requested)) {
            return;
        }
        computedFor = m;
        status.set("Reading the circuits from the weights…");
        Map<Model, HeadCircuits> f = factors;
        baseTask = tasks.task("Circuits: copying scores…", ctx -> CircuitEvidence.read(m,
                        f.computeIfAbsent(m, HeadCircuits::of), ctx::isCancelled,
                        x -> ctx.progress(Math.round(x * 1000), 1000)))
                .serial(LANE)
                .userCancellable()
                .failureContext("Could not read the circuits")
                .onSuccess(e -> {
                    if (explorer.model() != e.model()) {
                        return;
                    }
                    evidence.set(e);
                    startTable(e);
                    refreshDetail();
                })
                .submit();
    }

    /**
     * Forms the vocabulary product W_U W_E (most of the copying scores' time on a large model) in a quiet
     * background task once the model's first prompt is shown (not at once: it would slow that first pass), so the
     * Circuits tab's copying scores start without it.
     */
    private void prepareVocabulary() {
        Model m = explorer.model();
        Analysis a = explorer.analysis();
        if (m == null || preparedFor == m || a == null || a.model() != m) {
            return;
        }
        preparedFor = m;
        if (!roomToPrepare(CircuitWeights.heapBytes(m.config()))) {
            return; // nobody asked yet: a 1B model's ~1.3 GB of factors would crowd a laptop's default heap
        }
        Map<Model, HeadCircuits> f = factors;
        prepareTask = tasks.task("Circuits: vocabulary product…", ctx -> {
                    f.computeIfAbsent(m, HeadCircuits::of).prepareVocabularyProduct(ctx::isCancelled);
                    return null;
                })
                .serial(LANE)
                .quiet()
                .onFailure(t -> { }) // nobody asked yet: the Circuits tab says why when it reads the same factors
                .submit();
    }

    /**
     * Whether factors of {@code bytes} may be read before anyone asked: at most half of the heap that is still
     * free (used memory counts garbage too, so this errs on the side of not preparing).
     */
    static boolean roomToPrepare(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return bytes <= free / 2;
    }

    /** The shown model's factors if a task has read them (for tests), else null. */
    HeadCircuits readFactors() {
        Model m = explorer.model();
        return m == null ? null : factors.get(m);
    }

    private void startTable(CircuitEvidence e) {
        status.set("Composition scores of every pair…");
        Set<Kind> kinds = shownKinds();
        tableTask = tasks.task("Circuits: composition scores…", ctx -> {
                    CompositionTable t = CompositionTable.compute(e.circuits(), ctx::isCancelled,
                            x -> ctx.progress(Math.round(x * 1000), 1000));
                    // the first edges here too (the table keeps them): on GPT-2 small's 28,512 scores finding them
                    // on the FX thread held it ~90 ms
                    t.edges(t.defaultThreshold(), kinds);
                    return t;
                })
                .serial(LANE)
                .userCancellable()
                .failureContext("Could not compute the composition scores")
                .onSuccess(t -> {
                    if (evidence.get() != e) {
                        return;
                    }
                    table.set(t);
                    status.set("");
                    threshold.set(t.defaultThreshold());
                    rebuildEdges();
                })
                .onCancelled(() -> status.set("Composition table cancelled: the selected head's pairs only"))
                .submit();
    }

    private void refreshDetail() {
        CircuitEvidence e = evidence.get();
        if (detailTask != null) {
            detailTask.cancel();
            detailTask = null;
        }
        if (e == null) {
            return;
        }
        int layer = Math.clamp(explorer.selection().layer(), 0, e.layers() - 1);
        int head = Math.clamp(explorer.selection().head(), 0, e.heads() - 1);
        int key = layer * e.heads() + head;
        HeadCircuit cached = weightsCache.get(key);
        CompositionTable t = table.get();
        Analysis a = explorer.analysis() != null && explorer.analysis().model() == e.model() ? explorer.analysis()
                : null;
        int position = a == null ? -1 : chosenPosition(a);
        detailTask = tasks.task("Circuits of L" + layer + " H" + head + "…", ctx -> {
                    HeadCircuit w = cached != null ? cached : e.head(layer, head, OV_TOP, t);
                    OffsetProfile prompt = a == null ? null
                            : OffsetProfile.ofAttention(a.map(layer, head, false), a.tokens(),
                            e.model().info().causal());
                    TokenOutputs outputs = a == null || !e.circuits().hasUnembedding() ? null
                            : new TokenOutputs(position, a.label(position), tokens(
                            AnalysisService.tokenizerOrNull(e.model()),
                            e.circuits().ovOutputs(layer, head, a.ids()[position], OV_TOP)));
                    return new DetailParts(w, prompt, outputs);
                })
                .quiet()
                .failureContext("Could not compute the circuits of L" + layer + " H" + head)
                .onSuccess(r -> {
                    if (evidence.get() != e) {
                        return;
                    }
                    weightsCache.put(key, r.weights());
                    showDetail(e, r.weights(), r.prompt(), r.outputs());
                })
                .submit();
    }

    private static List<String> tokens(Tokenizer tokenizer, List<HeadCircuits.TokenValue> values) {
        return values.stream().map(v -> {
            String s = tokenizer == null ? null : tokenizer.displayToken(v.token());
            return s == null ? "#" + v.token() : s;
        }).toList();
    }

    /** The prompt token whose OV outputs are shown: the selected key, else the selected query, else the last. */
    private int chosenPosition(Analysis a) {
        Selection s = explorer.selection();
        int p = s.key() >= 0 ? s.key() : s.query();
        return p >= 0 && p < a.tokens() ? p : a.tokens() - 1;
    }

    private void showDetail(CircuitEvidence e, HeadCircuit c, OffsetProfile prompt, TokenOutputs outputs) {
        int layer = c.layer();
        int head = c.head();
        HeadKind.Verdict kind = e.kinds()[layer][head];
        Tokenizer tokenizer = AnalysisService.tokenizerOrNull(e.model());
        List<OvRow> ovTop = c.ovTop().stream()
                .map(x -> new OvRow(x.sigma(), tokens(tokenizer, x.in()), tokens(tokenizer, x.out()))).toList();
        HeadDetail d = new HeadDetail(layer, head, kind, e.probe().reason(layer, head), e.copying()[layer][head],
                e.ovRole(layer, head), ovTop, c.compositions(), c.weightsProfile(),
                e.probe().meanProfile(layer, head), prompt, outputs);
        shownHead.set(new ShownHead(d, "L" + layer + " H" + head + " · " + kind.label()
                + (d.role() == null ? "" : " · " + d.role().key()), e.why(c, outputs)));
        if (table.get() == null) {
            rebuildEdges(); // the selected head's pairs are known before the table
        }
    }

    /** The edges at or above the threshold of the kinds switched on: from the table, else the selected head's. */
    private void rebuildEdges() {
        CompositionTable t = table.get();
        HeadDetail d = shownHead.get().detail();
        List<Edge> out = t != null ? t.edges(threshold.get(), shownKinds())
                : CompositionGraph.edges(d == null ? List.of() : d.compositions(), threshold.get(), shownKinds());
        if (out != shownEdges) { // the threshold's listener and the table's arrival both ask for the same edges
            shownEdges = out;
            edges.setAll(out);
        }
    }

    static String score(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsDouble()) : "null";
    }

    // ---- properties

    /** Whether the panel is showing: the circuits are computed for the shown model while it is. */
    public BooleanProperty activeProperty() {
        return active;
    }

    public ReadOnlyObjectProperty<CircuitEvidence> evidenceProperty() {
        return evidence.getReadOnlyProperty();
    }

    /** Composition scores of every pair once the background table is done, else null. */
    public ReadOnlyObjectProperty<CompositionTable> tableProperty() {
        return table.getReadOnlyProperty();
    }

    /** The selected head's details with their heading and explanation, set together ({@link ShownHead#NONE} before). */
    public ReadOnlyObjectProperty<ShownHead> shownHeadProperty() {
        return shownHead.getReadOnlyProperty();
    }

    /** The pair last clicked in the graph and its line ({@link SelectedPair#NONE} after a head is selected). */
    public ReadOnlyObjectProperty<SelectedPair> selectedPairProperty() {
        return selectedPair.getReadOnlyProperty();
    }

    /** What is being computed, or empty. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The largest composition score of the table rounded up to 0.05 (the threshold slider's end); 1 before. */
    public ObservableValue<Double> maxScoreProperty() {
        return maxScore;
    }

    /** Edges are drawn for composition scores at or above this. */
    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public BooleanProperty showQProperty() {
        return showQ;
    }

    public BooleanProperty showKProperty() {
        return showK;
    }

    public BooleanProperty showVProperty() {
        return showV;
    }

    /** The graph's edges (read-only). */
    public ObservableList<Edge> edges() {
        return edgesView;
    }
}
