package io.ringmq.transport.replication;

import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes' heartbeats over IPC (the same class runs over UDP between nodes), stepped by hand on a fake clock: each
 * hears the other, and takes it as lost exactly when the timeout has passed with no heartbeat, not a step before.
 */
class PairHeartbeatTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int TO_STANDBY = 11;
    private static final int TO_PRIMARY = 12;
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long REAL_DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    private final EmbeddedAeron aeron = new EmbeddedAeron();
    private final CachedNanoClock clock = new CachedNanoClock();
    private long primaryLogSequence = 42;
    private final StringBuilder handovers = new StringBuilder();

    @AfterEach
    void close()
    {
        aeron.close();
    }

    @Test
    void eachSideHearsTheOtherAndTakesItAsLostOnlyOnceTheTimeoutHasPassed()
    {
        final PairHeartbeat primary = heartbeat(TO_STANDBY, TO_PRIMARY, ReplicationFrames.ROLE_PRIMARY, 1);
        final PairHeartbeat standby = heartbeat(TO_PRIMARY, TO_STANDBY, ReplicationFrames.ROLE_STANDBY, 1);
        assertFalse(primary.peerAlive(), "nothing heard yet");

        stepBothUntil(primary, standby, () -> primary.peerAlive() && standby.peerAlive());
        assertEquals(1, standby.peerEpoch());
        assertEquals(42, standby.peerLogSequence(), "the primary's last log sequence travels with its heartbeat");
        assertEquals("localhost:40501, /dev/shm/primary", standby.peerClientAddress(),
            "where clients reach the primary travels with its heartbeat");
        assertEquals("/dev/shm/standby", primary.peerClientAddress());

        primaryLogSequence = 43; // the next heartbeat carries it
        stepBothUntil(primary, standby, () -> standby.peerLogSequence() == 43);

        assertEquals("", handovers.toString(), "heartbeats are no handover");
        primary.handOver(43);
        primary.doWork(); // no interval has passed: a handover goes at once
        standby.doWork();
        assertEquals("1@43 ", handovers.toString(), "the standby is told to take over after log sequence 43");
        stepBothUntil(primary, standby, () -> handovers.length() > "1@43 ".length());
        assertTrue(standby.peerAlive(), "a handover is a heartbeat too");
        primary.endHandover();

        // The standby stops (its heartbeats end). The primary heard it at the current step.
        standby.onClose();
        clock.advance(TIMEOUT_NS - 1);
        primary.doWork();
        assertTrue(primary.peerAlive(), "one nanosecond before the timeout the standby is still alive");
        clock.advance(1);
        primary.doWork();
        assertFalse(primary.peerAlive(), "at the timeout it is lost");
        assertEquals(1, primary.losses());
        assertEquals(0, standby.losses(), "the standby never missed the primary");
        clock.advance(TIMEOUT_NS);
        primary.doWork();
        assertEquals(1, primary.losses(), "a loss is taken once");

        // The primary's heartbeats are lost the same way on a standby that outlives it.
        final PairHeartbeat standbyBack = heartbeat(TO_PRIMARY, TO_STANDBY, ReplicationFrames.ROLE_STANDBY, 1);
        stepBothUntil(primary, standbyBack, () -> primary.peerAlive() && standbyBack.peerAlive());
        primary.onClose();
        clock.advance(TIMEOUT_NS);
        standbyBack.doWork();
        assertFalse(standbyBack.peerAlive(), "the standby takes the stopped primary as lost at the timeout");
        assertEquals(1, standbyBack.losses());
        standbyBack.onClose();
    }

    @Test
    void aHeartbeatOfAnOlderEpochIsRefusedAndKeepsNoNodeAlive()
    {
        final long[] oldNodeEpoch = {1};
        final PairHeartbeat newPrimary = heartbeat(TO_STANDBY, TO_PRIMARY, ReplicationFrames.ROLE_PRIMARY, () -> 2);
        final PairHeartbeat oldNode =
            heartbeat(TO_PRIMARY, TO_STANDBY, ReplicationFrames.ROLE_PRIMARY, () -> oldNodeEpoch[0]);

        stepUntil(newPrimary, oldNode, () -> oldNode.peerAlive() && newPrimary.refusedHeartbeats() >= 3);
        assertEquals(2, oldNode.peerEpoch(), "the old node hears the newer epoch: that is how it learns it");
        assertFalse(newPrimary.peerAlive(), "the node still in epoch 1 is not taken as alive by the epoch-2 primary");
        assertEquals(0, newPrimary.peerEpoch(), "nothing of a refused heartbeat is taken");

        oldNode.handOver(99);
        stepUntil(newPrimary, oldNode, () -> newPrimary.refusedHeartbeats() >= 6);
        assertEquals("", handovers.toString(), "a HANDOVER of an older epoch is refused like a heartbeat");
        oldNode.endHandover();

        oldNodeEpoch[0] = 2; // it took the new epoch's frames (a standby of the new primary now)
        stepUntil(newPrimary, oldNode, newPrimary::peerAlive);
        assertEquals(2, newPrimary.peerEpoch());
        final long refused = newPrimary.refusedHeartbeats();
        final long heardNs = newPrimary.lastHeardNs();
        stepUntil(newPrimary, oldNode, () -> newPrimary.lastHeardNs() > heardNs);
        assertEquals(refused, newPrimary.refusedHeartbeats(), "heartbeats of its own epoch are taken");
        newPrimary.onClose();
        oldNode.onClose();
    }

    private PairHeartbeat heartbeat(final int sendStream, final int receiveStream, final int role, final long epoch)
    {
        return heartbeat(sendStream, receiveStream, role, () -> epoch);
    }

    private PairHeartbeat heartbeat(
        final int sendStream, final int receiveStream, final int role, final LongSupplier epoch)
    {
        return new PairHeartbeat(
            () -> aeron.aeron().addExclusivePublication(CHANNEL, sendStream),
            aeron.aeron().addSubscription(CHANNEL, receiveStream),
            clock,
            INTERVAL_NS,
            TIMEOUT_NS,
            () -> role,
            epoch,
            () -> ReplicationFrames.ROLE_PRIMARY == role ? primaryLogSequence : 0,
            "the other node",
            (handoverEpoch, handoverLogSequence) -> handovers.append(handoverEpoch).append('@')
                .append(handoverLogSequence).append(' '),
            ReplicationFrames.ROLE_PRIMARY == role ? "localhost:40501, /dev/shm/primary" : "/dev/shm/standby");
    }

    /** Steps both agents, the fake clock one interval a step, until the condition holds (within a real deadline). */
    private void stepUntil(final PairHeartbeat a, final PairHeartbeat b, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + REAL_DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadlineNs, "the condition never held");
            clock.advance(INTERVAL_NS);
            a.doWork();
            b.doWork();
            Thread.yield(); // a publication connects on the driver's thread
        }
    }

    /**
     * Steps both agents until the condition holds: each step moves the fake clock one interval, then runs both until
     * each has heard the other at that time (a heartbeat not sent yet, its publication still connecting, is retried at
     * every duty cycle). Neither can take the other as lost meanwhile: the fake clock never runs a timeout ahead.
     */
    private void stepBothUntil(final PairHeartbeat a, final PairHeartbeat b, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + REAL_DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            clock.advance(INTERVAL_NS);
            while (a.lastHeardNs() != clock.nanoTime() || b.lastHeardNs() != clock.nanoTime())
            {
                assertTrue(System.nanoTime() < deadlineNs, "the heartbeats never arrived");
                a.doWork();
                b.doWork();
                Thread.yield(); // a publication connects on the driver's thread
            }
        }
    }
}
