package io.ringmq.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiptHandlesTest
{
    @Test
    void aHandleNamesItsGroupSequenceAttemptAndHandOutAndFitsAPathSegment()
    {
        final String handle = ReceiptHandles.encode("billing.eu-1", 1234567890123L, 3, -7L);
        assertTrue(handle.matches("[A-Za-z0-9_-]+"), handle);
        assertEquals(new ReceiptHandles.Decoded("billing.eu-1", 1234567890123L, 3, -7L), ReceiptHandles.decode(handle));
        assertNotEquals(handle, ReceiptHandles.encode("billing.eu-1", 1234567890123L, 4, -7L), "each attempt its own");
        assertNotEquals(handle, ReceiptHandles.encode("billing.eu-1", 1234567890123L, 3, 8L), "each hand-out its own");
    }

    @Test
    void textThatIsNotAHandleIsMalformed()
    {
        for (final String bad : new String[] {"", "not-a-handle", "%%%", text("1.1"), text("1.1.a."), text("x.1.a.g"),
            text("1.y.a.g"), text("0.1.a.g"), text("1.0.a.g"), text("-5.1.a.g"), text("1"), text("1.1.g"),
            text("1.1.!.g"), text("1.1..g")})
        {
            final ReceiptHandleException ex = assertThrows(ReceiptHandleException.class,
                () -> ReceiptHandles.decode(bad), bad);
            assertTrue(ex.malformed(), bad);
        }
    }

    private static String text(final String raw)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
