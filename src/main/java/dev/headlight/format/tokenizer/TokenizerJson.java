package dev.headlight.format.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.ErrorMessages;
import dev.headlight.format.FormatException;
import dev.headlight.format.InputFiles;
import dev.headlight.format.JsonTrees;
import dev.headlight.format.tokenizer.NormalizedString.SplitBehavior;
import dev.headlight.format.tokenizer.PostProcessor.Piece;
import dev.headlight.format.tokenizer.PreTokenizer.PrependScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads tokenizer.json (the tokenizers library's serialization) into an {@link HfTokenizer}. */
final class TokenizerJson {
    // vocabularies have tens of thousands of distinct keys: canonicalizing them as field names only costs time.
    // No ObjectMapper: its first use costs ~0.25 s of class loading in a fresh JVM (JsonTrees builds the trees)
    private static final com.fasterxml.jackson.core.JsonFactory FACTORY = com.fasterxml.jackson.core.JsonFactory
            .builder()
            .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A problem in the file; turned into a FormatException naming the file. */
    private static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message);
        }
    }

    private boolean byteLevelSeen;
    // the large parts of "model", read while streaming rather than as a tree (null when absent)
    private Map<String, Integer> streamedVocab;
    private List<String> streamedPieces;
    private List<Double> streamedScores;
    private String unigramVocabProblem;
    private List<String[]> streamedMerges;

    /**
     * Reads the document as a tree except model.vocab and model.merges, which are streamed straight into maps and
     * lists: they are nearly all of a large file. Returns null when the top level is not an object.
     */
    private JsonNode parse(java.io.InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Bad("empty file");
            }
            if (first != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode root = NODES.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("model") && value == JsonToken.START_OBJECT) {
                    root.set(name, parseModel(p));
                } else {
                    root.set(name, JsonTrees.read(p));
                }
            }
            if (p.nextToken() != null) {
                throw new Bad("invalid JSON: content after the top-level object");
            }
            return root;
        }
    }

    private ObjectNode parseModel(JsonParser p) throws IOException {
        ObjectNode model = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
                streamedVocab = new HashMap<>(1 << 16);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    JsonToken id = p.nextToken();
                    if (id != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                            || p.getIntValue() < 0) {
                        p.skipChildren();
                        throw new Bad("vocab entry '" + token + "' has no valid id");
                    }
                    checkId(token, p.getIntValue());
                    streamedVocab.put(token, p.getIntValue());
                }
                model.set(name, NODES.objectNode());
            } else if (name.equals("vocab") && value == JsonToken.START_ARRAY) {
                streamedPieces = new ArrayList<>();
                streamedScores = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int n = streamedPieces.size() + 1;
                    String piece = null;
                    Double score = null;
                    boolean wellFormed = p.currentToken() == JsonToken.START_ARRAY;
                    if (wellFormed) {
                        int k = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (k == 0 && p.currentToken() == JsonToken.VALUE_STRING) {
                                piece = p.getText();
                            } else if (k == 1 && p.currentToken().isNumeric()) {
                                score = p.getDoubleValue();
                            }
                            p.skipChildren();
                            k++;
                        }
                        wellFormed = k == 2 && piece != null && score != null;
                    } else {
                        p.skipChildren();
                    }
                    if (!wellFormed) {
                        // reported only if a Unigram model reads it; other models complain about the shape
                        if (unigramVocabProblem == null) {
                            unigramVocabProblem = "Unigram vocab entry " + n + " is not [piece, score]";
                        }
                        continue;
                    }
                    streamedPieces.add(piece);
                    streamedScores.add(score);
                }
                model.set(name, NODES.arrayNode());
            } else if (name.equals("merges") && value == JsonToken.START_ARRAY) {
                streamedMerges = new ArrayList<>(1 << 16);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int rank = streamedMerges.size() + 1;
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        String line = p.getText();
                        String[] parts = line.split(" ", -1);
                        if (parts.length != 2) {
                            throw new Bad("merge " + rank + " ('" + line + "') is not two tokens");
                        }
                        streamedMerges.add(parts);
                    } else if (p.currentToken() == JsonToken.START_ARRAY && p.nextToken() == JsonToken.VALUE_STRING) {
                        String a = p.getText();
                        if (p.nextToken() != JsonToken.VALUE_STRING) {
                            throw new Bad("merge " + rank + " is neither \"a b\" nor [\"a\", \"b\"]");
                        }
                        String b = p.getText();
                        if (p.nextToken() != JsonToken.END_ARRAY) {
                            throw new Bad("merge " + rank + " is neither \"a b\" nor [\"a\", \"b\"]");
                        }
                        streamedMerges.add(new String[] {a, b});
                    } else {
                        throw new Bad("merge " + rank + " is neither \"a b\" nor [\"a\", \"b\"]");
                    }
                }
                model.set(name, NODES.arrayNode());
            } else {
                model.set(name, JsonTrees.read(p));
            }
        }
        return model;
    }

    private TokenizerJson() {
    }

    /** The largest token id accepted: ids index arrays, so a sparse id near 2^31 would wrap or exhaust memory. */
    static final int MAX_TOKEN_ID = (1 << 24) - 1;

    private static void checkId(String token, int id) {
        if (id > MAX_TOKEN_ID) {
            throw new Bad("vocab entry '" + token + "' has id " + id + ", beyond the limit of " + MAX_TOKEN_ID);
        }
    }

    static Tokenizer load(Path path) {
        // a model folder stands for the tokenizer.json inside it
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        JsonNode root;
        TokenizerJson reader = new TokenizerJson();
        if (!Files.exists(file)) {
            throw new FormatException(file, "file not found");
        }
        try (var in = InputFiles.open(file, InputFiles.MAX_LARGE_JSON)) {
            root = reader.parse(in);
        } catch (Bad e) {
            throw new FormatException(file, e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new FormatException(file, "file not found");
        } catch (JacksonException e) {
            throw FormatException.json(file, e);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(file, "not a tokenizer.json: the top level is not a JSON object");
        }
        try {
            return reader.build(root);
        } catch (Bad | BpeModel.BadMergeException e) {
            throw new FormatException(file, e.getMessage(), e);
        } catch (PatternSyntaxException e) {
            throw new FormatException(file, "bad regex '" + e.getPattern() + "': " + e.getDescription(), e);
        } catch (RuntimeException e) {
            // a fault of this reader on an input it did not foresee: said as such, never as a raw exception
            throw new FormatException(file, "cannot be used: " + ErrorMessages.describe(e), e);
        }
    }

    private Tokenizer build(JsonNode root) {
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isObject()) {
            throw new Bad("missing \"model\"");
        }
        TokenModel model = model(modelNode);
        TextNormalizer normalizer = isAbsent(root.get("normalizer")) ? null : normalizer(root.get("normalizer"));
        PreTokenizer preTokenizer = isAbsent(root.get("pre_tokenizer")) ? null : preTokenizer(root.get("pre_tokenizer"));
        JsonNode addedNode = root.get("added_tokens");
        List<HfTokenizer.AddedToken> added = new ArrayList<>();
        if (addedNode != null && !addedNode.isNull()) {
            if (!addedNode.isArray()) {
                throw new Bad("\"added_tokens\" is not a list");
            }
            for (JsonNode t : addedNode) {
                String content = text(t, "content", null);
                if (content == null) {
                    throw new Bad("an added token has no \"content\"");
                }
                boolean special = bool(t, "special", false);
                added.add(new HfTokenizer.AddedToken(content, special, bool(t, "single_word", false),
                        bool(t, "lstrip", false), bool(t, "rstrip", false), bool(t, "normalized", !special)));
            }
        }
        PostProcessor post = isAbsent(root.get("post_processor")) ? null
                : postProcessor(root.get("post_processor"));
        Decoder decoder = isAbsent(root.get("decoder")) ? null : decoder(root.get("decoder"));
        return new HfTokenizer(model, normalizer, preTokenizer, post, decoder, added, byteLevelSeen);
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull();
    }

    // ---- model ----

    private TokenModel model(JsonNode m) {
        String type = text(m, "type", null);
        if (type == null) {
            // old files have no type: recognise the model by its fields
            type = m.has("merges") ? "BPE" : m.has("max_input_chars_per_word") ? "WordPiece"
                    : m.path("vocab").isArray() ? "Unigram" : "WordLevel";
        }
        return switch (type) {
            case "BPE" -> bpe(m);
            case "WordPiece" -> new WordPieceModel(vocabMap(m), text(m, "unk_token", "[UNK]"),
                    text(m, "continuing_subword_prefix", "##"), m.path("max_input_chars_per_word").asInt(100));
            case "WordLevel" -> new WordLevelModel(vocabMap(m), text(m, "unk_token", null));
            case "Unigram" -> unigram(m);
            default -> throw new Bad("unknown model type '" + type + "'");
        };
    }

    private Map<String, Integer> vocabMap(JsonNode m) {
        if (streamedVocab != null) {
            return streamedVocab;
        }
        JsonNode v = m.get("vocab");
        if (v == null || v.isNull()) {
            throw new Bad("model has no \"vocab\"");
        }
        if (!v.isObject()) {
            throw new Bad("model \"vocab\" is not an object of token to id");
        }
        Map<String, Integer> vocab = new HashMap<>(v.size() * 2);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new Bad("vocab entry '" + e.getKey() + "' has no valid id");
            }
            checkId(e.getKey(), e.getValue().asInt());
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        return vocab;
    }

    private TokenModel bpe(JsonNode m) {
        Map<String, Integer> vocab = vocabMap(m);
        JsonNode mergesNode = m.get("merges");
        List<String[]> merges = streamedMerges != null ? streamedMerges : new ArrayList<>();
        if (streamedMerges == null && mergesNode != null && !mergesNode.isNull()) {
            if (!mergesNode.isArray()) {
                throw new Bad("model \"merges\" is not a list");
            }
            int rank = 0;
            for (JsonNode merge : mergesNode) {
                rank++;
                if (merge.isTextual()) {
                    String[] parts = merge.asText().split(" ", -1);
                    if (parts.length != 2) {
                        throw new Bad("merge " + rank + " ('" + merge.asText() + "') is not two tokens");
                    }
                    merges.add(parts);
                } else if (merge.isArray() && merge.size() == 2) {
                    merges.add(new String[] {merge.get(0).asText(), merge.get(1).asText()});
                } else {
                    throw new Bad("merge " + rank + " is neither \"a b\" nor [\"a\", \"b\"]");
                }
            }
        }
        return new BpeModel(vocab, merges, text(m, "unk_token", null), text(m, "continuing_subword_prefix", null),
                text(m, "end_of_word_suffix", null), bool(m, "fuse_unk", false), bool(m, "byte_fallback", false),
                bool(m, "ignore_merges", false));
    }

    private TokenModel unigram(JsonNode m) {
        if (unigramVocabProblem != null) {
            throw new Bad(unigramVocabProblem);
        }
        if (streamedPieces != null) {
            return unigram(m, streamedPieces, streamedScores);
        }
        JsonNode v = m.get("vocab");
        if (v == null || v.isNull()) {
            throw new Bad("model has no \"vocab\"");
        }
        if (!v.isArray()) {
            throw new Bad("Unigram \"vocab\" is not a list of [piece, score]");
        }
        List<String> pieces = new ArrayList<>(v.size());
        List<Double> scores = new ArrayList<>(v.size());
        for (JsonNode entry : v) {
            if (!entry.isArray() || entry.size() != 2 || !entry.get(1).isNumber()) {
                throw new Bad("Unigram vocab entry " + (pieces.size() + 1) + " is not [piece, score]");
            }
            pieces.add(entry.get(0).asText());
            scores.add(entry.get(1).asDouble());
        }
        return unigram(m, pieces, scores);
    }

    private static TokenModel unigram(JsonNode m, List<String> pieces, List<Double> scores) {
        JsonNode unk = m.get("unk_id");
        Integer unkId = unk == null || unk.isNull() ? null : unk.asInt();
        if (unkId != null && (unkId < 0 || unkId >= pieces.size())) {
            throw new Bad("Unigram unk_id " + unkId + " is outside the vocabulary");
        }
        return new UnigramModel(pieces, scores, unkId, bool(m, "byte_fallback", false));
    }

    // ---- normalizers ----

    private TextNormalizer normalizer(JsonNode n) {
        String type = type(n, "normalizer");
        return switch (type) {
            case "Sequence" -> TextNormalizer.sequence(steps(n, "normalizers", this::normalizer));
            case "NFC" -> TextNormalizer.unicode(Normalizer.Form.NFC);
            case "NFD" -> TextNormalizer.unicode(Normalizer.Form.NFD);
            case "NFKC" -> TextNormalizer.unicode(Normalizer.Form.NFKC);
            case "NFKD" -> TextNormalizer.unicode(Normalizer.Form.NFKD);
            case "Lowercase" -> TextNormalizer.lowercase();
            case "Strip" -> TextNormalizer.strip(bool(n, "strip_left", true), bool(n, "strip_right", true));
            case "StripAccents" -> TextNormalizer.stripAccents();
            case "Replace" -> TextNormalizer.replace(pattern(n.get("pattern")), text(n, "content", ""));
            case "Prepend" -> TextNormalizer.prepend(text(n, "prepend", ""));
            case "BertNormalizer" -> {
                JsonNode strip = n.get("strip_accents");
                yield TextNormalizer.bert(bool(n, "clean_text", true), bool(n, "handle_chinese_chars", true),
                        strip == null || strip.isNull() ? null : strip.asBoolean(), bool(n, "lowercase", true));
            }
            case "Nmt" -> TextNormalizer.nmt();
            // SentencePiece's compiled rules (T5, ALBERT, XLM-R) are almost always nmt_nfkc: approximated as such
            case "Precompiled" -> TextNormalizer.sequence(List.of(TextNormalizer.nmt(),
                    TextNormalizer.unicode(Normalizer.Form.NFKC)));
            case "ByteLevel" -> {
                byteLevelSeen = true;
                yield TextNormalizer.byteLevel();
            }
            default -> throw new Bad("unsupported normalizer '" + type + "'");
        };
    }

    /** A Sequence's steps: each element of {@code n.field}, read by {@code step}. */
    private <T> List<T> steps(JsonNode n, String field, Function<JsonNode, T> step) {
        List<T> steps = new ArrayList<>();
        for (JsonNode s : list(n, field)) {
            steps.add(step.apply(s));
        }
        return steps;
    }

    // ---- pre-tokenizers ----

    private PreTokenizer preTokenizer(JsonNode n) {
        String type = type(n, "pre_tokenizer");
        return switch (type) {
            case "Sequence" -> PreTokenizer.sequence(steps(n, "pretokenizers", this::preTokenizer));
            case "ByteLevel" -> {
                byteLevelSeen = true;
                yield PreTokenizer.byteLevel(bool(n, "add_prefix_space", true), bool(n, "use_regex", true));
            }
            case "Split" -> PreTokenizer.split(pattern(n.get("pattern")), behavior(n, SplitBehavior.ISOLATED),
                    bool(n, "invert", false));
            case "Metaspace" -> {
                String replacement = text(n, "replacement", "\u2581");
                yield PreTokenizer.metaspace(replacement, prependScheme(n), bool(n, "split", true));
            }
            case "Whitespace" -> PreTokenizer.whitespace();
            case "WhitespaceSplit" -> PreTokenizer.whitespaceSplit();
            case "BertPreTokenizer" -> PreTokenizer.bert();
            case "Punctuation" -> PreTokenizer.punctuation(behavior(n, SplitBehavior.ISOLATED));
            case "Digits" -> PreTokenizer.digits(bool(n, "individual_digits", false));
            case "CharDelimiterSplit" -> PreTokenizer.charDelimiter(text(n, "delimiter", " ").codePointAt(0));
            default -> throw new Bad("unsupported pre_tokenizer '" + type + "'");
        };
    }

    private static PrependScheme prependScheme(JsonNode n) {
        JsonNode addPrefix = n.get("add_prefix_space");
        if (addPrefix != null && addPrefix.isBoolean() && !addPrefix.asBoolean() && !n.has("prepend_scheme")) {
            return PrependScheme.NEVER;
        }
        String scheme = text(n, "prepend_scheme", "always");
        return switch (scheme) {
            case "always" -> PrependScheme.ALWAYS;
            case "first" -> PrependScheme.FIRST;
            case "never" -> PrependScheme.NEVER;
            default -> throw new Bad("unknown Metaspace prepend_scheme '" + scheme + "'");
        };
    }

    private static SplitBehavior behavior(JsonNode n, SplitBehavior fallback) {
        String b = text(n, "behavior", null);
        if (b == null) {
            return fallback;
        }
        return switch (b) {
            case "Removed" -> SplitBehavior.REMOVED;
            case "Isolated" -> SplitBehavior.ISOLATED;
            case "MergedWithPrevious" -> SplitBehavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> SplitBehavior.MERGED_WITH_NEXT;
            case "Contiguous" -> SplitBehavior.CONTIGUOUS;
            default -> throw new Bad("unknown split behavior '" + b + "'");
        };
    }

    /** A {"String": s} or {"Regex": r} pattern. */
    private static Pattern pattern(JsonNode p) {
        if (p == null || !p.isObject()) {
            throw new Bad("missing \"pattern\"");
        }
        if (p.has("String")) {
            return OnigRegex.literal(p.get("String").asText());
        }
        if (p.has("Regex")) {
            return OnigRegex.compile(p.get("Regex").asText());
        }
        throw new Bad("pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
    }

    // ---- post-processors ----

    private PostProcessor postProcessor(JsonNode n) {
        String type = type(n, "post_processor");
        return switch (type) {
            case "TemplateProcessing" -> template(n);
            case "BertProcessing" -> PostProcessor.wrap(specialPair(n, "cls"), specialPair(n, "sep"), false, false);
            case "RobertaProcessing" -> PostProcessor.wrap(specialPair(n, "cls"), specialPair(n, "sep"),
                    bool(n, "trim_offsets", true), bool(n, "add_prefix_space", true));
            case "ByteLevel" -> PostProcessor.byteLevel(bool(n, "trim_offsets", true),
                    bool(n, "add_prefix_space", true));
            case "Sequence" -> PostProcessor.sequence(steps(n, "processors", this::postProcessor));
            default -> throw new Bad("unsupported post_processor '" + type + "'");
        };
    }

    private static Piece specialPair(JsonNode n, String field) {
        JsonNode p = n.get(field);
        if (p == null || !p.isArray() || p.size() != 2) {
            throw new Bad("post_processor \"" + field + "\" is not [token, id]");
        }
        return new Piece(p.get(1).asInt(), p.get(0).asText(), true, 0, 0);
    }

    private static PostProcessor template(JsonNode n) {
        JsonNode specials = n.path("special_tokens");
        List<PostProcessor.TemplateItem> single = new ArrayList<>();
        JsonNode items = n.get("single");
        if (items == null || !items.isArray()) {
            throw new Bad("TemplateProcessing has no \"single\" template");
        }
        for (JsonNode item : items) {
            if (item.has("SpecialToken")) {
                String name = item.get("SpecialToken").path("id").asText();
                JsonNode def = specials.get(name);
                if (def == null) {
                    throw new Bad("TemplateProcessing uses special token '" + name + "' missing from special_tokens");
                }
                JsonNode ids = def.path("ids");
                JsonNode tokens = def.path("tokens");
                if (!ids.isArray() || !tokens.isArray() || ids.size() != tokens.size()) {
                    throw new Bad("TemplateProcessing special token '" + name + "' has mismatched ids and tokens");
                }
                Piece[] pieces = new Piece[ids.size()];
                for (int i = 0; i < pieces.length; i++) {
                    pieces[i] = new Piece(ids.get(i).asInt(), tokens.get(i).asText(), true, 0, 0);
                }
                single.add(new PostProcessor.TemplateItem(List.of(pieces)));
            } else if (item.has("Sequence")) {
                single.add(new PostProcessor.TemplateItem(null));
            } else {
                throw new Bad("TemplateProcessing item is neither SpecialToken nor Sequence");
            }
        }
        return PostProcessor.template(single);
    }

    // ---- decoders ----

    private Decoder decoder(JsonNode n) {
        String type = type(n, "decoder");
        return switch (type) {
            case "Sequence" -> Decoder.sequence(steps(n, "decoders", this::decoder));
            case "ByteLevel" -> {
                byteLevelSeen = true;
                yield Decoder.byteLevel();
            }
            case "Metaspace" -> Decoder.metaspace(text(n, "replacement", "\u2581"),
                    prependScheme(n) == PrependScheme.NEVER);
            case "WordPiece" -> Decoder.wordPiece(text(n, "prefix", "##"), bool(n, "cleanup", true));
            case "Replace" -> Decoder.replace(pattern(n.get("pattern")), text(n, "content", ""));
            case "ByteFallback" -> Decoder.byteFallback();
            case "Fuse" -> Decoder.fuse();
            case "Strip" -> Decoder.strip(text(n, "content", " ").codePointAt(0), n.path("start").asInt(0),
                    n.path("stop").asInt(0));
            case "BPEDecoder" -> Decoder.bpe(text(n, "suffix", "</w>"));
            case "CTC" -> Decoder.ctc(text(n, "pad_token", "<pad>"), text(n, "word_delimiter_token", "|"),
                    bool(n, "cleanup", true));
            default -> throw new Bad("unsupported decoder '" + type + "'");
        };
    }

    // ---- helpers ----

    private static String type(JsonNode n, String what) {
        if (!n.isObject()) {
            throw new Bad("\"" + what + "\" is not an object");
        }
        String type = text(n, "type", null);
        if (type == null) {
            throw new Bad(what + " has no \"type\"");
        }
        return type;
    }

    private static Iterable<JsonNode> list(JsonNode n, String field) {
        JsonNode l = n.get(field);
        if (l == null || !l.isArray()) {
            throw new Bad(text(n, "type", "?") + " has no \"" + field + "\" list");
        }
        return l;
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static boolean bool(JsonNode n, String field, boolean fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }
}
