package io.ringmq.core.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettleRefusalsTest
{
    @Test
    void aStaleDeliveryRefusalNamesItsDeliveryAndConsumer()
    {
        final String text = SettleRefusals.staleDelivery(1234567890123L, 7, "orders.eu-1", 4242L);
        assertEquals("delivery 1234567890123/7 of queue 'orders.eu-1' is not in flight to consumer 4242", text);
        final SettleRefusals.Named named = SettleRefusals.parse(text);
        assertEquals(new SettleRefusals.Named(1234567890123L, 7, 4242L), named);
        assertTrue(named.names(4242L, 1234567890123L, 7));
        assertFalse(named.names(4242L, 1234567890123L, 8), "another attempt");
        assertFalse(named.names(4243L, 1234567890123L, 7), "another consumer");
        assertEquals(named, SettleRefusals.parse("STALE_DELIVERY: " + text), "as a client's exception words it");
    }

    @Test
    void anUnknownConsumerRefusalNamesEveryDeliveryOfThatConsumer()
    {
        final SettleRefusals.Named named = SettleRefusals.parse(SettleRefusals.unknownConsumer(12L));
        assertTrue(named.names(12L, 5L, 1));
        assertTrue(named.names(12L, 6L, 3));
        assertFalse(named.names(13L, 5L, 1));
    }

    @Test
    void otherTextNamesNothing()
    {
        assertNull(SettleRefusals.parse("queue 'q' does not exist"));
        assertNull(SettleRefusals.parse("delivery x/1 of queue 'q' is not in flight to consumer 3"));
        assertNull(SettleRefusals.parse("delivery 99999999999999999999/1 of queue 'q' is not in flight to consumer 3"));
        assertNull(SettleRefusals.parse(""));
        assertNull(SettleRefusals.parse("xdelivery 1/1 of queue 'q' is not in flight to consumer 3"));
        assertNull(SettleRefusals.parse("delivery 1/1 of queue 'q' is not in flight to consumer 3 or so"));
    }
}
