package dev.headlight.analysis;

import dev.headlight.engine.AttentionMaps;
import dev.headlight.engine.Model;
import dev.headlight.engine.Trace;
import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.StreamingSafetensorsWriter;
import dev.headlight.format.safetensors.StreamingSafetensorsWriter.Declared;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A trace as the safetensors file that the CLI's {@code analyze} and the window's File > Export write (L layers,
 * H heads, T tokens, D hidden, V vocabulary): input_ids i64 [T], logits [T,V], attentions [L,H,T,T] (layers past
 * the attention budget recomputed one at a time), residual [L+1,T,D] and lens_logprobs [L+1,T,V]. Streamed: one
 * head's map and one layer of the lens in memory at a time, never the [L,H,T,T] or [L+1,T,V] array.
 */
public final class TraceFile {
    private TraceFile() {
    }

    /** Sees each layer's lens log-probabilities {@code // [token][vocab]} as it is written (e.g. for top tokens). */
    @FunctionalInterface
    public interface LensLayerListener {
        void onLayer(int layer, float[] logProbs, int tokens, int vocab);
    }

    /** Writes {@code trace} to {@code file} (replaced atomically); {@code listener} may be null. */
    public static void write(Model model, Trace trace, Path file, Map<String, String> metadata,
                             LensLayerListener listener) throws IOException {
        int layers = trace.layers();
        int heads = trace.heads();
        int tokens = trace.tokens();
        int hidden = trace.hidden();
        int vocab = trace.vocab();
        List<Declared> declared = List.of(
                new Declared("input_ids", DType.I64, tokens),
                new Declared("logits", DType.F32, tokens, vocab),
                new Declared("attentions", DType.F32, layers, heads, tokens, tokens),
                new Declared("residual", DType.F32, layers + 1, tokens, hidden),
                new Declared("lens_logprobs", DType.F32, layers + 1, tokens, vocab));
        try (StreamingSafetensorsWriter writer = StreamingSafetensorsWriter.create(file, metadata, declared)) {
            writer.writeLongs(Arrays.stream(trace.inputIds()).asLongStream().toArray());
            writer.writeFloats(trace.logits(), 0, tokens * vocab);
            AttentionMaps maps = trace.attentions();
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    writer.writeFloats(maps.head(l, h)); // [query][key]
                }
            }
            writer.writeFloats(trace.residual(), 0, (layers + 1) * tokens * hidden);
            // One layer of the lens at a time: [T, V] floats instead of [L+1, T, V].
            for (int l = 0; l <= layers; l++) {
                int from = trace.residualOffset(l, 0);
                float[] residual = Arrays.copyOfRange(trace.residual(), from, from + tokens * hidden);
                float[] logProbs = model.outputHead(residual, tokens); // [token][vocab]
                for (int t = 0; t < tokens; t++) {
                    LogitLens.logSoftmax(logProbs, t * vocab, vocab, logProbs, t * vocab); // in place
                }
                writer.writeFloats(logProbs, 0, tokens * vocab);
                if (listener != null) {
                    listener.onLayer(l, logProbs, tokens, vocab);
                }
            }
            writer.finish();
        }
    }
}
