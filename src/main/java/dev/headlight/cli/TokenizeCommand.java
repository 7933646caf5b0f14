package dev.headlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.tokenizer.Encoding;
import dev.headlight.format.tokenizer.LostCharacters;
import dev.headlight.format.tokenizer.Tokenizer;

import java.io.PrintStream;
import java.util.List;

/** Encodes texts with a model's tokenizer.json (no weights needed): one JSON line per text. */
final class TokenizeCommand extends Command {

    TokenizeCommand() {
        super("tokenize",
                "show the token ids and tokens a tokenizer gives for texts",
                "tokenize --model DIR --text TEXT [--text TEXT ...] [--no-special]",
                List.of(
                        Option.value("model", "DIR", "folder holding tokenizer.json (weights are not needed), "
                                + "the tokenizer.json file, or a Hugging Face model id in the local cache"),
                        Option.repeatable("text", "TEXT", "text to encode"),
                        Option.flag("no-special", "do not add the special tokens the post-processor adds (BOS, [CLS] ...)")),
                """
                        Prints one JSON object per text and line: {"text": ..., "ids": [...], "tokens": [...]}, where
                        tokens are the vocabulary strings (e.g. "Ġthe" for byte-level BPE). Special tokens are added as
                        Hugging Face tokenizers does with add_special_tokens=True unless --no-special is given.
                        Characters the vocabulary lacks are tokenized as Hugging Face does (dropped, or made the unknown
                        token) and listed in two more fields, "dropped" and "unknown": runs {"start", "end", "text"} with
                        UTF-16 offsets into the text; a line on stderr says so.""");
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
            List<LostCharacters> lost = tokenizer.lostCharacters(text);
            ArrayNode dropped = line.putArray("dropped");
            ArrayNode unknown = line.putArray("unknown");
            for (LostCharacters l : lost) {
                ObjectNode run = (l.unknown() ? unknown : dropped).addObject();
                run.put("start", l.start());
                run.put("end", l.end());
                run.put("text", l.text());
            }
            out.println(Json.line(line));
            if (!lost.isEmpty()) {
                err.println("headlight tokenize: " + LostCharacters.describe(lost) + " in \"" + text + "\"");
            }
        }
        return Cli.OK;
    }
}
