package dev.headlight.format.tokenizer;

/**
 * The result of encoding a text.
 *
 * @param ids     token ids, special tokens included where the post-processor adds them   // [T]
 * @param tokens  the vocabulary string of each id                                           // [T]
 * @param special whether each token is a special token (added by the post-processor or an added special token) // [T]
 * @param offsets character offsets into the original text, {start, end} per token ({0,0} for added specials) // [T][2]
 */
public record Encoding(int[] ids, String[] tokens, boolean[] special, int[][] offsets) {
    public int length() {
        return ids.length;
    }
}
