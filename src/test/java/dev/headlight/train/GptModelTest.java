package dev.headlight.train;

import dev.headlight.format.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptModelTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/gpt2-tiny");

    /** The trainer's forward pass must be the one Hugging Face computes: reference logits and attentions. */
    @Test
    void forwardMatchesTransformersReference() {
        Path folder = FIXTURE.resolve("model");
        GptConfig c = GptWeights.readConfig(folder);
        float[] p = GptWeights.readWeights(c, folder);
        GptModel model = new GptModel(c);
        try (SafetensorsFile ref = SafetensorsFile.open(FIXTURE.resolve("reference.safetensors"))) {
            long[] idsLong = ref.tensor("input_ids").toLongs();
            int t = idsLong.length;
            int[] ids = new int[t];
            for (int i = 0; i < t; i++) {
                ids[i] = (int) idsLong[i];
            }
            GptModel.Workspace ws = model.newWorkspace();
            model.forward(p, ids, t, ws);
            float[] logits = ref.tensor("logits").toFloats();
            double maxLogit = 0;
            for (int k = 0; k < t * c.vocab(); k++) {
                maxLogit = Math.max(maxLogit, Math.abs(logits[k] - ws.logits()[k]));
            }
            assertTrue(maxLogit < 2e-3, "logits differ by " + maxLogit);
            float[] att = ref.tensor("attentions").toFloats(); // [L, H, T, T]
            double maxAtt = 0;
            for (int l = 0; l < c.layers(); l++) {
                for (int h = 0; h < c.heads(); h++) {
                    for (int i = 0; i < t; i++) {
                        for (int j = 0; j < t; j++) {
                            float expected = att[((l * c.heads() + h) * t + i) * t + j];
                            maxAtt = Math.max(maxAtt, Math.abs(expected - model.attention(ws, l, h, i, j)));
                        }
                    }
                }
            }
            assertTrue(maxAtt < 1e-4, "attentions differ by " + maxAtt);
            float[] resid = ref.tensor("residual").toFloats(); // [L+1, T, D]
            double maxRes = 0;
            for (int l = 0; l <= c.layers(); l++) {
                for (int k = 0; k < t * c.dModel(); k++) {
                    maxRes = Math.max(maxRes, Math.abs(resid[l * t * c.dModel() + k] - ws.residual(l)[k]));
                }
            }
            assertTrue(maxRes < 2e-3, "residual differs by " + maxRes);
        }
    }

    /**
     * Backward pass against central finite differences of the loss (double-accumulated) along a random direction per
     * tensor and on the largest single entries.
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        GptConfig c = new GptConfig(11, 8, 8, 2, 2, 0, 0);
        GptModel model = new GptModel(c);
        float[] p = GptWeights.initialise(c, 3);
        SplittableRandom r = new SplittableRandom(5);
        // larger weights than the 0.02 init so every path carries gradient
        for (int k = 0; k < p.length; k++) {
            p[k] += (float) (0.3 * GptWeights.gaussian(r));
        }
        int t = 7;
        int[] ids = new int[t];
        int[] targets = new int[t];
        float[] weights = new float[t];
        for (int i = 0; i < t; i++) {
            ids[i] = r.nextInt(c.vocab());
            targets[i] = r.nextInt(c.vocab());
            weights[i] = i == 2 ? 0f : 1f;
        }
        GptModel.Workspace ws = model.newWorkspace();
        float[] grad = new float[p.length];
        model.lossAndGradient(p, ids, targets, weights, t, grad, 1f, ws);
        float[] dummy = new float[p.length];
        double eps = 1e-2;
        for (ParamLayout.Slot s : model.layout().slots()) {
            // directional derivative along a random unit direction
            double[] dir = new double[s.size()];
            double norm = 0;
            for (int k = 0; k < dir.length; k++) {
                dir[k] = GptWeights.gaussian(r);
                norm += dir[k] * dir[k];
            }
            norm = Math.sqrt(norm);
            double analytic = 0;
            for (int k = 0; k < dir.length; k++) {
                dir[k] /= norm;
                analytic += dir[k] * grad[s.offset() + k];
            }
            double numeric = directional(model, p, s, dir, eps, ids, targets, weights, t, ws, dummy);
            double tolerance = 2e-3 + 1e-2 * Math.abs(analytic);
            assertEquals(analytic, numeric, tolerance, s.name() + " directional derivative");
            // the entry with the largest gradient
            int best = 0;
            for (int k = 1; k < s.size(); k++) {
                if (Math.abs(grad[s.offset() + k]) > Math.abs(grad[s.offset() + best])) {
                    best = k;
                }
            }
            double[] unit = new double[s.size()];
            unit[best] = 1;
            double single = directional(model, p, s, unit, eps, ids, targets, weights, t, ws, dummy);
            assertEquals(grad[s.offset() + best], single, 2e-3 + 1e-2 * Math.abs(single), s.name() + "[" + best + "]");
        }
    }

    private static double directional(GptModel model, float[] p, ParamLayout.Slot s, double[] dir, double eps,
                                      int[] ids, int[] targets, float[] weights, int t, GptModel.Workspace ws,
                                      float[] dummy) {
        float[] plus = p.clone();
        float[] minus = p.clone();
        for (int k = 0; k < dir.length; k++) {
            plus[s.offset() + k] += (float) (eps * dir[k]);
            minus[s.offset() + k] -= (float) (eps * dir[k]);
        }
        double lp = model.lossAndGradient(plus, ids, targets, weights, t, dummy, 0f, ws);
        double lm = model.lossAndGradient(minus, ids, targets, weights, t, dummy, 0f, ws);
        return (lp - lm) / (2 * eps);
    }
}
