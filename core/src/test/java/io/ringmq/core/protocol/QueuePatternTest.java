package io.ringmq.core.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuePatternTest
{
    @Test
    void aStarIsExactlyOneSegment()
    {
        final QueuePattern pattern = QueuePattern.parse("orders.*");
        assertTrue(pattern.matches("orders.eu"));
        assertTrue(pattern.matches("orders.us"));
        assertFalse(pattern.matches("orders"));
        assertFalse(pattern.matches("orders.eu.paid"));
        assertFalse(pattern.matches("ordersx.eu"));
        assertFalse(pattern.matches("billing.eu"));
    }

    @Test
    void aStarMayStandAnywhere()
    {
        final QueuePattern pattern = QueuePattern.parse("*.eu.*");
        assertTrue(pattern.matches("orders.eu.paid"));
        assertFalse(pattern.matches("orders.us.paid"));
        assertFalse(pattern.matches("orders.eu"));
        assertTrue(QueuePattern.parse("*").matches("orders"));
        assertFalse(QueuePattern.parse("*").matches("orders.eu"));
    }

    @Test
    void aGreaterThanIsOneOrMoreSegmentsAtTheEnd()
    {
        final QueuePattern pattern = QueuePattern.parse("orders.>");
        assertTrue(pattern.matches("orders.eu"));
        assertTrue(pattern.matches("orders.eu.paid.late"));
        assertFalse(pattern.matches("orders"));
        assertFalse(pattern.matches("orders-eu.x"));
        assertTrue(QueuePattern.parse(">").matches("anything.at.all"));
    }

    @Test
    void deadLetterQueuesAreMatchedOnlyByAPatternEndingInDlq()
    {
        assertFalse(QueuePattern.parse("orders.>").matches("orders.eu.dlq"));
        assertFalse(QueuePattern.parse("orders.*").matches("orders.dlq"));
        assertFalse(QueuePattern.parse(">").matches("orders.dlq"));
        assertTrue(QueuePattern.parse("orders.*.dlq").matches("orders.eu.dlq"));
        assertTrue(QueuePattern.parse("*.dlq").matches("orders.dlq"));
        assertTrue(QueuePattern.parse("orders.>").matches("orders.dlqs"), "only the segment dlq itself");
    }

    @Test
    void anythingElseIsNotAPattern()
    {
        assertNull(QueuePattern.parse("orders.eu"), "no wildcard: a queue name, not a pattern");
        assertNull(QueuePattern.parse("orders.>.paid"), "> only last");
        assertNull(QueuePattern.parse("orders.*x"), "a wildcard is a whole segment");
        assertNull(QueuePattern.parse("orders..*"), "no empty segment");
        assertNull(QueuePattern.parse("*."));
        assertNull(QueuePattern.parse("orders.*/x"));
        assertNull(QueuePattern.parse("*." + "a".repeat(Names.MAX_LENGTH)));
        assertNotNull(QueuePattern.parse("a-b_c.*"));
        assertEquals("orders.*", QueuePattern.parse("orders.*").text());
    }

    @Test
    void isPatternIsAboutTheWildcardCharactersOnly()
    {
        assertTrue(QueuePattern.isPattern("orders.*"));
        assertTrue(QueuePattern.isPattern("a>"));
        assertFalse(QueuePattern.isPattern("orders.eu"));
    }
}
