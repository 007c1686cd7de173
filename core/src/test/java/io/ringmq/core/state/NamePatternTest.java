package io.ringmq.core.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamePatternTest
{
    @Test
    void starMatchesAnyRunQuestionMarkOneCharacterEmptyEverything()
    {
        assertTrue(NamePattern.matches("", "orders"));
        assertTrue(NamePattern.matches("orders", "orders"));
        assertFalse(NamePattern.matches("orders", "orders.dlq"));
        assertTrue(NamePattern.matches("orders*", "orders"));
        assertTrue(NamePattern.matches("orders*", "orders.dlq"));
        assertTrue(NamePattern.matches("*.dlq", "orders.dlq"));
        assertFalse(NamePattern.matches("*.dlq", "orders.dlqx"));
        assertTrue(NamePattern.matches("o*s*q", "orders.dlq"));
        assertTrue(NamePattern.matches("o?ders", "orders"));
        assertFalse(NamePattern.matches("o?ders", "oders"));
        assertTrue(NamePattern.matches("*", ""));
        assertFalse(NamePattern.matches("a*b", "acbx"));
        assertTrue(NamePattern.matches("a*b*", "acbxb"));
    }
}
