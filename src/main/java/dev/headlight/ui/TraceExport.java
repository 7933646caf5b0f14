package dev.headlight.ui;

import dev.headlight.analysis.LogitLens;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/** Writes a prompt's trace as safetensors (the layout of the CLI's analyze) and one head's map as CSV. */
public final class TraceExport {
    private TraceExport() {
    }

    /**
     * Re-runs the prompt with exact (float32) attention and writes input_ids i64 [T], logits [T,V],
     * attentions [L,H,T,T], residual [L+1,T,D], lens_logprobs [L+1,T,V].
     */
    public static void writeSafetensors(Model model, int[] ids, String prompt, Path out) throws IOException {
        Trace trace = model.run(ids, RunOptions.exact());
        int layers = trace.layers();
        int heads = trace.heads();
        int tokens = trace.tokens();
        long[] inputIds = new long[tokens];
        for (int t = 0; t < tokens; t++) {
            inputIds[t] = trace.inputIds()[t];
        }
        float[] lens = LogitLens.fullLogProbs(model, trace);
        new SafetensorsWriter()
                .metadata("prompt", prompt)
                .metadata("model", ModelNames.displayName(model.info().folder()))
                .metadata("architecture", model.info().architecture())
                .addInt64("input_ids", inputIds, tokens)
                .addFloat32("logits", trace.logits(), tokens, trace.vocab())
                .addFloat32("attentions", trace.attentions().toFloats(), layers, heads, tokens, tokens)
                .addFloat32("residual", trace.residual(), layers + 1, tokens, trace.hidden())
                .addFloat32("lens_logprobs", lens, layers + 1, tokens, trace.vocab())
                .write(out);
    }

    /**
     * One head's map {@code map // [query][key]} as CSV: a header row of key tokens, then one row per query token
     * starting with that token. Token labels are quoted as RFC 4180 asks.
     */
    public static void writeHeadCsv(float[] map, int tokens, IntFunction<String> tokenLabel, Path out)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("query\\key");
            for (int k = 0; k < tokens; k++) {
                w.write(',');
                w.write(csvField(k + ":" + tokenLabel.apply(k)));
            }
            w.write("\n");
            for (int q = 0; q < tokens; q++) {
                w.write(csvField(q + ":" + tokenLabel.apply(q)));
                for (int k = 0; k < tokens; k++) {
                    w.write(',');
                    w.write(Float.toString(map[q * tokens + k])); // shortest exact form
                }
                w.write("\n");
            }
        }
    }

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
