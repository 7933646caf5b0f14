package dev.headlight.format.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Character tables as the tokenizers library (0.23) sees them. Its BERT normalizer and pre-tokenizer use the
 * unicode_categories crate, whose tables are older than Java's and differ for characters added since. Ranges are
 * inclusive {first, last} pairs, recorded from the library by probing every code point. The tables are data, kept
 * in {@value #RESOURCE} beside this class (what each one holds is said there) and read once.
 */
final class UnicodeTables {
    static final String RESOURCE = "unicode-tables.txt";
    private static final Map<String, int[]> TABLES = read();

    /** Removed by BertNormalizer clean_text: NUL, U+FFFD and categories Cc, Cf, Co (tab, LF, CR excepted). */
    static final int[] BERT_REMOVED = table("BERT_REMOVED");
    /** General category Mn (BertNormalizer strip_accents removes these after NFD). */
    static final int[] NONSPACING_MARK = table("NONSPACING_MARK");
    /** ASCII punctuation and category P (the BERT and the Punctuation pre-tokenizers read the same table). */
    static final int[] PUNCTUATION = table("PUNCTUATION");
    /** Category M as StripAccents sees it. */
    static final int[] COMBINING_MARK = table("COMBINING_MARK");
    /** Categories Nd, Nl, No (Digits pre-tokenizer). */
    static final int[] NUMERIC = table("NUMERIC");
    /** {code point, lowercase} pairs the library (newer Unicode) lowercases and this JDK does not. */
    static final int[] EXTRA_LOWERCASE = table("EXTRA_LOWERCASE");
    /** Characters the library's (older) normalization tables leave alone but this JDK decomposes. */
    static final int[] NORMALIZATION_INERT = table("NORMALIZATION_INERT");

    private UnicodeTables() {
    }

    /** Whether {@code cp} lies in one of the sorted inclusive ranges. */
    static boolean contains(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int[] table(String name) {
        int[] table = TABLES.get(name);
        if (table == null) {
            throw new IllegalStateException(RESOURCE + " has no table " + name);
        }
        return table;
    }

    /** The resource's tables by name: "[NAME]" lines start one, then hexadecimal numbers; "#" starts a comment. */
    private static Map<String, int[]> read() {
        Map<String, int[]> tables = new HashMap<>();
        try (InputStream in = UnicodeTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + UnicodeTables.class.getName());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String name = null;
            int[] values = new int[0];
            int count = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    if (name != null) {
                        tables.put(name, Arrays.copyOf(values, count));
                    }
                    name = line.substring(1, line.length() - 1);
                    count = 0;
                    continue;
                }
                for (String hex : line.split("\\s+")) {
                    if (count == values.length) {
                        values = Arrays.copyOf(values, Math.max(64, 2 * count));
                    }
                    values[count++] = Integer.parseInt(hex, 16);
                }
            }
            if (name != null) {
                tables.put(name, Arrays.copyOf(values, count));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return tables;
    }
}
