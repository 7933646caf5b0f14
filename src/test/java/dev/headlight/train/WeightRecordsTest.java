package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.engine.Model;
import dev.headlight.engine.TensorPlacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TrainOptions SMALL =
            new TrainOptions(2, 2, 8, 8, 2, 1, 7, 3e-3f, 3, 1, 0.1f, 0.05f, 1.0f, 1, true, 0.1f);

    /**
     * The gradient norms in training.json are the norms of the gradient that GptModelTest checks against finite
     * differences (GptModel.lossAndGradient on the step's batch), per tensor and per head slice, to 1e-6 relative;
     * the update norms are the norms of the difference between the step-1 and step-0 checkpoints.
     */
    @Test
    void recordedNormsAreTheNormsOfTheCheckedGradientAndOfTheUpdate(@TempDir Path out) throws Exception {
        InductionTask task = new InductionTask();
        Trainer trainer = new Trainer(task, SMALL, 1);
        trainer.run(out, null, null);
        GptConfig c = trainer.config();
        GptModel model = trainer.model();

        // the first step's batch and its gradient, as the trainer computes it, independently
        float[] p = GptWeights.initialise(c, SMALL.seed(), true, SMALL.attentionInitStd());
        int t = SMALL.context();
        SplittableRandom data = Trainer.dataRandom(SMALL.seed());
        float[] grad = new float[p.length];
        int[][] seqs = new int[SMALL.batch()][t + 1];
        float[][] weights = new float[SMALL.batch()][t];
        for (int b = 0; b < SMALL.batch(); b++) {
            task.sample(data, seqs[b], weights[b], t);
        }
        GptModel.Workspace ws = model.newWorkspace();
        for (int b = 0; b < SMALL.batch(); b++) {
            int[] targets = java.util.Arrays.copyOfRange(seqs[b], 1, t + 1);
            double w = 0;
            for (float x : weights[b]) {
                w += x;
            }
            model.lossAndGradient(p, seqs[b], targets, weights[b], t, grad, (float) (1.0 / SMALL.batch() / w), ws);
        }
        Map<String, Double> expectedGradient = directNorms(model.layout(), grad);

        float[] step0 = GptWeights.readWeights(c, out.resolve("step-000000"));
        float[] step1 = GptWeights.readWeights(c, out.resolve("step-000001"));
        float[] delta = new float[p.length];
        for (int k = 0; k < p.length; k++) {
            delta[k] = step1[k] - step0[k];
        }
        Map<String, Double> expectedUpdate = directNorms(model.layout(), delta);

        JsonNode records = JSON.readTree(out.resolve("training.json").toFile()).get("weight_records");
        assertEquals("headlight-weight-records/1", records.get("format").asText());
        assertEquals(0, records.get("steps").get(0).asInt());
        assertEquals(2, records.get("steps").size());
        // The key bias's gradient is zero in exact arithmetic (softmax ignores a shift shared by all of a query's
        // logits): its norm (~1e-11) is rounding noise that changes with the order of the sums (once 3.03e-11 against
        // 2.58e-11). Norms are compared within 1e-6 relative plus that noise, 1e-7 of the largest gradient norm.
        double noise = 1e-7 * expectedGradient.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        int checked = 0;
        for (JsonNode s : records.get("series")) {
            String key = key(s.get("name").asText(), s.get("head").isNull() ? -1 : s.get("head").asInt(),
                    s.get("slice").isNull() ? null : s.get("slice").asText());
            Double g = expectedGradient.get(key);
            assertNotNull(g, key);
            double recordedG = s.get("gradient_norm").get(0).asDouble();
            assertTrue(g > 0, key + " has a zero gradient");
            assertEquals(g, recordedG, 1e-6 * g + noise, key + " gradient norm");
            double u = expectedUpdate.get(key);
            assertEquals(u, s.get("update_norm").get(0).asDouble(), 1e-6 * u + 1e-12, key + " update norm");
            checked++;
        }
        assertEquals(expectedGradient.size(), checked);

        // and the norm is what finite differences see: the loss's derivative along G_T / ||G_T|| is ||G_T||
        ParamLayout.Slot attn = model.layout().slot("transformer.h.1.attn.c_attn.weight");
        double numeric = directionalDerivative(model, p, grad, attn.offset(), attn.size(), seqs, weights, t);
        double g = expectedGradient.get(key(attn.name(), -1, null));
        assertEquals(g, numeric, 2e-2 * g, "finite differences along the gradient of " + attn.name());
    }

    /** The trainer's head slices are the ones the engine reads from the written GPT-2 file. */
    @Test
    void headSlicesAreTheEnginePlacements(@TempDir Path out) throws Exception {
        Trainer trainer = new Trainer(new InductionTask(), SMALL.withSchedule(1, 0, 3e-3f, 2, 0), 1);
        trainer.run(out, null, null);
        try (Model m = Model.open(out)) {
            Map<String, List<TensorPlacement.HeadSlice>> engine = new HashMap<>();
            for (TensorPlacement tp : m.tensorMap()) {
                engine.put(tp.tensorName(), tp.headSlices());
            }
            for (ParamLayout.Slot s : trainer.model().layout().slots()) {
                assertEquals(engine.get(s.name()), s.headSlices(), s.name());
            }
        }
    }

    @Test
    void updateShareRowsSumToOne(@TempDir Path out) throws Exception {
        Trainer trainer = new Trainer(new InductionTask(), SMALL, 1);
        trainer.run(out, null, null);
        WeightRecords read = CheckpointTimeline.scan(out).weightRecords();
        assertNotNull(read);
        assertEquals(trainer.weightRecords().quantities(), read.quantities());
        double[][] share = WeightRecords.updateShare(read.quantities(), read.records(), List.of("q", "k"), 2, 2);
        for (double[] row : share) {
            assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-9);
        }
    }

    private static String key(String name, int head, String slice) {
        return name + "/" + head + "/" + slice;
    }

    /** Norms per tensor and head slice by explicit GPT-2 index arithmetic (c_attn [d][3d] columns, c_proj rows). */
    private static Map<String, Double> directNorms(ParamLayout layout, float[] v) {
        Map<String, Double> out = new HashMap<>();
        for (ParamLayout.Slot s : layout.slots()) {
            double sum = 0;
            for (int k = 0; k < s.size(); k++) {
                sum += (double) v[s.offset() + k] * v[s.offset() + k];
            }
            out.put(key(s.name(), -1, null), Math.sqrt(sum));
            int d = s.shape()[0];
            if (s.name().endsWith("attn.c_attn.weight") || s.name().endsWith("attn.c_attn.bias")) {
                boolean matrix = s.shape().length == 2;
                int dModel = matrix ? s.shape()[0] : s.shape()[0] / 3;
                int hd = dModel / 2;
                String[] parts = {"q", "k", "v"};
                for (int part = 0; part < 3; part++) {
                    for (int h = 0; h < 2; h++) {
                        double sq = 0;
                        int rows = matrix ? dModel : 1;
                        for (int r = 0; r < rows; r++) {
                            for (int col = part * dModel + h * hd; col < part * dModel + (h + 1) * hd; col++) {
                                double x = v[s.offset() + r * 3 * dModel + col];
                                sq += x * x;
                            }
                        }
                        out.put(key(s.name(), h, parts[part]), Math.sqrt(sq));
                    }
                }
            } else if (s.name().endsWith("attn.c_proj.weight")) {
                int hd = d / 2;
                for (int h = 0; h < 2; h++) {
                    double sq = 0;
                    for (int k = h * hd * d; k < (h + 1) * hd * d; k++) {
                        sq += (double) v[s.offset() + k] * v[s.offset() + k];
                    }
                    out.put(key(s.name(), h, "o"), Math.sqrt(sq));
                }
            }
        }
        return out;
    }

    /** Central difference of the batch loss along the unit vector g / ||g|| restricted to [offset, offset + size). */
    private static double directionalDerivative(GptModel model, float[] p, float[] grad, int offset, int size,
                                                int[][] seqs, float[][] weights, int t) {
        double norm = 0;
        for (int k = 0; k < size; k++) {
            norm += (double) grad[offset + k] * grad[offset + k];
        }
        norm = Math.sqrt(norm);
        double eps = 1e-2;
        float[] plus = p.clone();
        float[] minus = p.clone();
        for (int k = 0; k < size; k++) {
            plus[offset + k] += (float) (eps * grad[offset + k] / norm);
            minus[offset + k] -= (float) (eps * grad[offset + k] / norm);
        }
        return (batchLoss(model, plus, seqs, weights, t) - batchLoss(model, minus, seqs, weights, t)) / (2 * eps);
    }

    private static double batchLoss(GptModel model, float[] p, int[][] seqs, float[][] weights, int t) {
        GptModel.Workspace ws = model.newWorkspace();
        float[] dummy = new float[p.length];
        double loss = 0;
        for (int b = 0; b < seqs.length; b++) {
            int[] targets = java.util.Arrays.copyOfRange(seqs[b], 1, t + 1);
            double w = 0;
            for (float x : weights[b]) {
                w += x;
            }
            loss += model.lossAndGradient(p, seqs[b], targets, weights[b], t, dummy, 0f, ws) / w;
        }
        return loss / seqs.length;
    }
}
