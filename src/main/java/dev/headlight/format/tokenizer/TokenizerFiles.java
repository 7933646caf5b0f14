package dev.headlight.format.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes tokenizer.json in the format the Hugging Face tokenizers library reads (version 1.0: BPE model with vocab
 * and merges, ByteLevel pre-tokenizer and decoder) plus tokenizer_config.json.
 */
public final class TokenizerFiles {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {
    }

    /**
     * A byte-level BPE tokenizer as GPT-2's: {@code vocab[id]} are byte-level strings, id 0 the special
     * {@code <|endoftext|>}; ByteLevel post-processor (no BOS added, as GPT-2).
     */
    public static void writeByteLevelBpe(Path folder, String[] vocab, List<String[]> merges, String special)
            throws IOException {
        ObjectNode root = header(vocab, special);
        root.set("pre_tokenizer", byteLevel(false, true));
        root.set("post_processor", byteLevel(true, false));
        root.set("decoder", byteLevel(true, true));
        root.set("model", bpeModel(vocab, merges));
        write(folder, root, special);
    }

    /** The pre-tokenizer regex of Qwen2's tokenizer.json. */
    static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * A byte-level BPE tokenizer laid out as Qwen2's: NFC normalizer; a regex split then ByteLevel without its own
     * regex; {@code vocab[id]} byte-level strings followed by {@code specials} as added special tokens with the
     * next ids (Qwen2: {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}); no BOS; the first
     * special is the end-of-text token.
     */
    public static void writeQwen2Bpe(Path folder, String[] vocab, List<String[]> merges, List<String> specials)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.length + i);
            t.put("content", specials.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", QWEN2_SPLIT);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = byteLevel(false, true);
        byteLevel.put("use_regex", false); // the split above did the regex's work
        steps.add(byteLevel);
        root.set("post_processor", byteLevel(true, false));
        root.set("decoder", byteLevel(true, true));
        root.set("model", bpeModel(vocab, merges));
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("tokenizer.json"), JSON.writeValueAsString(root) + "\n");
        ObjectNode config = JSON.createObjectNode();
        config.put("backend", "tokenizers");
        config.putNull("bos_token");
        config.put("eos_token", specials.getFirst());
        config.put("pad_token", specials.getFirst());
        config.put("model_max_length", 32768);
        config.put("tokenizer_class", "Qwen2Tokenizer");
        config.put("clean_up_tokenization_spaces", false);
        Files.writeString(folder.resolve("tokenizer_config.json"), JSON.writeValueAsString(config) + "\n");
    }

    /**
     * One token per character: a BPE model without merges over single-character symbols, ByteLevel pre-tokenizer
     * and decoder, and a post-processor that puts {@code bos} first as the model was trained.
     */
    public static void writeCharacterTokenizer(Path folder, String[] vocab, String bos) throws IOException {
        ObjectNode root = header(vocab, bos);
        root.set("pre_tokenizer", byteLevel(false, true));
        ObjectNode post = JSON.createObjectNode();
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 0);
        ObjectNode specials = post.putObject("special_tokens").putObject(bos);
        specials.put("id", bos);
        specials.putArray("ids").add(indexOf(vocab, bos));
        specials.putArray("tokens").add(bos);
        root.set("post_processor", post);
        root.set("decoder", byteLevel(true, true));
        root.set("model", bpeModel(vocab, List.of()));
        write(folder, root, bos);
    }

    private static int indexOf(String[] vocab, String token) {
        for (int i = 0; i < vocab.length; i++) {
            if (vocab[i].equals(token)) {
                return i;
            }
        }
        throw new IllegalArgumentException(token + " is not in the vocabulary");
    }

    private static ObjectNode header(String[] vocab, String special) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode added = root.putArray("added_tokens").addObject();
        added.put("id", indexOf(vocab, special));
        added.put("content", special);
        added.put("single_word", false);
        added.put("lstrip", false);
        added.put("rstrip", false);
        added.put("normalized", false);
        added.put("special", true);
        root.putNull("normalizer");
        return root;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
    }

    private static ObjectNode bpeModel(String[] vocab, List<String[]> merges) {
        ObjectNode model = JSON.createObjectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.length; i++) {
            v.put(vocab[i], i);
        }
        ArrayNode m = model.putArray("merges");
        for (String[] merge : merges) {
            m.addArray().add(merge[0]).add(merge[1]);
        }
        return model;
    }

    private static void write(Path folder, ObjectNode root, String special) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("tokenizer.json"), JSON.writeValueAsString(root) + "\n");
        ObjectNode config = JSON.createObjectNode();
        config.put("backend", "tokenizers");
        config.put("bos_token", special);
        config.put("eos_token", special);
        config.put("unk_token", special);
        config.put("model_max_length", 1024);
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("clean_up_tokenization_spaces", false);
        Files.writeString(folder.resolve("tokenizer_config.json"), JSON.writeValueAsString(config) + "\n");
    }
}
