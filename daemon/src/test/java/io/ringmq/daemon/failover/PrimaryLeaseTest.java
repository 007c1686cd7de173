package io.ringmq.daemon.failover;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The primary's lease on a stepped clock, its gate in front of the dispatcher, and its timing against the witness's. */
class PrimaryLeaseTest
{
    private static final long LEASE = 300;
    private static final long DRIFT = 50;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final PrimaryLease lease = new PrimaryLease(clock);
    private final List<Long> dispatched = new ArrayList<>();
    private final EventHandler<CommandEvent> dispatcher = (event, sequence, endOfBatch) -> dispatched.add(sequence);

    @Test
    void aGrantHoldsFromTheRequestsSendingForOneLease()
    {
        assertFalse(lease.held(), "nothing granted yet");
        lease.grant(1_000, LEASE);
        clock.update(1_299);
        assertTrue(lease.held());
        clock.update(1_300);
        assertFalse(lease.held(), "expired at the request's sending plus the lease");

        lease.grant(1_200, LEASE);
        lease.grant(1_100, LEASE); // an older request's grant arriving late
        clock.update(1_499);
        assertTrue(lease.held(), "a late grant of an older request does not shorten it");
        lease.revoke();
        assertFalse(lease.held(), "refused: no lease");
    }

    @Test
    void aPrimaryCutOffFromTheWitnessStopsBeforeTheStandbyMayPromote()
    {
        final WitnessRegistry registry = new WitnessRegistry(LEASE, DRIFT);
        final int primary = WitnessRegistry.NODE_OF_PRIMARY_ENDPOINT;
        final int standby = WitnessRegistry.NODE_OF_STANDBY_ENDPOINT;
        // The last renewal: sent at 1_000 by the primary, stamped 1_010 by the witness (the same rate of time).
        assertTrue(registry.renew(primary, 1, standby, 1_010));
        lease.grant(1_000, LEASE);

        for (long now = 1_000; now < 2_000; now++)
        {
            clock.update(now);
            final boolean standbyWins = registry.promote(standby, 1, now);
            if (standbyWins)
            {
                assertFalse(lease.held(), "the standby won at " + now + " while the primary still held its lease");
                assertEquals(1_360, now, "lease expiry at the witness plus the drift margin");
                return;
            }
        }
        throw new AssertionError("the standby never won");
    }

    @Test
    void theGateLetsCommandsThroughWhileTheLeaseIsHeldOrReceiptsWaitForTheStandby() throws Exception
    {
        final boolean[] standbyInSync = {false};
        final EventHandler<CommandEvent> gate = lease.gate(dispatcher, () -> standbyInSync[0]);
        lease.grant(0, LEASE);
        clock.update(100);
        gate.onEvent(null, 1, true);
        clock.update(LEASE); // expired
        standbyInSync[0] = true;
        gate.onEvent(null, 2, true);
        assertEquals(List.of(1L, 2L), dispatched);
        assertEquals(0, lease.holds());
    }

    @Test
    void aHeldDispatcherFailsItsCommandWhenTheDaemonStops()
    {
        final EventHandler<CommandEvent> gate = lease.gate(dispatcher, () -> false);
        lease.stop();
        assertThrows(IllegalStateException.class, () -> gate.onEvent(null, 1, true));
        assertTrue(dispatched.isEmpty(), "nothing applied, nothing answered");
        assertEquals(1, lease.holds());
    }
}
