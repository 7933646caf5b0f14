package dev.headlight.format.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** The "post_processor" of tokenizer.json, for a single sequence: adds special tokens around it. */
interface PostProcessor {
    /** One encoded token during post-processing. */
    record Piece(int id, String token, boolean special, int start, int end) {
    }

    /** {@code text} is the encoded text, which the offsets index. */
    List<Piece> process(String text, List<Piece> sequence, boolean addSpecialTokens);

    /** The pieces a single-sequence template puts before the sequence (for bosTokenId). */
    default List<Piece> prefix() {
        return List.of();
    }

    static PostProcessor none() {
        return (text, seq, add) -> seq;
    }

    /** One item of a single-sequence template: special tokens (one entry may stand for several ids) or null for A. */
    record TemplateItem(List<Piece> specials) {
        boolean isSequence() {
            return specials == null;
        }
    }

    /** TemplateProcessing: the sequence A with special tokens around it. */
    static PostProcessor template(List<TemplateItem> single) {
        return new PostProcessor() {
            @Override
            public List<Piece> process(String text, List<Piece> sequence, boolean add) {
                if (!add) {
                    return sequence;
                }
                List<Piece> out = new ArrayList<>(sequence.size() + 4);
                for (TemplateItem item : single) {
                    out.addAll(item.isSequence() ? sequence : item.specials());
                }
                return out;
            }

            @Override
            public List<Piece> prefix() {
                List<Piece> out = new ArrayList<>();
                for (TemplateItem item : single) {
                    if (item.isSequence()) {
                        break;
                    }
                    out.addAll(item.specials());
                }
                return out;
            }
        };
    }

    /** Bert/Roberta processing: cls + A + sep. */
    static PostProcessor wrap(Piece cls, Piece sep, boolean trimOffsets, boolean addPrefixSpace) {
        return new PostProcessor() {
            @Override
            public List<Piece> process(String text, List<Piece> sequence, boolean add) {
                List<Piece> seq = trimOffsets ? ByteLevelOffsets.trim(text, sequence, addPrefixSpace) : sequence;
                if (!add) {
                    return seq;
                }
                List<Piece> out = new ArrayList<>(seq.size() + 2);
                out.add(cls);
                out.addAll(seq);
                out.add(sep);
                return out;
            }

            @Override
            public List<Piece> prefix() {
                return List.of(cls);
            }
        };
    }

    static PostProcessor byteLevel(boolean trimOffsets, boolean addPrefixSpace) {
        return new PostProcessor() {
            @Override
            public List<Piece> process(String text, List<Piece> sequence, boolean add) {
                return trimOffsets ? ByteLevelOffsets.trim(text, sequence, addPrefixSpace) : sequence;
            }

            @Override
            public List<Piece> prefix() {
                return List.of();
            }
        };
    }

    static PostProcessor sequence(List<PostProcessor> steps) {
        return new PostProcessor() {
            @Override
            public List<Piece> process(String text, List<Piece> sequence, boolean add) {
                List<Piece> out = sequence;
                for (PostProcessor step : steps) {
                    out = step.process(text, out, add);
                }
                return out;
            }

            @Override
            public List<Piece> prefix() {
                List<Piece> out = new ArrayList<>();
                for (PostProcessor step : steps) {
                    out.addAll(step.prefix());
                }
                return out;
            }
        };
    }

    /**
     * ByteLevel's trim_offsets: offsets leave out leading and trailing spaces of each token. The library counts
     * in code points here, so the arithmetic is done in code points and mapped back to UTF-16.
     */
    final class ByteLevelOffsets {
        private ByteLevelOffsets() {
        }

        static List<Piece> trim(String text, List<Piece> pieces, boolean addPrefixSpace) {
            List<Piece> out = new ArrayList<>(pieces.size());
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                String t = p.token();
                int leading = 0;
                for (int k = 0; k < t.length(); ) {
                    int cp = t.codePointAt(k);
                    if (cp != 'Ġ' && !Unicode.isWhiteSpace(cp)) {
                        break;
                    }
                    leading++;
                    k += Character.charCount(cp);
                }
                int trailing = 0;
                for (int k = t.length(); k > 0; ) {
                    int cp = t.codePointBefore(k);
                    if (cp != 'Ġ' && !Unicode.isWhiteSpace(cp)) {
                        break;
                    }
                    trailing++;
                    k -= Character.charCount(cp);
                }
                int start = text.codePointCount(0, p.start());
                int end = text.codePointCount(0, p.end());
                if (leading > 0) {
                    boolean isFirst = i == 0 || start == 0;
                    if (isFirst && addPrefixSpace && leading == 1) {
                        leading = 0;
                    }
                    start = Math.min(start + leading, end);
                }
                if (trailing > 0 && end >= trailing) {
                    end = Math.max(end - trailing, start);
                }
                out.add(new Piece(p.id(), p.token(), p.special(), text.offsetByCodePoints(0, start),
                        text.offsetByCodePoints(0, end)));
            }
            return out;
        }
    }
}
