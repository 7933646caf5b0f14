package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.tokenizer.Encoding;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.PrintStream;
import java.util.List;

/** Encodes texts with a model's tokenizer.json (no weights needed): one JSON line per text. */
final class TokenizeCommand extends Command {

    TokenizeCommand() {
        super("tokenize",
                "show the token ids and tokens a tokenizer gives for texts",
                "tokenize --model DIR --text TEXT [--text TEXT ...] [--no-special]");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("model", "DIR", "folder holding tokenizer.json (weights are not needed), "
                        + "the tokenizer.json file, or a Hugging Face model id in the local cache"),
                Option.repeatable("text", "TEXT", "text to encode"),
                Option.flag("no-special", "do not add the special tokens the post-processor adds (BOS, [CLS] ...)"));
    }

    @Override
    public String details() {
        return """
                Prints one JSON object per text and line: {"text": ..., "ids": [...], "tokens": [...]}, where
                tokens are the vocabulary strings (e.g. "Ġthe" for byte-level BPE). Special tokens are added as
                Hugging Face tokenizers does with add_special_tokens=True unless --no-special is given.""";
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        List<String> texts = args.all("text");
        if (texts.isEmpty()) {
            throw new UsageException("missing --text TEXT");
        }
        Tokenizer tokenizer = Inputs.loadTokenizer(Inputs.modelPath(args.require("model", "DIR")));
        boolean special = !args.has("no-special");
        for (String text : texts) {
            Encoding encoding = tokenizer.encode(text, special);
            ObjectNode line = Json.object();
            line.put("text", text);
            ArrayNode ids = line.putArray("ids");
            for (int id : encoding.ids()) {
                ids.add(id);
            }
            ArrayNode tokens = line.putArray("tokens");
            for (String token : encoding.tokens()) {
                tokens.add(token);
            }
            out.println(Json.line(line));
        }
        return Cli.OK;
    }
}
