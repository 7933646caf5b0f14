package dev.headlight.ui;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OffsetProfile;
import dev.headlight.analysis.OvRole;
import dev.headlight.analysis.Probe;
import dev.headlight.analysis.ProbeEvidence;
import dev.headlight.analysis.ProbeOptions;
import dev.headlight.analysis.circuits.HeadCircuits;
import dev.headlight.analysis.circuits.HeadCircuits.Composition;
import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;
import dev.headlight.ui.task.TaskHandle;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The Circuits panel's state: what the open model's weights say each head does (copying score and OV role, the
 * composition scores of every pair) and, for the selected head, its OV circuit in tokens, its positional profiles,
 * its eigenvalues and why it got its kind. Every number comes from {@link HeadCircuits} and the standard probe
 * ({@link HeadAnalysis#kinds}, the evidence of {@code headlight heads --probe} and {@code headlight circuits}).
 *
 * <p>Work runs on the shared {@link TaskRunner} and only while the panel (or a circuit colouring of the model view)
 * wants it: the copying scores first, then the whole composition table in the background with progress; the
 * selected head's details in a task of their own, which never waits for the table.
 *
 * <p>Over 400 lines: the panel's graph, selected-head details and the model view's circuit colouring read one
 * evidence and one table whose lifetimes (per model, cancelled together) must stay in one place; the records at the
 * top are the panel's read-only data, and the numbers themselves are computed in {@code analysis}.
 */
public final class CircuitsViewModel {
    /** Directions and tokens per side of the selected head's OV circuit in tokens. */
    public static final int OV_TOP = 5;
    /** Offsets the positional profiles show at most (0 .. this). */
    public static final int PROFILE_OFFSETS = 64;
    private static final String LANE = "circuits";

    /** The three ways an earlier head's output can feed a later head. */
    public enum Kind {
        Q("queries"), K("keys"), V("values");

        private final String reads;

        Kind(String reads) {
            this.reads = reads;
        }

        /** What of the later head the earlier head's output feeds, e.g. "keys". */
        public String reads() {
            return reads;
        }

        /** This kind's score of a pair (null when absent). */
        public OptionalDouble of(Composition c) {
            return switch (this) {
                case Q -> c.q();
                case K -> c.k();
                case V -> c.v();
            };
        }
    }

    /** One drawn edge: {@code kind}-composition of head (fromLayer, fromHead) into (toLayer, toHead). */
    public record Edge(int fromLayer, int fromHead, int toLayer, int toHead, Kind kind, double score) {
    }

    /** What a model's weights and the probe say of every head; computed once per model. */
    public record ModelEvidence(Model model, HeadCircuits circuits, HeadCircuits.Copying[][] copying,
                                HeadKind.Verdict[][] kinds, ProbeEvidence probe) {
        public OvRole role(int layer, int head) {
            return OvRole.of(copying[layer][head].score());
        }
    }

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

    /** What a head's OV circuit writes when it attends to one token: row {@code token} of W_E W_OV W_U. */
    public record TokenOutputs(int position, String token, List<String> outputs) {
    }

    /** What the selected head's detail task hands back to the UI thread. */
    private record DetailParts(WeightsPart weights, OffsetProfile prompt, TokenOutputs outputs) {
    }

    private record WeightsPart(List<OvRow> ovTop, OffsetProfile weightsProfile, List<Composition> compositions) {
    }

    private final ExplorerViewModel explorer;
    private final TaskRunner tasks;
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", false);
    private final ReadOnlyObjectWrapper<ModelEvidence> evidence = new ReadOnlyObjectWrapper<>(this, "evidence");
    /** [l1][h1][l2][h2] for l1 &lt; l2, null until the background table is done. */
    private final ReadOnlyObjectWrapper<Composition[][][][]> table = new ReadOnlyObjectWrapper<>(this, "table");
    private final ReadOnlyObjectWrapper<HeadDetail> detail = new ReadOnlyObjectWrapper<>(this, "detail");
    private final ReadOnlyObjectWrapper<Composition> selectedPair = new ReadOnlyObjectWrapper<>(this, "pair");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper(this, "heading", "");
    private final ReadOnlyStringWrapper why = new ReadOnlyStringWrapper(this, "why", "");
    private final ReadOnlyStringWrapper pairText = new ReadOnlyStringWrapper(this, "pairText", "");
    private final ReadOnlyDoubleWrapper maxScore = new ReadOnlyDoubleWrapper(this, "maxScore", 1);
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.2);
    private final BooleanProperty showQ = new SimpleBooleanProperty(this, "showQ", true);
    private final BooleanProperty showK = new SimpleBooleanProperty(this, "showK", true);
    private final BooleanProperty showV = new SimpleBooleanProperty(this, "showV", true);
    private final ObservableList<Edge> edges = FXCollections.observableArrayList();
    private final ObservableList<Edge> edgesView = FXCollections.unmodifiableObservableList(edges);
    /** The selected head's weights-only details of the shown model, by layer * heads + head. */
    private final Map<Integer, WeightsPart> weightsCache = new HashMap<>();
    private Model computedFor;
    private TaskHandle baseTask;
    private TaskHandle tableTask;
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
        selectedPair.set(null);
        pairText.set("");
        explorer.selection().selectHead(layer, head);
    }

    /**
     * Selects a pair (an edge of the graph): the reading head becomes the selected head and the pair's three
     * scores are shown.
     */
    public void selectPair(int fromLayer, int fromHead, int toLayer, int toHead) {
        Composition c = composition(fromLayer, fromHead, toLayer, toHead);
        explorer.selection().selectHead(toLayer, toHead);
        selectedPair.set(c);
        pairText.set(c == null ? "" : "L" + fromLayer + " H" + fromHead + " → L" + toLayer + " H" + toHead
                + ":  Q " + score(c.q()) + " · K " + score(c.k()) + " · V " + score(c.v()));
    }

    /** A pair's scores from the table or the selected head's compositions; null when not (yet) known. */
    public Composition composition(int fromLayer, int fromHead, int toLayer, int toHead) {
        Composition[][][][] t = table.get();
        if (t != null) {
            return t[fromLayer][fromHead][toLayer][toHead];
        }
        HeadDetail d = detail.get();
        if (d != null) {
            for (Composition c : d.compositions()) {
                if (c.fromLayer() == fromLayer && c.fromHead() == fromHead && c.toLayer() == toLayer
                        && c.toHead() == toHead) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * The strongest shown composition (of the kinds switched on) between each head and the selected head, either
     * way round // [layer][head]; NaN for the selected head and its own layer, null when nothing is known yet.
     */
    public double[][] compositionWithSelected() {
        ModelEvidence e = evidence.get();
        HeadDetail d = detail.get();
        if (e == null || d == null) {
            return null;
        }
        double[][] out = new double[e.circuits().layers()][e.circuits().heads()];
        for (double[] row : out) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (Composition c : d.compositions()) {
            boolean earlier = c.toLayer() == d.layer() && c.toHead() == d.head();
            int l = earlier ? c.fromLayer() : c.toLayer();
            int h = earlier ? c.fromHead() : c.toHead();
            out[l][h] = strongestShown(c);
        }
        return out;
    }

    private double strongestShown(Composition c) {
        double best = Double.NaN;
        for (Kind k : Kind.values()) {
            OptionalDouble v = k.of(c);
            if (shown(k) && v.isPresent() && !(v.getAsDouble() <= best)) {
                best = v.getAsDouble();
            }
        }
        return best;
    }

    public boolean shown(Kind k) {
        return switch (k) {
            case Q -> showQ.get();
            case K -> showK.get();
            case V -> showV.get();
        };
    }

    // ---- the work

    private void reset() {
        for (TaskHandle t : new TaskHandle[]{baseTask, tableTask, detailTask}) {
            if (t != null) {
                t.cancel();
            }
        }
        baseTask = tableTask = detailTask = null;
        computedFor = null;
        weightsCache.clear();
        evidence.set(null);
        table.set(null);
        maxScore.set(1);
        detail.set(null);
        selectedPair.set(null);
        pairText.set("");
        heading.set("");
        why.set("");
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
        baseTask = tasks.task("Circuits: copying scores…", ctx -> {
                    HeadCircuits circuits = HeadCircuits.of(m);
                    HeadKind.Verdict[][] kinds = HeadAnalysis.kinds(m, ctx::isCancelled);
                    ProbeEvidence probe = HeadAnalysis.probe(m, ProbeOptions.DEFAULT_SEED, Probe.PERIODS,
                            ctx::isCancelled).evidence();
                    HeadCircuits.Copying[][] copying = circuits.copyingAll(ctx::isCancelled,
                            x -> ctx.progress(Math.round(x * 1000), 1000));
                    return new ModelEvidence(m, circuits, copying, kinds, probe);
                })
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

    private void startTable(ModelEvidence e) {
        status.set("Composition scores of every pair…");
        tableTask = tasks.task("Circuits: composition scores…", ctx -> e.circuits().compositionAll(ctx::isCancelled,
                        x -> ctx.progress(Math.round(x * 1000), 1000)))
                .serial(LANE)
                .userCancellable()
                .failureContext("Could not compute the composition scores")
                .onSuccess(t -> {
                    if (evidence.get() != e) {
                        return;
                    }
                    maxScore.set(Math.max(0.05, Math.ceil(maxScore(t) * 20) / 20));
                    table.set(t);
                    status.set("");
                    threshold.set(defaultThreshold(t));
                    rebuildEdges();
                })
                .onCancelled(() -> status.set("Composition table cancelled: the selected head's pairs only"))
                .submit();
    }

    private void refreshDetail() {
        ModelEvidence e = evidence.get();
        if (detailTask != null) {
            detailTask.cancel();
            detailTask = null;
        }
        if (e == null) {
            return;
        }
        int heads = e.circuits().heads();
        int layer = Math.clamp(explorer.selection().layer(), 0, e.circuits().layers() - 1);
        int head = Math.clamp(explorer.selection().head(), 0, heads - 1);
        int key = layer * heads + head;
        WeightsPart cached = weightsCache.get(key);
        Composition[][][][] t = table.get();
        Analysis a = explorer.analysis() != null && explorer.analysis().model() == e.model() ? explorer.analysis()
                : null;
        int position = a == null ? -1 : chosenPosition(a);
        detailTask = tasks.task("Circuits of L" + layer + " H" + head + "…", ctx -> {
                    WeightsPart w = cached != null ? cached : weightsPart(e, t, layer, head);
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
                    showDetail(e, layer, head, r.weights(), r.prompt(), r.outputs());
                })
                .submit();
    }

    private WeightsPart weightsPart(ModelEvidence e, Composition[][][][] t, int layer, int head) {
        HeadCircuits c = e.circuits();
        Tokenizer tokenizer = AnalysisService.tokenizerOrNull(e.model());
        List<OvRow> rows = new ArrayList<>();
        for (HeadCircuits.SingularDirection d : c.ovTop(layer, head, OV_TOP, OV_TOP)) {
            rows.add(new OvRow(d.sigma(), tokens(tokenizer, d.in()), tokens(tokenizer, d.out())));
        }
        List<Composition> compositions;
        if (t != null) {
            compositions = new ArrayList<>();
            for (int l1 = 0; l1 < layer; l1++) {
                for (int h1 = 0; h1 < c.heads(); h1++) {
                    compositions.add(t[l1][h1][layer][head]);
                }
            }
            for (int l2 = layer + 1; l2 < c.layers(); l2++) {
                for (int h2 = 0; h2 < c.heads(); h2++) {
                    compositions.add(t[layer][head][l2][h2]);
                }
            }
        } else {
            compositions = c.compositionOf(layer, head);
        }
        return new WeightsPart(List.copyOf(rows), c.positionalProfile(layer, head), List.copyOf(compositions));
    }

    private static List<String> tokens(Tokenizer tokenizer, List<HeadCircuits.TokenValue> values) {
        List<String> out = new ArrayList<>();
        for (HeadCircuits.TokenValue v : values) {
            String s = tokenizer == null ? null : tokenizer.displayToken(v.token());
            out.add(s == null ? "#" + v.token() : s);
        }
        return List.copyOf(out);
    }

    /** The prompt token whose OV outputs are shown: the selected key, else the selected query, else the last. */
    private int chosenPosition(Analysis a) {
        Selection s = explorer.selection();
        int p = s.key() >= 0 ? s.key() : s.query();
        return p >= 0 && p < a.tokens() ? p : a.tokens() - 1;
    }

    private void showDetail(ModelEvidence e, int layer, int head, WeightsPart w, OffsetProfile prompt,
                            TokenOutputs outputs) {
        HeadKind.Verdict kind = e.kinds()[layer][head];
        HeadCircuits.Copying copying = e.copying()[layer][head];
        HeadDetail d = new HeadDetail(layer, head, kind, e.probe().reason(layer, head), copying,
                e.role(layer, head), w.ovTop(), w.compositions(), w.weightsProfile(),
                e.probe().meanProfile(layer, head), prompt, outputs);
        detail.set(d);
        heading.set("L" + layer + " H" + head + " · " + kind.label()
                + (d.role() == null ? "" : " · " + d.role().key()));
        why.set(whyText(e, d));
        if (table.get() == null) {
            rebuildEdges(); // the selected head's pairs are known before the table
        }
    }

    /** Why the head has its kind and role, and which earlier heads it composes with most. */
    private String whyText(ModelEvidence e, HeadDetail d) {
        StringBuilder b = new StringBuilder();
        b.append("Kind: ").append(d.kind().label()).append(" — ").append(d.kindReason()).append('\n');
        b.append("Probe means: ");
        var scores = e.probe().mean()[d.layer()][d.head()].present();
        b.append(String.join(" · ", scores.entrySet().stream()
                .map(x -> x.getKey().key() + " " + fixed(x.getValue(), 2)).toList())).append('\n');
        b.append("OV role: ").append(copyingText(e, d)).append('\n');
        if (d.tokenOutputs() != null) {
            b.append("Attending to ‘").append(d.tokenOutputs().token()).append("’ (position ")
                    .append(d.tokenOutputs().position()).append(") it writes most: ")
                    .append(String.join("  ", d.tokenOutputs().outputs())).append('\n');
        }
        if (d.layer() == 0) {
            b.append("Layer 0 reads only the embeddings: no earlier heads to compose with.");
        } else {
            List<Edge> strongest = strongestInputs(d, 3);
            b.append("Composes most with: ");
            b.append(String.join(" · ", strongest.stream().map(x -> x.kind() + " ← L" + x.fromLayer() + " H"
                    + x.fromHead() + " " + fixed(x.score(), 3) + " (" + e.kinds()[x.fromLayer()][x.fromHead()].label()
                    + ")").toList()));
        }
        return b.toString();
    }

    /** The copying score with its role, or why it is null. */
    public static String copyingText(ModelEvidence e, HeadDetail d) {
        if (!e.circuits().hasUnembedding()) {
            return "copying score null: it needs a linear unembedding, and this model has none (BERT)";
        }
        if (d.copying().score().isEmpty()) {
            return "copying score null: the OV circuit is zero";
        }
        double c = d.copying().score().getAsDouble();
        return d.role().key() + " (copying score " + fixed(c, 3) + (d.role() == OvRole.COPYING
                ? " ≥ " + OvRole.COPYING_MIN : d.role() == OvRole.COPY_SUPPRESSION
                ? " ≤ " + OvRole.COPY_SUPPRESSION_MAX : ", between " + OvRole.COPY_SUPPRESSION_MAX + " and "
                + OvRole.COPYING_MIN) + ")";
    }

    /** The {@code n} strongest compositions (any kind) of earlier heads into the detail's head. */
    public static List<Edge> strongestInputs(HeadDetail d, int n) {
        List<Edge> all = new ArrayList<>();
        for (Composition c : d.compositions()) {
            if (c.toLayer() != d.layer() || c.toHead() != d.head()) {
                continue;
            }
            for (Kind k : Kind.values()) {
                k.of(c).ifPresent(v -> all.add(new Edge(c.fromLayer(), c.fromHead(), c.toLayer(), c.toHead(), k, v)));
            }
        }
        all.sort(Comparator.comparingDouble(Edge::score).reversed());
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** The edges at or above the threshold of the kinds switched on: from the table, else the selected head's. */
    private void rebuildEdges() {
        List<Edge> out = new ArrayList<>();
        Composition[][][][] t = table.get();
        if (t != null) {
            for (Composition[][][] a : t) {
                for (Composition[][] b : a) {
                    for (Composition[] c : b) {
                        for (Composition pair : c) {
                            addEdges(pair, out);
                        }
                    }
                }
            }
        } else if (detail.get() != null) {
            detail.get().compositions().forEach(pair -> addEdges(pair, out));
        }
        edges.setAll(out);
    }

    private void addEdges(Composition pair, List<Edge> out) {
        if (pair == null) {
            return;
        }
        for (Kind k : Kind.values()) {
            OptionalDouble v = k.of(pair);
            if (shown(k) && v.isPresent() && v.getAsDouble() >= threshold.get()) {
                out.add(new Edge(pair.fromLayer(), pair.fromHead(), pair.toLayer(), pair.toHead(), k,
                        v.getAsDouble()));
            }
        }
    }

    private static double maxScore(Composition[][][][] t) {
        double max = 0;
        for (Composition[][][] a : t) {
            for (Composition[][] b : a) {
                for (Composition[] c : b) {
                    for (Composition pair : c) {
                        if (pair != null) {
                            max = Math.max(max, pair.strongest());
                        }
                    }
                }
            }
        }
        return max;
    }

    /**
     * A threshold that shows about one edge per head (at least 4): the score of the n-th strongest edge, rounded
     * down to 0.01, so a new model opens with a readable graph.
     */
    static double defaultThreshold(Composition[][][][] t) {
        List<Double> all = new ArrayList<>();
        int heads = 0;
        for (Composition[][][] a : t) {
            heads += a.length;
            for (Composition[][] b : a) {
                for (Composition[] c : b) {
                    for (Composition pair : c) {
                        if (pair != null) {
                            for (Kind k : Kind.values()) {
                                k.of(pair).ifPresent(all::add);
                            }
                        }
                    }
                }
            }
        }
        if (all.isEmpty()) {
            return 0;
        }
        all.sort(Comparator.reverseOrder());
        double nth = all.get(Math.min(all.size(), Math.max(4, heads)) - 1);
        return Math.floor(nth * 100) / 100;
    }

    static String score(OptionalDouble v) {
        return v.isPresent() ? fixed(v.getAsDouble(), 3) : "null";
    }

    static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    // ---- properties

    /** Whether the panel is showing: the circuits are computed for the shown model while it is. */
    public BooleanProperty activeProperty() {
        return active;
    }

    public ReadOnlyObjectProperty<ModelEvidence> evidenceProperty() {
        return evidence.getReadOnlyProperty();
    }

    /** Composition scores [l1][h1][l2][h2] (l1 &lt; l2) once the background table is done, else null. */
    public ReadOnlyObjectProperty<Composition[][][][]> tableProperty() {
        return table.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HeadDetail> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** The pair last clicked in the graph (null after a head is selected). */
    public ReadOnlyObjectProperty<Composition> selectedPairProperty() {
        return selectedPair.getReadOnlyProperty();
    }

    /** e.g. "L0 H1 → L1 H0:  Q 0.186 · K 0.233 · V 0.132", or empty. */
    public ReadOnlyStringProperty pairTextProperty() {
        return pairText.getReadOnlyProperty();
    }

    /** What is being computed, or empty. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** e.g. "L1 H0 · induction · copying". */
    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    /** Why the selected head got its kind: the rule and numbers, the probe means, the OV role, its inputs. */
    public ReadOnlyStringProperty whyProperty() {
        return why.getReadOnlyProperty();
    }

    /** The largest composition score of the table rounded up to 0.05 (the threshold slider's end); 1 before. */
    public ReadOnlyDoubleProperty maxScoreProperty() {
        return maxScore.getReadOnlyProperty();
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
