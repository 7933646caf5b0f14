package dev.headlight.analysis.circuits;

import dev.headlight.analysis.HeadAnalysis;
import dev.headlight.analysis.HeadKind;
import dev.headlight.analysis.OvRole;
import dev.headlight.analysis.Probe;
import dev.headlight.analysis.ProbeEvidence;
import dev.headlight.analysis.ProbeOptions;
import dev.headlight.engine.Model;

import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * What a model's weights and the standard probe say of every head, the first stage of the circuits shared by
 * {@code headlight circuits} ({@link ModelCircuits#compute}) and the Circuits panel: the factors, every copying
 * score and OV role, every probe kind (with its positional offset) and the probe's evidence behind them. The next
 * stages start from it: one head's details ({@link #head}, cheap: the selected head) and the whole composition table
 * ({@link CompositionTable#compute}, slow: in the background).
 *
 * @param copying [layer][head]
 * @param kinds   probe kinds [layer][head] ({@link HeadAnalysis#kinds}, the same as {@code heads --probe})
 * @param probe   the multi-period probe's evidence the kinds come from
 */
public record CircuitEvidence(Model model, HeadCircuits circuits, HeadCircuits.Copying[][] copying,
                              HeadKind.Verdict[][] kinds, ProbeEvidence probe) {

    /**
     * Reads {@code model}'s factors, runs the standard probe (cached per model) and computes every copying score.
     * {@code progress} (may be null) goes from 0 to 1; {@code cancelled} (may be null) stops the work.
     */
    public static CircuitEvidence read(Model model, BooleanSupplier cancelled, DoubleConsumer progress) {
        DoubleConsumer report = progress == null ? x -> { } : progress;
        HeadCircuits circuits = HeadCircuits.of(model);
        report.accept(0.15);
        return read(model, circuits, cancelled, x -> report.accept(0.15 + 0.85 * x));
    }

    /**
     * As {@link #read(Model, BooleanSupplier, DoubleConsumer)} with {@code model}'s factors already read, e.g. by a
     * task that {@linkplain HeadCircuits#prepareVocabularyProduct prepared the vocabulary product} when the model
     * opened (the copying scores then reuse it).
     */
    public static CircuitEvidence read(Model model, HeadCircuits circuits, BooleanSupplier cancelled,
                                       DoubleConsumer progress) {
        DoubleConsumer report = progress == null ? x -> { } : progress;
        HeadKind.Verdict[][] kinds = HeadAnalysis.kinds(model, cancelled);
        ProbeEvidence probe = HeadAnalysis.probe(model, ProbeOptions.DEFAULT_SEED, Probe.PERIODS, cancelled)
                .evidence();
        report.accept(0.3);
        HeadCircuits.Copying[][] copying = circuits.copyingAll(cancelled, x -> report.accept(0.3 + 0.7 * x));
        return new CircuitEvidence(model, circuits, copying, kinds, probe);
    }

    public int layers() {
        return circuits.layers();
    }

    public int heads() {
        return circuits.heads();
    }

    /** The OV role of head (layer, head) from its copying score; null when the score is null. */
    public OvRole ovRole(int layer, int head) {
        return OvRole.of(copying[layer][head].score());
    }

    /**
     * One head's circuits from the weights: its {@code top} OV singular directions with {@code top} tokens each
     * side, its positional profile and its compositions, taken from {@code table} when it is done (may be null:
     * then computed for this head alone, its row and column).
     */
    public HeadCircuit head(int layer, int head, int top, CompositionTable table) {
        List<HeadCircuits.Composition> compositions = table != null ? table.of(layer, head)
                : List.copyOf(circuits.compositionOf(layer, head));
        return new HeadCircuit(layer, head, circuits.ovTop(layer, head, top, top),
                circuits.positionalProfile(layer, head), compositions);
    }

    /** The copying score of head (layer, head) with its OV role and the role's rule, or why it is null. */
    public String copyingReason(int layer, int head) {
        if (!circuits.hasUnembedding()) {
            return "copying score null: it needs a linear unembedding, and this model has none (BERT)";
        }
        if (copying[layer][head].score().isEmpty()) {
            return "copying score null: the OV circuit is zero";
        }
        double c = copying[layer][head].score().getAsDouble();
        OvRole role = ovRole(layer, head);
        return role.key() + " (copying score " + fixed(c, 3) + (role == OvRole.COPYING
                ? " ≥ " + OvRole.COPYING_MIN : role == OvRole.COPY_SUPPRESSION
                ? " ≤ " + OvRole.COPY_SUPPRESSION_MAX : ", between " + OvRole.COPY_SUPPRESSION_MAX + " and "
                + OvRole.COPYING_MIN) + ")";
    }

    /**
     * What a head's OV circuit writes when it attends to one prompt token (row {@code token} of W_E W_OV W_U), as
     * text: the token at {@code position} and the output tokens.
     */
    public record TokenOutputs(int position, String token, List<String> outputs) {
    }

    /**
     * Why {@code head} has its kind and OV role, one line each: the probe's rule with its numbers, the probe's mean
     * scores, the copying score, what it writes when it attends to {@code outputs}' token (may be null), and the
     * three earlier heads it composes with most (with their kinds).
     */
    public String why(HeadCircuit head, TokenOutputs outputs) {
        int l = head.layer();
        int h = head.head();
        StringBuilder b = new StringBuilder();
        b.append("Kind: ").append(kinds[l][h].label()).append(" — ").append(probe.reason(l, h)).append('\n');
        b.append("Probe means: ").append(String.join(" · ", probe.mean()[l][h].present().entrySet().stream()
                .map(x -> x.getKey().key() + " " + fixed(x.getValue(), 2)).toList())).append('\n');
        b.append("OV role: ").append(copyingReason(l, h)).append('\n');
        if (outputs != null) {
            b.append("Attending to ‘").append(outputs.token()).append("’ (position ").append(outputs.position())
                    .append(") it writes most: ").append(String.join("  ", outputs.outputs())).append('\n');
        }
        if (l == 0) {
            b.append("Layer 0 reads only the embeddings: no earlier heads to compose with.");
        } else {
            b.append("Composes most with: ").append(String.join(" · ", head.strongestInputs(3).stream()
                    .map(x -> x.kind() + " ← L" + x.fromLayer() + " H" + x.fromHead() + " " + fixed(x.score(), 3)
                            + " (" + kinds[x.fromLayer()][x.fromHead()].label() + ")").toList()));
        }
        return b.toString();
    }

    static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
