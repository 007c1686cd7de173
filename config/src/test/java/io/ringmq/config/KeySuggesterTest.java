package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, KeySuggester.editDistance("ringmq.ring.size", "ringmq.ring.size"));
        assertEquals(1, KeySuggester.editDistance("ringmq.ring.sise", "ringmq.ring.size"));
        assertEquals(1, KeySuggester.editDistance("ringmq.ring.sizes", "ringmq.ring.size"));
        assertEquals(2, KeySuggester.editDistance("ringmq.rin.sze", "ringmq.ring.size"));
        assertEquals(3, KeySuggester.editDistance("kitten", "sitting"));
        assertEquals(4, KeySuggester.editDistance("", "abcd"));
    }

    @Test
    void suggestsOnlyWithinThreeEdits() {
        List<String> known = List.of("ringmq.ring.size", "ringmq.data.dir");
        assertEquals(Optional.of("ringmq.ring.size"), KeySuggester.suggest("ringmq.rng.sz", known));
        assertEquals(Optional.of("ringmq.data.dir"), KeySuggester.suggest("ringmq.dat.dr", known));
        assertEquals(Optional.empty(), KeySuggester.suggest("ringmq.data.directory", known));
    }

    @Test
    void closestWinsAndTiesGoToTheFirstDeclared() {
        assertEquals(Optional.of("abcd"), KeySuggester.suggest("abcx", List.of("axyz", "abcd")));
        assertEquals(Optional.of("abce"), KeySuggester.suggest("abcx", List.of("abce", "abcd")));
    }
}
