package dev.headlight.format.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The "decoder" of tokenizer.json: turns token strings back into text, step by step over the token list. */
@FunctionalInterface
interface Decoder {
    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }

    static Decoder sequence(List<Decoder> steps) {
        return tokens -> {
            List<String> out = tokens;
            for (Decoder step : steps) {
                out = step.decodeChain(out);
            }
            return out;
        };
    }

    /** ByteLevel: byte-level characters back to bytes, then lossy UTF-8; one string out. */
    static Decoder byteLevel() {
        return tokens -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String t : tokens) {
                byte[] b = ByteLevel.bytesOf(t);
                bytes.writeBytes(b != null ? b : t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return List.of(ByteLevel.decodeUtf8Lossy(bytes.toByteArray()));
        };
    }

    /** Metaspace: the replacement becomes a space, and disappears in the first token unless prepend is never. */
    static Decoder metaspace(String replacement, boolean prependNever) {
        int rep = replacement.codePointAt(0);
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                StringBuilder sb = new StringBuilder(t.length());
                boolean first = i == 0;
                t.codePoints().forEach(cp -> {
                    if (cp == rep) {
                        if (!first || prependNever) {
                            sb.append(' ');
                        }
                    } else {
                        sb.appendCodePoint(cp);
                    }
                });
                out.add(sb.toString());
            }
            return out;
        };
    }

    static Decoder wordPiece(String prefix, boolean cleanup) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i != 0) {
                    t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
                }
                out.add(cleanup ? cleanup(t) : t);
            }
            return out;
        };
    }

    /** The English clean-up of tokenization spaces that WordPiece and CTC decoders apply. */
    static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    static Decoder replace(Pattern pattern, String content) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                out.add(NormalizedString.of(t, 0).replace(pattern, content).text);
            }
            return out;
        };
    }

    /** ByteFallback: runs of {@code <0xNN>} tokens become the text of their bytes (U+FFFD per byte if invalid). */
    static Decoder byteFallback() {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (String t : tokens) {
                int b = parseByteToken(t);
                if (b >= 0) {
                    pending.write(b);
                    continue;
                }
                flushBytes(pending, out);
                out.add(t);
            }
            flushBytes(pending, out);
            return out;
        };
    }

    private static void flushBytes(ByteArrayOutputStream pending, List<String> out) {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        String text = strictUtf8(bytes);
        if (text != null) {
            out.add(text);
        } else {
            for (int i = 0; i < bytes.length; i++) {
                out.add("\uFFFD");
            }
        }
    }

    /** The text of a byte-fallback token {@code <0xNN>}, or -1. */
    static int parseByteToken(String t) {
        if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
            try {
                return Integer.parseInt(t.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    static String strictUtf8(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    static Decoder fuse() {
        return tokens -> List.of(String.join("", tokens));
    }

    /** Strip: removes up to {@code start} leading and {@code stop} trailing {@code content} characters per token. */
    static Decoder strip(int content, int start, int stop) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int[] cps = t.codePoints().toArray();
                int startCut = 0;
                for (int i = 0; i < Math.min(start, cps.length); i++) {
                    if (cps[i] == content) {
                        startCut = i + 1;
                    } else {
                        break;
                    }
                }
                int stopCut = cps.length;
                for (int i = 0; i < stop && i < cps.length; i++) {
                    int index = cps.length - i - 1;
                    if (cps[index] == content) {
                        stopCut = index;
                    } else {
                        break;
                    }
                }
                StringBuilder sb = new StringBuilder();
                for (int i = startCut; i < Math.max(startCut, stopCut); i++) {
                    sb.appendCodePoint(cps[i]);
                }
                out.add(sb.toString());
            }
            return out;
        };
    }

    /** BPEDecoder: the end-of-word suffix becomes a space (nothing on the last token). */
    static Decoder bpe(String suffix) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        };
    }

    /** CTC: collapses repeats, drops the pad token, turns the word delimiter into a space. */
    static Decoder ctc(String padToken, String wordDelimiter, boolean cleanup) {
        return tokens -> {
            List<String> out = new ArrayList<>();
            String previous = null;
            for (String t : tokens) {
                if (t.equals(previous)) {
                    continue;
                }
                previous = t;
                if (t.equals(padToken)) {
                    continue;
                }
                String s = t.replace(wordDelimiter, " ");
                out.add(cleanup ? cleanup(s).replace(wordDelimiter, " ") : s);
            }
            return out;
        };
    }
}
