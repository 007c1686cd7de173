package io.ringmq.config;

import java.util.Optional;

/** Finds the known key an unknown one was probably meant to be, for "did you mean ...?" hints. */
final class KeySuggester {

    /** Beyond this many edits a suggestion is more likely to confuse than help. */
    static final int MAX_DISTANCE = 3;

    private KeySuggester() {
    }

    /** The closest known key within {@link #MAX_DISTANCE} edits; on a tie the one declared first. */
    static Optional<String> suggest(String unknown, Iterable<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int d = editDistance(unknown, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
