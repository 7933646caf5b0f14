package dev.headlight.cli;

import dev.headlight.analysis.TokenChoice;
import dev.headlight.analysis.TokenIds;
import dev.headlight.engine.Model;
import dev.headlight.engine.ModelInfo;
import dev.headlight.format.FormatException;
import dev.headlight.format.tokenizer.Tokenizer;
import dev.headlight.library.ModelLocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The inputs several commands share: the model folder and the token ids to run. */
final class Inputs {
    static final Option MODEL = Option.value("model", "DIR",
            "model folder (config.json, *.safetensors, tokenizer.json), or a Hugging Face model id such as "
                    + "openai-community/gpt2 found offline in the local Hugging Face cache");
    static final Option PROMPT = Option.value("prompt", "TEXT", "text to run, tokenized as the model's tokenizer does");
    static final Option IDS = Option.value("ids", "1,2,3", "token ids to run instead of a prompt");
    /** A token option of the intervention commands: {@code what} it is, then the forms {@link #token} reads. */
    static Option tokenOption(String name, String what) {
        return Option.value(name, "TOKEN", what + ": #id, a vocabulary string, or a text of one token");
    }

    /** --json FILE of the analysis commands (heads, ablate, patch, dla). */
    static final Option JSON_FILE = Option.value("json", "FILE", "where to write the JSON; - writes to standard output");

    /** The options of an analysis command: --model, the command's own inputs, then --json. */
    static List<Option> analysisOptions(Option... own) {
        List<Option> options = new ArrayList<>();
        options.add(MODEL);
        options.addAll(List.of(own));
        options.add(JSON_FILE);
        return List.copyOf(options);
    }

    private Inputs() {
    }

    /**
     * What every command does with its --model value (the one place): an existing path as given, else a Hugging
     * Face model id resolved to its snapshot in the local cache ({@link ModelLocator}); else one line saying where
     * it looked.
     */
    static Path modelPath(String value) {
        if (value == null || value.isBlank()) {
            throw new UsageException("--model needs a model folder or a Hugging Face model id");
        }
        try {
            return ModelLocator.locate(value);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    /** --model DIR or ID, checked to be a folder. */
    static Path modelFolder(Args args) {
        Path folder = modelPath(args.require("model", "DIR"));
        if (!Files.isDirectory(folder)) {
            throw new FormatException(folder, "is a file; --model takes the model folder that holds config.json, "
                    + "the .safetensors weights and tokenizer.json");
        }
        return folder;
    }

    static Model openModel(Args args) {
        return Model.open(modelFolder(args));
    }

    /** What to run: the text of --prompt or the ids of --ids; checked before any model is opened. */
    record Input(String prompt, int[] ids) {
        /** The ids to run: the prompt tokenized as the model's tokenizer does (special tokens added), or --ids. */
        int[] idsFor(Model model) {
            int[] result = prompt != null ? encode(model, prompt, "prompt") : ids;
            checkIds(result, model.info());
            return result;
        }
    }

    /**
     * The ids of a prompt given as option {@code --name}: tokenized as the model's tokenizer does (special tokens
     * added), or, for a folder without tokenizer.json, read as token ids as the window does ({@link TokenIds}).
     */
    static int[] encode(Model model, String text, String name) {
        int[] ids;
        if (model.hasTokenizer()) {
            ids = model.tokenizer().encode(text).ids();
        } else {
            try {
                ids = TokenIds.parse(text, model.info().vocab());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + ": " + e.getMessage() + "; " + model.info().folder()
                        + " has no tokenizer.json, so the prompt is token ids");
            }
        }
        if (ids.length == 0) {
            throw new CliFailure("the prompt gives no tokens; give a non-empty --" + name);
        }
        return ids;
    }

    /** The token option {@code --name} names ({@link TokenChoice}: #id, a vocabulary string or a one-token text). */
    static int token(Model model, Args args, String name) {
        try {
            return TokenChoice.resolve(model, args.require(name, "TOKEN"), "--" + name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Input input(Args args) {
        String prompt = args.get("prompt");
        int[] ids = args.intList("ids");
        if (prompt != null && ids != null) {
            throw new UsageException("give either --prompt or --ids, not both");
        }
        if (prompt == null && ids == null) {
            throw new UsageException("missing --prompt TEXT or --ids 1,2,3");
        }
        return new Input(prompt, ids);
    }

    static void checkIds(int[] ids, ModelInfo info) {
        for (int id : ids) {
            if (id >= info.vocab()) {
                throw new CliFailure("token id " + id + " is outside the vocabulary of " + info.vocab()
                        + " tokens of " + info.folder());
            }
        }
        if (ids.length > info.maxPositions()) {
            throw new CliFailure(ids.length + " tokens are more than the " + info.maxPositions()
                    + " positions the model at " + info.folder() + " accepts");
        }
    }

    /** tokenizer.json of a model folder, or the file itself when --model names a tokenizer.json. */
    static Tokenizer loadTokenizer(Path modelOrFile) {
        if (!Files.exists(modelOrFile)) {
            throw new FormatException(modelOrFile, "no such file or folder");
        }
        Path file = Files.isDirectory(modelOrFile) ? modelOrFile.resolve("tokenizer.json") : modelOrFile;
        if (!Files.isRegularFile(file)) {
            throw new FormatException(modelOrFile, "has no tokenizer.json");
        }
        return Tokenizer.load(file);
    }

    /** The folder name, as a short model label in output. */
    static String label(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name != null && name.toString().equals("model") && abs.getParent() != null
                && abs.getParent().getFileName() != null) {
            return abs.getParent().getFileName() + "/model"; // the fixtures' layout NAME/model
        }
        return name == null ? abs.toString() : name.toString();
    }
}
