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

    /** The kind of head (layer, head) from this evidence alone. */
    public HeadKind.Verdict kind(int layer, int head) {
        return HeadKind.classify(mean[layer][head], positionalOffset(layer, head));
    }
}
