package dev.headlight.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the standard multi-period {@link Probe} shows of every head: its scores on each period, their mean, and its
 * behavioural offset profile on each period.
 *
 * @param periods   the periods that ran                                     // [p]
 * @param ids       each period's probe ids                                  // [p][tokens]
 * @param perPeriod scores on each period                                    // [p][layer][head]
 * @param profiles  mean attention per relative offset on each period        // [p][layer][head]
 * @param mean      each score averaged over the periods where it is present  // [layer][head]
 */
public record ProbeEvidence(int[] periods, List<int[]> ids, HeadScores[][][] perPeriod,
                            OffsetProfile[][][] profiles, HeadScores[][] mean) {

    /** Scores and profiles of the probe's attention maps. */
    public static ProbeEvidence of(int[] periods, List<int[]> ids, List<dev.headlight.engine.AttentionMaps> maps,
                                   boolean causal) {
        int p = periods.length;
        HeadScores[][][] perPeriod = new HeadScores[p][][];
        OffsetProfile[][][] profiles = new OffsetProfile[p][][];
        for (int i = 0; i < p; i++) {
            var m = maps.get(i);
            perPeriod[i] = HeadScoring.scoreAll(m, ids.get(i), causal);
            profiles[i] = new OffsetProfile[m.layers()][m.heads()];
            for (int l = 0; l < m.layers(); l++) {
                for (int h = 0; h < m.heads(); h++) {
                    profiles[i][l][h] = OffsetProfile.ofAttention(m.head(l, h), m.tokens(), causal);
                }
            }
        }
        int layers = perPeriod[0].length;
        int heads = perPeriod[0][0].length;
        HeadScores[][] mean = new HeadScores[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                List<HeadScores> all = new ArrayList<>();
                for (int i = 0; i < p; i++) {
                    all.add(perPeriod[i][l][h]);
                }
                mean[l][h] = average(all);
            }
        }
        return new ProbeEvidence(periods.clone(), List.copyOf(ids), perPeriod, profiles, mean);
    }

    /** Each score's mean over the entries where it is present; absent where it is absent in all. */
    static HeadScores average(List<HeadScores> all) {
        OptionalDouble[] out = new OptionalDouble[Score.values().length];
        for (Score s : Score.values()) {
            double sum = 0;
            int n = 0;
            for (HeadScores h : all) {
                if (h.get(s).isPresent()) {
                    sum += h.get(s).getAsDouble();
                    n++;
                }
            }
            out[s.ordinal()] = n > 0 ? OptionalDouble.of(sum / n) : OptionalDouble.empty();
        }
        return new HeadScores(out[0], out[1], out[2], out[3], out[4], out[5]);
    }

    /**
     * The offset k (|k| &ge; 2) at which head (layer, head) puts at least {@link HeadKind#POSITIONAL_MIN} of its
     * attention, on average over the queries that have a key there, on every period, considering offsets up to
     * half of each probe's length; the k with the largest such minimum, or empty.
     */
    public OptionalInt positionalOffset(int layer, int head) {
        int best = 0;
        double bestMin = -1;
        OffsetProfile first = profiles[0][layer][head];
        for (int k = first.firstOffset(); k <= first.lastOffset(); k++) {
            if (Math.abs(k) < 2) {
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < periods.length; i++) {
                OffsetProfile p = profiles[i][layer][head];
                int reach = ids.get(i).length / 2;
                double v = Math.abs(k) <= reach ? p.at(k) : Double.NaN;
                min = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : Math.min(min, v);
            }
            if (min >= HeadKind.POSITIONAL_MIN && min > bestMin) {
                bestMin = min;
                best = k;
            }
        }
        return bestMin >= 0 ? OptionalInt.of(best) : OptionalInt.empty();
    }

    /**
     * Why head (layer, head) got its {@link #kind}: the rule that matched with the deciding number and its value on
     * each period, e.g. "induction 0.62 ≥ 0.3 (periods 8, 11, 15, 20: 0.58, 0.61, 0.64, 0.65)", or for
     * "mixed" that no rule matched.
     */
    public String reason(int layer, int head) {
        HeadKind.Verdict v = kind(layer, head);
        HeadScores m = mean[layer][head];
        String periodList = java.util.Arrays.stream(periods).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
        return switch (v.kind()) {
            case POSITIONAL -> {
                int k = v.offset().getAsInt();
                StringBuilder b = new StringBuilder("attention at offset " + k + " ≥ " + HeadKind.POSITIONAL_MIN
                        + " on every period (periods " + periodList + ": ");
                for (int i = 0; i < periods.length; i++) {
                    b.append(i > 0 ? ", " : "").append(fixed(profiles[i][layer][head].at(k)));
                }
                yield b.append(')').toString();
            }
            case INDUCTION -> rule(Score.INDUCTION, HeadKind.INDUCTION_MIN, layer, head, periodList);
            case PREVIOUS_TOKEN -> rule(Score.PREVIOUS_TOKEN, HeadKind.PREVIOUS_TOKEN_MIN, layer, head, periodList);
            case DUPLICATE_TOKEN -> rule(Score.DUPLICATE_TOKEN, HeadKind.DUPLICATE_TOKEN_MIN, layer, head,
                    periodList);
            case SINK -> rule(Score.FIRST_TOKEN, HeadKind.SINK_MIN, layer, head, periodList);
            case SELF -> rule(Score.SELF, HeadKind.SELF_MIN, layer, head, periodList);
            case LOCAL -> "self + previous_token " + fixed(m.getOr(Score.SELF, 0) + m.getOr(Score.PREVIOUS_TOKEN, 0))
                    + " ≥ " + HeadKind.LOCAL_MIN;
            case BROAD -> rule(Score.ENTROPY, HeadKind.BROAD_ENTROPY_MIN, layer, head, periodList);
            case MIXED -> "no rule matched (no fixed offset on every period; every score below its threshold)";
        };
    }

    private String rule(Score score, double min, int layer, int head, String periodList) {
        StringBuilder b = new StringBuilder(score.key() + " " + fixed(mean[layer][head].getOr(score, Double.NaN))
                + " ≥ " + min + " (periods " + periodList + ": ");
        for (int i = 0; i < periods.length; i++) {
            OptionalDouble v = perPeriod[i][layer][head].get(score);
            b.append(i > 0 ? ", " : "").append(v.isPresent() ? fixed(v.getAsDouble()) : "absent");
        }
        return b.append(')').toString();
    }

    private static String fixed(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    /**
     * The behavioural offset profile of head (layer, head) on the probe: for each offset, the mean over the periods
     * of {@link #profiles} at that offset, each period up to half its probe's length (as {@link #positionalOffset}
     * reads them); NaN where no period reaches.
     */
    public OffsetProfile meanProfile(int layer, int head) {
        int from = 0;
        int to = 0;
        for (int i = 0; i < periods.length; i++) {
            int reach = ids.get(i).length / 2;
            from = Math.min(from, Math.max(profiles[i][layer][head].firstOffset(), -reach));
            to = Math.max(to, Math.min(profiles[i][layer][head].lastOffset(), reach));
        }
        double[] mean = new double[to - from + 1];
        for (int k = from; k <= to; k++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < periods.length; i++) {
                double v = Math.abs(k) <= ids.get(i).length / 2 ? profiles[i][layer][head].at(k) : Double.NaN;
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            mean[k - from] = n > 0 ? sum / n : Double.NaN;
        }
        return new OffsetProfile(from, mean);
    }

    /** The kind of head (layer, head) from this evidence alone. */
    public HeadKind.Verdict kind(int layer, int head) {
        return HeadKind.classify(mean[layer][head], positionalOffset(layer, head));
    }
}
