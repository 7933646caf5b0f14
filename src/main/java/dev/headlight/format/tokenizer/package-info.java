/**
 * Hugging Face tokenizer.json in pure Java, giving the ids of the tokenizers library (Rust).
 *
 * <p>The pipeline is the library's: added tokens are cut out of the raw text (longest match first, honouring
 * lstrip, rstrip, single_word; normalized ones are matched on the normalized text), the rest is normalized by a
 * {@link dev.headlight.format.tokenizer.TextNormalizer} that keeps, per UTF-16 unit, the original range it came
 * from ({@link dev.headlight.format.tokenizer.NormalizedString}), pre-tokenized into words
 * ({@link dev.headlight.format.tokenizer.PreTokenizer}), each word tokenized by the model (BPE, WordPiece,
 * Unigram, WordLevel), and the {@link dev.headlight.format.tokenizer.PostProcessor} adds special tokens.
 * {@link dev.headlight.format.tokenizer.Decoder} turns ids back into text.
 *
 * <p>Where the library's character tables are older or newer than the JDK's (BERT punctuation and control
 * characters, combining marks, digits, some lowercase mappings and decompositions), {@code UnicodeTables} holds
 * the library's own sets, recorded by probing every code point. Regexes are Oniguruma patterns translated by
 * {@code OnigRegex}. Offsets in {@link dev.headlight.format.tokenizer.Encoding} are UTF-16 indices into the text.
 *
 * <p>May use the format package only.
 */
package dev.headlight.format.tokenizer;
