package dev.headlight.ui.compare;

import dev.headlight.analysis.Comparison;
import dev.headlight.analysis.LogitLens;
import dev.headlight.analysis.TokenIds;
import dev.headlight.analysis.WeightChange;
import dev.headlight.engine.Model;
import dev.headlight.format.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One comparison as the compare view shows it, computed off the FX thread: the analysis's {@link Comparison}
 * (both runs, per-head JS distances), the weight changes (two models only), both logit lenses' top-1 tokens and where
 * they differ.
 *
 * @param twoModels  true for two models on one prompt, false for two prompts on one model
 * @param labelA     what A is ("step-000100", or the first prompt)
 * @param labelB     what B is
 * @param changes    relative weight change per tensor and head slice (empty for two prompts)
 * @param tokensA    A's token labels // [token]
 * @param tokensB    B's token labels // [token]
 * @param lensTopA   A's logit-lens top-1 token per row and aligned position // [layer + 1][position]
 * @param lensTopB   B's // [layer + 1][position]
 * @param top1Differs where they differ // [layer + 1][position]
 */
public record CompareResult(boolean twoModels, String labelA, String labelB, Comparison.Result comparison,
                            List<WeightChange.Change> changes, String[] tokensA, String[] tokensB,
                            String[][] lensTopA, String[][] lensTopB, boolean[][] top1Differs) {

    public int layers() {
        return comparison.jsDistance().length;
    }

    public int heads() {
        return comparison.jsDistance()[0].length;
    }

    public int positions() {
        return comparison.alignedPositions();
    }

    /** Model {@code a} on {@code prompt} against the model in {@code folderB} (opened and closed here). */
    public static CompareResult ofModels(Model a, Path folderB, String prompt, BooleanSupplier cancelled) {
        try (Model b = Model.open(folderB)) {
            WeightChange.requireComparable(a, b);
            int[] ids = ids(a, prompt);
            List<WeightChange.Change> changes = WeightChange.between(a, b, cancelled, null);
            Comparison.Result r = Comparison.models(a, b, ids, cancelled);
            LogitLens lensA = LogitLens.compute(a, r.a(), 1, cancelled);
            LogitLens lensB = LogitLens.compute(b, r.b(), 1, cancelled);
            String[] tokens = labels(a, ids);
            return of(true, name(a.info().folder()), name(folderB), r, changes, tokens, tokens, a, lensA, b, lensB);
        }
    }

    /** One model on two prompts. */
    public static CompareResult ofPrompts(Model model, String promptA, String promptB, BooleanSupplier cancelled) {
        int[] idsA = ids(model, promptA);
        int[] idsB = ids(model, promptB);
        Comparison.Result r = Comparison.prompts(model, idsA, idsB, cancelled);
        LogitLens lensA = LogitLens.compute(model, r.a(), 1, cancelled);
        LogitLens lensB = LogitLens.compute(model, r.b(), 1, cancelled);
        return of(false, "“" + promptA + "”", "“" + promptB + "”", r, List.of(), labels(model, idsA),
                labels(model, idsB), model, lensA, model, lensB);
    }

    private static CompareResult of(boolean twoModels, String labelA, String labelB, Comparison.Result r,
                                    List<WeightChange.Change> changes, String[] tokensA, String[] tokensB,
                                    Model a, LogitLens lensA, Model b, LogitLens lensB) {
        int n = r.alignedPositions();
        return new CompareResult(twoModels, labelA, labelB, r, changes, tokensA, tokensB, top(a, lensA, n),
                top(b, lensB, n), Comparison.top1Differs(lensA, lensB, n));
    }

    private static String[][] top(Model model, LogitLens lens, int n) {
        Tokenizer tokenizer = model.hasTokenizer() ? model.tokenizer() : null;
        String[][] out = new String[lens.rows()][n];
        for (int r = 0; r < lens.rows(); r++) {
            for (int i = 0; i < n; i++) {
                int id = lens.topIds()[r][i][0];
                String s = tokenizer == null ? null : tokenizer.displayToken(id);
                out[r][i] = s == null ? "#" + id : s;
            }
        }
        return out;
    }

    static int[] ids(Model model, String prompt) {
        int[] ids = model.hasTokenizer() ? model.tokenizer().encode(prompt).ids()
                : TokenIds.parse(prompt, model.info().vocab());
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt gives no tokens");
        }
        return ids;
    }

    private static String[] labels(Model model, int[] ids) {
        String[] out = new String[ids.length];
        Tokenizer tokenizer = model.hasTokenizer() ? model.tokenizer() : null;
        for (int i = 0; i < ids.length; i++) {
            String s = tokenizer == null ? null : tokenizer.displayToken(ids[i]);
            out[i] = s == null ? "#" + ids[i] : s;
        }
        return out;
    }

    private static String name(Path folder) {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return name == null ? folder.toString() : name.toString();
    }
}
