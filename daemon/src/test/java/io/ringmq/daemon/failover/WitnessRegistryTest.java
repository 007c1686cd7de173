package io.ringmq.daemon.failover;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.ringmq.daemon.failover.WitnessRegistry.NODE_OF_PRIMARY_ENDPOINT;
import static io.ringmq.daemon.failover.WitnessRegistry.NODE_OF_STANDBY_ENDPOINT;
import static io.ringmq.daemon.failover.WitnessRegistry.NO_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The witness's compare-and-set rules, on the registry alone, with time given by hand (lease 300, drift 50). */
class WitnessRegistryTest
{
    private static final int A = NODE_OF_PRIMARY_ENDPOINT;
    private static final int B = NODE_OF_STANDBY_ENDPOINT;
    private static final long LEASE = 300;
    private static final long DRIFT = 50;

    private final WitnessRegistry registry = new WitnessRegistry(LEASE, DRIFT);

    @Test
    void theFirstPrimaryTakesTheLeaseAndRenewsIt()
    {
        assertTrue(registry.renew(A, 1, B, 1_000));
        assertEquals(1, registry.epoch());
        assertEquals(A, registry.primary());
        assertEquals(B, registry.inSyncStandby());
        assertEquals(1_300, registry.leaseExpiryNs());

        assertTrue(registry.renew(A, 1, NO_NODE, 1_100), "the holder renews");
        assertEquals(1_400, registry.leaseExpiryNs());
        assertEquals(NO_NODE, registry.inSyncStandby(), "each renewal says who is in sync now");
    }

    @Test
    void anotherNodeOfTheSameOrAnOlderEpochIsRefused()
    {
        registry.renew(A, 2, B, 1_000);
        assertFalse(registry.renew(B, 2, NO_NODE, 1_100), "same epoch, not the holder");
        assertFalse(registry.renew(B, 1, NO_NODE, 5_000), "older epoch, even after the lease expired");
        assertFalse(registry.renew(A, 1, NO_NODE, 1_100), "the holder in an older epoch");
        assertEquals(A, registry.primary());
        assertEquals(1_300, registry.leaseExpiryNs(), "a refusal changes nothing");
    }

    @Test
    void theStandbyPromotesOnlyOnceTheLeaseExpiredPlusTheDriftMargin()
    {
        registry.renew(A, 1, B, 1_000); // expires at 1_300
        assertFalse(registry.promote(B, 1, 1_299), "lease still valid");
        assertFalse(registry.promote(B, 1, 1_300), "expired, but within the drift margin");
        assertFalse(registry.promote(B, 1, 1_349), "expired, but within the drift margin");
        assertEquals(1, registry.epoch());
        assertTrue(registry.promote(B, 1, 1_350));
        assertEquals(2, registry.epoch());
        assertEquals(B, registry.primary());
        assertEquals(NO_NODE, registry.inSyncStandby(), "the new primary has no standby yet");
        assertEquals(1_650, registry.leaseExpiryNs(), "the winner holds a fresh lease");
    }

    @Test
    void theCompareAndSetNeedsTheEpochTheRegistryHolds()
    {
        registry.renew(A, 3, B, 1_000);
        assertFalse(registry.promote(B, 2, 10_000), "an older expected epoch");
        assertFalse(registry.promote(B, 4, 10_000), "a newer expected epoch");
        assertTrue(registry.promote(B, 3, 10_000));
        assertFalse(registry.promote(B, 3, 20_000), "the same CAS twice: the registry moved on");
        assertEquals(4, registry.epoch());
    }

    @Test
    void onlyTheStandbyThePrimaryNamedInSyncMayPromote()
    {
        registry.renew(A, 1, NO_NODE, 1_000); // the standby fell out of sync
        assertFalse(registry.promote(B, 1, 10_000));
        assertFalse(registry.promote(A, 1, 10_000), "the primary itself is not its standby");
        assertEquals(A, registry.primary());
    }

    @Test
    void theReplacedPrimaryCannotRenewAndTheNewOneCan()
    {
        registry.renew(A, 1, B, 1_000);
        assertTrue(registry.promote(B, 1, 2_000));
        assertFalse(registry.renew(A, 1, B, 2_001), "a paused primary that wakes up gets no lease");
        assertTrue(registry.renew(B, 2, A, 2_100));
        assertEquals(2_400, registry.leaseExpiryNs());
    }

    @Test
    void aNodePromotedByHandAnnouncesItsNewerEpoch()
    {
        registry.renew(A, 1, B, 1_000);
        assertTrue(registry.renew(B, 2, NO_NODE, 1_100), "promoted by an operator: epoch 2 outranks epoch 1");
        assertFalse(registry.renew(A, 1, B, 1_150));
        assertEquals(B, registry.primary());
    }

    @Test
    void aSnapshotRestoresTheSameRegistry()
    {
        registry.renew(A, 7, B, 1_000);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WitnessRegistry.ENCODED_LENGTH]);
        registry.encode(buffer, 0);
        final WitnessRegistry restored = new WitnessRegistry(LEASE, DRIFT);
        restored.decode(buffer, 0);
        assertEquals(7, restored.epoch());
        assertEquals(A, restored.primary());
        assertEquals(B, restored.inSyncStandby());
        assertEquals(1_300, restored.leaseExpiryNs());
        assertTrue(restored.promote(B, 7, 1_350));
    }
}
