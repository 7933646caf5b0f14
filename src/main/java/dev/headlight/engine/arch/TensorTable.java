package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement.Axis;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.format.config.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One family's declarative map from stored tensor names to roles: name templates, the role ("component") each
 * plays, its expected shape and how its rows or columns divide among heads. Templates are tensor names where
 * {@code #} stands for the layer number, {@code [x.]} for an optional prefix and {@code (?:a|b)} for
 * alternative spellings, e.g. {@code [transformer.]h.#.attn.c_attn.weight}.
 */
public final class TensorTable {

    /** How a tensor's rows or columns (its "head axis") divide among attention heads. */
    public enum HeadSplit {
        /** Not split by head. */
        NONE,
        /** H blocks of headDim: one per query head. */
        Q,
        /** kvHeads blocks of headDim: one per key/value head. */
        K,
        V,
        /** The input axis of the output projection: H blocks of headDim. */
        O,
        /** [all q heads | all k heads | all v heads] (GPT-2 c_attn, Phi-3 qkv_proj). */
        QKV_BLOCKS,
        /** [head 0: q k v | head 1: q k v | ...] (GPT-NeoX query_key_value). */
        QKV_PER_HEAD
    }

    /**
     * @param template    the name template (see the class doc)
     * @param component   the role, e.g. "attn.q"; "buffer" for ignorable buffers
     * @param description one line for people
     * @param shape       expected shape in config symbols (see {@link #dims}), or null when not checked
     * @param split       how the head axis divides among heads
     * @param headAxis    which stored axis is the head axis (1-D tensors: ROWS, their only axis)
     */
    public record Rule(String template, Pattern pattern, String component, String description, String shape,
                       HeadSplit split, Axis headAxis) {

        boolean perLayer() {
            return template.contains("#");
        }

        /** A concrete name for messages: the optional prefix included, the first alternative chosen. */
        public String exampleName(int layer) {
            String name = template.replace("#", Integer.toString(layer)).replace("[", "").replace("]", "");
            Matcher alt = Pattern.compile("\\(\\?:([^|)]*)\\|[^)]*\\)").matcher(name);
            return alt.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        }
    }

    /** A tensor name resolved against the table. */
    public record Match(Rule rule, int layer) {
    }

    private final String family;
    private final List<Rule> rules;

    private TensorTable(String family, List<Rule> rules) {
        this.family = family;
        this.rules = List.copyOf(rules);
    }

    public String family() {
        return family;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule a stored name matches, or null. */
    public Match match(String name) {
        for (Rule rule : rules) {
            Matcher m = rule.pattern.matcher(name);
            if (m.matches()) {
                int layer = rule.perLayer() ? Integer.parseInt(m.group("layer")) : -1;
                return new Match(rule, layer);
            }
        }
        return null;
    }

    /** The rule that defines {@code component}, for messages about missing tensors. */
    public Rule ruleFor(String component) {
        for (Rule rule : rules) {
            if (rule.component.equals(component)) {
                return rule;
            }
        }
        throw new IllegalArgumentException(family + " has no role " + component);
    }

    /** Expected shape of a rule's tensor under {@code config}, or null when the rule does not check it. */
    public static long[] dims(String shape, ModelConfig c) {
        if (shape == null) {
            return null;
        }
        String[] parts = shape.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int k = 0;
            while (k < p.length() && Character.isDigit(p.charAt(k))) {
                k++;
            }
            long factor = k == 0 ? 1 : Long.parseLong(p.substring(0, k));
            String symbol = p.substring(k);
            long value = switch (symbol) {
                case "" -> 1;
                case "D" -> c.hidden();
                case "V" -> c.vocab();
                case "I" -> c.intermediate();
                case "P" -> c.maxPositions();
                case "Y" -> c.typeVocab();
                case "HD" -> c.headDim();
                case "Q" -> c.queryDim();
                case "KV" -> c.kvDim();
                case "QKV" -> c.queryDim() + 2L * c.kvDim();
                default -> throw new IllegalArgumentException("unknown shape symbol " + symbol);
            };
            out[i] = factor * value;
        }
        return out;
    }

    /** Each head's part of a tensor split by {@code split}, as indices along {@code axis}. */
    public static List<HeadSlice> headSlices(HeadSplit split, Axis axis, ModelConfig c) {
        int h = c.heads();
        int kv = c.kvHeads();
        int hd = c.headDim();
        List<HeadSlice> out = new ArrayList<>();
        switch (split) {
            case NONE -> {
            }
            case Q, O -> {
                for (int i = 0; i < h; i++) {
                    out.add(new HeadSlice(i, split == HeadSplit.Q ? "q" : "o", axis, i * hd, (i + 1) * hd));
                }
            }
            case K, V -> {
                for (int i = 0; i < kv; i++) {
                    out.add(new HeadSlice(i, split == HeadSplit.K ? "k" : "v", axis, i * hd, (i + 1) * hd));
                }
            }
            case QKV_BLOCKS -> {
                for (int i = 0; i < h; i++) {
                    out.add(new HeadSlice(i, "q", axis, i * hd, (i + 1) * hd));
                }
                int kBase = h * hd;
                int vBase = kBase + kv * hd;
                for (int i = 0; i < kv; i++) {
                    out.add(new HeadSlice(i, "k", axis, kBase + i * hd, kBase + (i + 1) * hd));
                }
                for (int i = 0; i < kv; i++) {
                    out.add(new HeadSlice(i, "v", axis, vBase + i * hd, vBase + (i + 1) * hd));
                }
            }
            case QKV_PER_HEAD -> {
                for (int i = 0; i < h; i++) {
                    int base = i * 3 * hd;
                    out.add(new HeadSlice(i, "q", axis, base, base + hd));
                    out.add(new HeadSlice(i, "k", axis, base + hd, base + 2 * hd));
                    out.add(new HeadSlice(i, "v", axis, base + 2 * hd, base + 3 * hd));
                }
            }
        }
        return out;
    }

    public static Builder builder(String family) {
        return new Builder(family);
    }

    /** Collects rules in match order (first match wins). */
    public static final class Builder {
        private final String family;
        private final List<Rule> rules = new ArrayList<>();

        private Builder(String family) {
            this.family = family;
        }

        /** A tensor not split by head. */
        public Builder role(String template, String component, String shape, String description) {
            return split(template, component, shape, HeadSplit.NONE, Axis.ROWS, description);
        }

        /**
         * A LayerNorm's two [D] vectors: {@code module.weight} as {@code component}, {@code module.bias} as
         * {@code component.bias}.
         */
        public Builder layerNorm(String module, String component, String description) {
            return layerNorm(module, "weight", "bias", component, description);
        }

        /** As above, with the parameter names the checkpoint uses (BERT's older files say gamma and beta). */
        public Builder layerNorm(String module, String weightName, String biasName, String component,
                                 String description) {
            role(module + "." + weightName, component, "D", description + " (weight)");
            return role(module + "." + biasName, component + ".bias", "D", description + " (bias)");
        }

        /**
         * A torch Linear with a bias: {@code module.weight} [out][in] as {@code component} ("<what> projection"),
         * {@code module.bias} [out] as {@code component.bias} ("<what> bias"); both divide among heads along their
         * rows as {@code split} says.
         */
        public Builder linear(String module, String component, String out, String in, HeadSplit split, String what) {
            split(module + ".weight", component, out + "," + in, split, Axis.ROWS, what + " projection");
            return split(module + ".bias", component + ".bias", out, split, Axis.ROWS, what + " bias");
        }

        /** Separate query, key and value {@link #linear} modules (heads along their rows): q, k, v in that order. */
        public Builder queryKeyValue(String q, String k, String v) {
            linear(q, "attn.q", "Q", "D", HeadSplit.Q, "query");
            linear(k, "attn.k", "KV", "D", HeadSplit.K, "key");
            return linear(v, "attn.v", "KV", "D", HeadSplit.V, "value");
        }

        /** A tensor whose {@code axis} divides among heads as {@code split} says. */
        public Builder split(String template, String component, String shape, HeadSplit split, Axis axis,
                             String description) {
            rules.add(new Rule(template, compile(template), component, description, shape, split, axis));
            return this;
        }

        /** A legacy or auxiliary buffer the engine does not use (attention masks, inv_freq, pooler, ...). */
        public Builder ignore(String template, String description) {
            rules.add(new Rule(template, compile(template), "buffer", description, null, HeadSplit.NONE,
                    Axis.ROWS));
            return this;
        }

        public TensorTable build() {
            return new TensorTable(family, rules);
        }

        private static Pattern compile(String template) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < template.length(); i++) {
                char ch = template.charAt(i);
                switch (ch) {
                    case '.' -> regex.append("\\.");
                    case '#' -> regex.append("(?<layer>\\d+)");
                    case '[' -> regex.append("(?:");
                    case ']' -> regex.append(")?");
                    default -> regex.append(ch);
                }
            }
            return Pattern.compile(regex.toString());
        }
    }
}
