package dev.headlight.train;

import java.util.SplittableRandom;

/**
 * The bundled training corpus: sentences from a small templated English grammar, generated rather than downloaded.
 * Many templates name two people and then repeat one of them (indirect-object style: "When Mary and John went to
 * the store, John gave a drink to Mary"), so a model has a reason to grow duplicate-token, induction and name-mover
 * heads; the other templates keep the text varied.
 */
public final class GrammarCorpus {
    static final String[] NAMES = {"Mary", "John", "Alice", "Bob", "Sarah", "Tom", "Emma", "James", "Anna", "David",
        "Lucy", "Peter", "Kate", "Paul", "Laura", "Mark", "Rachel", "Daniel", "Julia", "Chris"};
    static final String[] PLACES = {"store", "park", "school", "market", "library", "station", "garden", "beach",
        "office", "restaurant", "museum", "hospital"};
    static final String[] OBJECTS = {"drink", "book", "ball", "letter", "gift", "key", "bag", "apple", "ticket",
        "map", "hat", "ring", "pen", "cake"};
    static final String[] GIVE = {"gave", "handed", "passed", "sent", "offered", "showed"};
    static final String[] ADJECTIVES = {"small", "red", "old", "new", "heavy", "bright", "quiet", "warm"};
    static final String[] TIMES = {"morning", "evening", "afternoon", "night"};

    private GrammarCorpus() {
    }

    /** {@code lines} sentences, one per line, reproducible from {@code seed}. */
    public static String generate(int lines, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(lines * 80);
        for (int i = 0; i < lines; i++) {
            sb.append(sentence(r)).append('\n');
        }
        return sb.toString();
    }

    static String sentence(SplittableRandom r) {
        String a = pick(r, NAMES);
        String b = pick(r, NAMES);
        while (b.equals(a)) {
            b = pick(r, NAMES);
        }
        String place = pick(r, PLACES);
        String object = pick(r, OBJECTS);
        String give = pick(r, GIVE);
        String adjective = pick(r, ADJECTIVES);
        String time = pick(r, TIMES);
        return switch (r.nextInt(12)) {
            case 0 -> "When " + a + " and " + b + " went to the " + place + ", " + b + " " + give + " a " + object
                    + " to " + a + ".";
            case 1 -> "After " + a + " and " + b + " arrived at the " + place + ", " + a + " " + give + " the "
                    + object + " to " + b + ".";
            case 2 -> "Then, " + a + " and " + b + " had a long talk at the " + place + ". " + b + " " + give
                    + " a " + adjective + " " + object + " to " + a + ".";
            case 3 -> "While " + a + " and " + b + " were working at the " + place + ", " + a + " " + give + " a "
                    + object + " to " + b + ".";
            case 4 -> a + " and " + b + " found a " + adjective + " " + object + " at the " + place + ", and " + b
                    + " " + give + " it to " + a + ".";
            case 5 -> "In the " + time + ", " + a + " met " + b + " at the " + place + ". " + a + " " + give + " "
                    + b + " the " + object + ".";
            case 6 -> a + " went to the " + place + " in the " + time + " and bought a " + adjective + " " + object
                    + ".";
            case 7 -> "The " + object + " was " + adjective + ", so " + a + " took it to the " + place + ".";
            case 8 -> a + " likes the " + place + " because it is " + adjective + " in the " + time + ".";
            case 9 -> "At the " + place + ", " + a + " asked " + b + " for the " + object + ", and " + b
                    + " said yes.";
            case 10 -> a + " wrote a letter to " + b + " about the " + adjective + " " + object + ". " + b
                    + " read the letter in the " + time + ".";
            default -> "Every " + time + ", " + a + " walks to the " + place + " with " + b + ".";
        };
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
