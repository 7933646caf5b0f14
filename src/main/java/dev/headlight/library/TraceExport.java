package dev.headlight.library;

import dev.headlight.analysis.TraceFile;
import dev.headlight.engine.Model;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** Writes a prompt's trace as safetensors (the layout of the CLI's analyze) and one head's map as CSV. */
public final class TraceExport {
    private TraceExport() {
    }

    /**
     * Re-runs the prompt with exact (float32) attention and streams input_ids i64 [T], logits [T,V],
     * attentions [L,H,T,T], residual [L+1,T,D], lens_logprobs [L+1,T,V] ({@link TraceFile}: one head's map and
     * one layer of the lens in memory at a time, so a long prompt exports without holding them all).
     */
    public static void writeSafetensors(Model model, int[] ids, String prompt, Path out) throws IOException {
        Trace trace = model.run(ids, RunOptions.exact());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("prompt", prompt);
        metadata.put("model", ModelNames.displayName(model.info().folder()));
        metadata.put("architecture", model.info().architecture());
        TraceFile.write(model, trace, out, metadata, null);
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
