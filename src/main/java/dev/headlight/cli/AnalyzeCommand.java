package dev.headlight.cli;

import dev.headlight.analysis.NonFiniteValues;
import dev.headlight.format.ErrorMessages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.analysis.LogitLens;
import dev.headlight.analysis.TraceFile;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.engine.RunOptions;
import dev.headlight.engine.Trace;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model once with exact (float32) capture and writes what the fixtures' reference.safetensors holds:
 * input_ids, logits, attentions, residual and the logit lens, plus an optional readable JSON summary.
 */
final class AnalyzeCommand extends Command {
    static final int TOP_K = 5;

    AnalyzeCommand() {
        super("analyze",
                "run a model on a prompt and save attentions, residual stream, logits and logit lens",
                "analyze --model DIR (--prompt TEXT | --ids 1,2,3) --out FILE.safetensors [--json FILE.json]",
                List.of(Inputs.MODEL, Inputs.PROMPT, Inputs.IDS,
                        Option.value("out", "FILE.safetensors", "where to write the tensors"),
                        Option.value("json", "FILE.json", "also write model info, tokens and the top-" + TOP_K
                                + " logit-lens tokens per layer and position")),
                """
                        The .safetensors output holds (L layers, H heads, T tokens, D hidden size, V vocabulary):
                          input_ids      int64   [T]
                          logits         float32 [T, V]
                          attentions     float32 [L, H, T, T]    softmax probabilities, row = query, column = key
                          residual       float32 [L+1, T, D]     residual stream entering each layer; the last entry is
                                                                 the last layer's output before the final norm
                          lens_logprobs  float32 [L+1, T, V]     log_softmax(output head(residual[l])): the logit lens
                        Numbers match Hugging Face transformers (eager attention, float32): attentions within 1e-4,
                        the others within 2e-3. The lens is [L+1, T, V] floats: for a 50k vocabulary and 1000 tokens that is
                        about 200 MB per layer; it is streamed to the file layer by layer.""");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Path outFile = args.requirePath("out", "FILE.safetensors");
        Path jsonFile = args.path("json");
        Inputs.Input input = Inputs.input(args);
        try (Model model = Inputs.openModel(args)) {
            int[] ids = input.idsFor(model);
            Trace trace = model.run(ids, RunOptions.exact());
            NonFiniteValues.firstIn(model, trace).ifPresent(warning -> err.println("headlight analyze: warning: "
                    + ErrorMessages.escape(String.valueOf(model.info().folder())) + ": " + warning));
            ObjectNode json = jsonFile == null ? null : describe(model, input.prompt(), ids);
            write(model, trace, outFile, json);
            if (json != null) {
                Path parent = jsonFile.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), json);
            }
            ObjectNode summary = Json.object();
            summary.put("out", outFile.toString());
            summary.put("json", jsonFile == null ? null : jsonFile.toString());
            summary.put("model", Inputs.label(model.info().folder()));
            summary.put("tokens", ids.length);
            summary.put("layers", trace.layers());
            summary.put("heads", trace.heads());
            summary.put("forward_ms", trace.elapsedNanos() / 1e6);
            out.println(Json.line(summary));
        }
        return Cli.OK;
    }

    /** Streams the five tensors to {@code file}; fills json's "lens" with the top tokens when json is given. */
    static void write(Model model, Trace trace, Path file, ObjectNode json) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("producer", "headlight " + Cli.version() + " analyze");
        metadata.put("model", String.valueOf(model.info().folder()));
        metadata.put("architecture", model.info().architecture());
        ArrayNode lens = json == null ? null : json.putArray("lens");
        Tokenizer tokenizer = json == null ? null : model.tokenizer(); // --ids without --json needs no tokenizer
        TraceFile.write(model, trace, file, metadata, lens == null ? null
                : (layer, logProbs, tokens, vocab) -> lens.add(topTokens(logProbs, tokens, vocab, tokenizer)));
    }

    /** Per position, the TOP_K most probable tokens: [position][k] of {id, token, prob}. */
    private static ArrayNode topTokens(float[] logProbs, int tokens, int vocab, Tokenizer tokenizer) {
        ArrayNode positions = Json.MAPPER.createArrayNode();
        for (int t = 0; t < tokens; t++) {
            ArrayNode top = positions.addArray();
            for (int id : LogitLens.topK(logProbs, t * vocab, vocab, TOP_K)) {
                ObjectNode entry = top.addObject();
                entry.put("id", id);
                entry.put("token", tokenizer.displayToken(id));
                entry.put("prob", Math.exp(logProbs[t * vocab + id]));
            }
        }
        return positions;
    }

    private static ObjectNode describe(Model model, String prompt, int[] ids) {
        ModelInfo info = model.info();
        Tokenizer tokenizer = model.tokenizer();
        ObjectNode json = Json.object();
        json.set("model", Json.modelInfo(info));
        json.put("prompt", prompt);
        ArrayNode idArray = json.putArray("input_ids");
        ArrayNode display = json.putArray("tokens");
        ArrayNode raw = json.putArray("raw_tokens");
        for (int id : ids) {
            idArray.add(id);
            display.add(tokenizer.displayToken(id));
            raw.add(tokenizer.idToToken(id));
        }
        json.put("lens_top_k", TOP_K);
        json.put("lens_layout", "lens[l][t] = the top tokens of log_softmax(output head(residual[l])) at position t; "
                + "l = 0 is the embedding output, l = " + info.layers() + " the last layer");
        return json;
    }
}
