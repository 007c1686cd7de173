package io.ringmq.core.protocol;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header filter grammar and its evaluation over header bytes. */
class HeaderFilterTest
{
    private final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(128);
    private int length;

    @Test
    void equalsPrefixExistsAndComparisons()
    {
        headers("region", "eu-west", "price", "100", "tier", "");

        assertTrue(matches("region=eu-west"));
        assertFalse(matches("region=eu"));
        assertTrue(matches("region^=eu"));
        assertFalse(matches("region^=us"));
        assertTrue(matches("tier?"));
        assertTrue(matches("tier="), "an empty value equals an empty value");
        assertFalse(matches("missing?"));
        assertTrue(matches("price>=100") && matches("price<=100") && matches("price>99.5") && matches("price<100.01"));
        assertFalse(matches("price>100") || matches("price<100") || matches("price<-3"));
        assertFalse(matches("region>1"), "a value that is no number matches no comparison");
        assertFalse(matches("missing<1"));
    }

    @Test
    void clausesJoinedByAndMustAllMatch()
    {
        headers("region", "eu", "price", "-2.5");

        assertTrue(matches("region=eu && price<0"));
        assertTrue(matches(" region = eu&&price >= -2.5 "));
        assertFalse(matches("region=eu && price>0"));
    }

    @Test
    void theCanonicalExpressionTrimsAndJoinsTheClauses()
    {
        assertEquals("region=eu&&price>=100&&tier?", HeaderFilter.parse(" region = eu&& price >=100 && tier? ")
            .expression());
        assertEquals("a=1 && b?", HeaderFilter.allOf(List.of("a=1", "b?")));
        assertNull(HeaderFilter.allOf(List.of()));
    }

    @Test
    void badExpressionsAreRefusedSayingWhy()
    {
        for (final String bad : new String[]{"", "  ", "region", "=eu", "a=1 &&", "&& a=1", "price>>1", "price<x",
            "price<", "a?b", "a^b", "a!=b", "a&b=1", "n<1.", "n<.5", "n<1234567890123456789"})
        {
            final IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> HeaderFilter.parse(bad), bad);
            assertFalse(refused.getMessage().isEmpty());
            assertEquals(refused.getMessage(), HeaderFilter.problem(bad));
        }
        assertNull(HeaderFilter.problem("a=b=c"), "a value may hold '='");
        assertThrows(IllegalArgumentException.class, () -> HeaderFilter.parse("a?&&".repeat(17) + "a?"));
    }

    @Test
    void valuesAreComparedAsBytesAndByteValuesToo()
    {
        length = HeadersLayout.put(headers, 0, bytes("raw"), HeadersLayout.BYTES, new UnsafeBuffer(bytes("42")), 0, 2);

        assertTrue(matches("raw=42") && matches("raw>=42"));
    }

    @Test
    void headersThatAreNotWellFormedMatchNothingAndAreNotReadPastTheirLength()
    {
        headers("region", "eu");
        headers.putInt(HeadersLayout.keyOffset(0) + "region".length() + 1, 1_000_000, java.nio.ByteOrder.LITTLE_ENDIAN);

        assertFalse(matches("region?"));
        assertFalse(HeaderFilter.parse("region?").matches(headers, 0, 3), "cut short");
    }

    @Test
    void numbersAreReadWithoutAllocation()
    {
        final UnsafeBuffer text = new UnsafeBuffer(bytes("-12.75"));
        assertEquals(-12.75, HeaderFilter.parseNumber(text, 0, text.capacity()));
        assertTrue(Double.isNaN(HeaderFilter.parseNumber(new UnsafeBuffer(bytes("1e3")), 0, 3)));
        assertTrue(Double.isNaN(HeaderFilter.parseNumber(new UnsafeBuffer(bytes("-")), 0, 1)));
    }

    private boolean matches(final String expression)
    {
        return HeaderFilter.parse(expression).matches(headers, 0, length);
    }

    private void headers(final String... keysAndValues)
    {
        length = 0;
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            final byte[] value = bytes(keysAndValues[i + 1]);
            length = HeadersLayout.put(headers, length, bytes(keysAndValues[i]), HeadersLayout.TEXT,
                new UnsafeBuffer(value), 0, value.length);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
