package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;

/** Builds attention maps by hand for tests. */
final class TestMaps {
    private TestMaps() {
    }

    /** One layer, one head, the given rows. */
    static AttentionMaps single(double[][] rows) {
        return of(new double[][][][]{{rows}});
    }

    /** maps[layer][head][query][key]. */
    static AttentionMaps of(double[][][][] maps) {
        int layers = maps.length;
        int heads = maps[0].length;
        int t = maps[0][0].length;
        AttentionMaps out = new AttentionMaps(layers, heads, t, false);
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    float[] row = new float[t];
                    for (int j = 0; j < t; j++) {
                        row[j] = (float) maps[l][h][i][j];
                    }
                    out.putRow(l, h, i, row, 0);
                }
            }
        }
        return out;
    }
}
