package io.ringmq.daemon.it;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.daemon.it.FaultPair.Node;
import io.ringmq.transport.NodeStatus;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What each kind of {@link PairFaultsIT} round does to the pair, and what it checks while the fault lasts (the checks
 * after the round are the suite's). Each returns who is primary after it, in which epoch, and one time it measured.
 * <ul>
 * <li>{@code STANDBY_KILL}: kill -9 of the standby mid-stream. Under {@code continue} the primary receipts alone once
 * the ack timeout has passed; under {@code hold} no receipt comes while the standby is down (but the publishes that
 * were in flight at the kill, one per producer). The standby restarts over its own journal and catches up.</li>
 * <li>{@code WITNESS}: kill -9 of the witness. Both nodes report it unreachable (status, log), the pair goes on
 * receipting, and a kill -9 of the primary while it is down fails nothing over (no receipt, the standby stays one);
 * once the witness is back (restarted at once over its directory), the standby takes over.</li>
 * <li>{@code PAUSE}: SIGSTOP of the primary; the standby takes over; SIGCONT. The woken old primary, whose lease ran
 * out, must receipt nothing (a client publishing to it straight gets no receipt) and must step down.</li>
 * <li>{@code DROP}: every datagram between the nodes dropped for a while (the witness and clients still reach both).
 * Never two primaries: the standby, cut off, asks to promote, and the witness refuses while the primary renews its
 * lease. Under {@code continue} receipts go on once the ack timeout passed; under {@code hold} none comes while
 * dropped. Once restored, the standby catches up and is in sync again.</li>
 * </ul>
 * Not thread-safe: owned by the test thread.
 */
final class PairFaultRounds
{
    /** Who is primary after the fault, in which epoch; {@code ms}: the time the round measured, named {@code what}. */
    record Outcome(Node primary, long epoch, String what, long ms)
    {
    }

    /** More publishes each producer may make while the fault lasts, to see whether they are receipted. */
    private static final int DURING = 5;
    /** How long a hold is watched: past the ack timeout, by a second. */
    private static final long HOLD_WATCH_NS = TimeUnit.MILLISECONDS.toNanos(PairFaultsIT.ACK_TIMEOUT_MS + 1_000);
    /** How long nothing may fail over after the primary dies with the witness down: five leases, three heartbeat
     * timeouts (defaults 300 ms and 500 ms). */
    private static final long NO_FAILOVER_WATCH_NS = TimeUnit.MILLISECONDS.toNanos(1_500);
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    /** The queue the epoch probes go to: no group consumes it, so it keeps them for a peek. */
    private static final String PROBE_QUEUE = "epoch-probes";
    /** How long a woken old primary is given to stop by itself before it is asked for its status. */
    private static final long STEP_DOWN_EXIT_NS = TimeUnit.SECONDS.toNanos(10);

    private final FaultPair pair;
    private final FaultTraffic traffic;
    private final boolean hold;

    PairFaultRounds(final FaultPair pair, final FaultTraffic traffic, final boolean hold)
    {
        this.pair = pair;
        this.traffic = traffic;
        this.hold = hold;
    }

    Outcome inject(final PairFaultsIT.Kind kind, final Node primary, final Node standby, final long epoch)
        throws IOException
    {
        return switch (kind)
        {
            case STANDBY_KILL -> killTheStandby(primary, standby, epoch);
            case WITNESS -> killTheWitness(primary, standby, epoch);
            case PAUSE -> pauseThePrimary(primary, standby, epoch);
            case DROP -> dropReplication(primary, standby, epoch);
        };
    }

    private Outcome killTheStandby(final Node primary, final Node standby, final long epoch)
    {
        final long atFault = traffic.receiptedTotal();
        final long killedNs = System.nanoTime();
        pair.kill9(standby);
        traffic.allowPublishes(DURING);
        final long ms = hold ? watchHeld(atFault, () -> true, "the standby is down") :
            receiptsGoOnWithin(atFault, killedNs, "the standby is down");
        pair.startAs(standby, "standby");
        final long readyNs = System.nanoTime();
        final long backMs = awaitMs(readyNs, () -> traffic.receiptedTotal() > atFault + FaultTraffic.PRODUCER_IDS.length,
            "receipts after the standby restarted");
        return new Outcome(primary, epoch, hold ? "standby ready again -> receipts again" :
            "standby killed -> receipts again", hold ? backMs : ms);
    }

    private Outcome killTheWitness(final Node primary, final Node standby, final long epoch) throws IOException
    {
        pair.killWitness();
        pair.awaitStatus(primary, "sees the witness gone", (s) -> !s.witnessReachable() && s.isPrimary());
        pair.awaitStatus(standby, "sees the witness gone", (s) -> !s.witnessReachable() && !s.isPrimary());
        for (final Node node : new Node[]{primary, standby})
        {
            assertTrue(node.process.output().contains("is unreachable: no automatic failover"),
                node + " logs the witness outage\n" + node.process.output());
        }
        final long atOutage = traffic.receiptedTotal();
        traffic.allowPublishes(DURING);
        traffic.awaitReceiptedAtLeast(atOutage + (long)DURING * FaultTraffic.PRODUCER_IDS.length);

        pair.kill9(primary);
        final long atKill = traffic.receiptedTotal();
        traffic.allowPublishes(DURING); // they wait for the new primary: none may be receipted before it is one
        watch(NO_FAILOVER_WATCH_NS, () ->
        {
            final NodeStatus status = pair.statusOrNull(standby);
            assertTrue(null == status || (!status.isPrimary() && status.epoch() == epoch),
                "the standby took over while the witness was down: " + status);
            assertEquals(atKill, traffic.receiptedTotal(), "a receipt with the primary dead and the witness down");
            return true;
        });
        final long restartedNs = System.nanoTime();
        pair.restartWitness();
        final long ms = FailoverFaultIT.firstReceiptFrom(standby, restartedNs);
        markEpochBegan(standby, epoch + 1);
        pair.rebuildData(primary); // a returning old primary does not yet set its divergent suffix aside
        pair.startAs(primary, "standby");
        return new Outcome(standby, epoch + 1, "witness restarted -> first receipt from the new primary", ms);
    }

    private Outcome pauseThePrimary(final Node primary, final Node standby, final long epoch) throws IOException
    {
        final long pausedNs = System.nanoTime();
        pair.signal(primary, "STOP");
        final long ms;
        try
        {
            ms = FailoverFaultIT.firstReceiptFrom(standby, pausedNs);
        }
        finally
        {
            pair.signal(primary, "CONT");
        }
        markEpochBegan(standby, epoch + 1);
        final String how = awaitSteppedDown(primary);
        System.out.println("PairFaultsIT: the woken old primary " + primary + " stepped down: " + how);
        if (null != primary.process && primary.process.isAlive())
        {
            pair.kill9(primary);
        }
        pair.rebuildData(primary);
        pair.startAs(primary, "standby");
        return new Outcome(standby, epoch + 1, "SIGSTOP -> first receipt from the new primary", ms);
    }

    private Outcome dropReplication(final Node primary, final Node standby, final long epoch)
    {
        final long atFault = traffic.receiptedTotal();
        final long droppedBefore = pair.relay().dropped();
        final long cutNs = System.nanoTime();
        pair.relay().dropping(true);
        final long ms;
        try
        {
            traffic.allowPublishes(DURING);
            final BooleanSupplier onePrimary = () -> onePrimary(primary, standby, epoch);
            ms = hold ? watchHeld(atFault, onePrimary, "replication is dropped") :
                receiptsGoOnWithin(atFault, cutNs, "replication is dropped", onePrimary);
            pair.awaitStatus(standby, "takes the primary as lost", (s) -> !s.peerAlive());
            watch(NO_FAILOVER_WATCH_NS, onePrimary); // the standby asks the witness now: refused, lease renewed
        }
        finally
        {
            pair.relay().dropping(false);
        }
        assertTrue(pair.relay().dropped() > droppedBefore, "the relay dropped nothing");
        final long restoredNs = System.nanoTime();
        pair.awaitHealthy(primary, standby, epoch);
        final long syncMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoredNs);
        return new Outcome(primary, epoch, hold ? "restored -> in sync" : "dropped -> receipts again",
            hold ? syncMs : ms);
    }

    /**
     * A message the new primary stores and receipts in its epoch (a probe of its own queue), whose command time the
     * epoch check holds every older epoch's receipted messages to ({@link ReceiptEpochs#epochBegan}).
     */
    private void markEpochBegan(final Node newPrimary, final long epoch)
    {
        try (RingmqClient client = RingmqClient.connect(FailoverFaultIT.direct(newPrimary)))
        {
            final Publisher publisher = client.publisher(PROBE_QUEUE);
            final long sequence = publisher.publishAndWait("epoch " + epoch + " began");
            assertEquals(epoch, publisher.lastReceiptEpoch(), "the new primary's receipt names its epoch");
            final long[] stampNs = {-1};
            client.peek(PROBE_QUEUE, 0, (message) ->
            {
                if (message.sequence() == sequence)
                {
                    stampNs[0] = message.publishTimestampNs();
                }
            });
            assertTrue(stampNs[0] > 0, "the probe is held at sequence " + sequence);
            traffic.receiptEpochs().epochBegan(epoch, stampNs[0]);
        }
    }

    /** Both nodes as they were, never two primaries (a node that does not answer is not counted either way). */
    private boolean onePrimary(final Node primary, final Node standby, final long epoch)
    {
        final NodeStatus onStandby = pair.statusOrNull(standby);
        assertFalse(null != onStandby && onStandby.isPrimary(), "the cut-off standby became a primary: " +
            onStandby + "\n--- " + standby + " ---\n" + standby.process.output());
        final NodeStatus onPrimary = pair.statusOrNull(primary);
        assertTrue(null == onPrimary || (onPrimary.isPrimary() && onPrimary.epoch() == epoch),
            "the primary changed: " + onPrimary);
        return true;
    }

    /** Under hold: no receipt beyond those in flight at the fault (one per producer) for the watch. */
    private long watchHeld(final long atFault, final BooleanSupplier alsoCheck, final String what)
    {
        final long startNs = System.nanoTime();
        watch(HOLD_WATCH_NS, () ->
        {
            final long since = traffic.receiptedTotal() - atFault;
            assertTrue(since <= FaultTraffic.PRODUCER_IDS.length, since + " receipts while " + what +
                " under hold (at most the " + FaultTraffic.PRODUCER_IDS.length + " in flight may come)");
            return alsoCheck.getAsBoolean();
        });
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    private long receiptsGoOnWithin(final long atFault, final long faultNs, final String what)
    {
        return receiptsGoOnWithin(atFault, faultNs, what, () -> true);
    }

    /** Under continue: every publish granted during the fault is receipted while it lasts; the ms until they were. */
    private long receiptsGoOnWithin(
        final long atFault, final long faultNs, final String what, final BooleanSupplier alsoCheck)
    {
        final long wanted = atFault + (long)DURING * FaultTraffic.PRODUCER_IDS.length;
        return awaitMs(faultNs, () -> alsoCheck.getAsBoolean() && traffic.receiptedTotal() >= wanted,
            "receipts go on while " + what + " under continue");
    }

    /**
     * Waits until the woken old primary stops or answers as a standby. Its exit is waited for first: a status client
     * attached to a driver that goes away meanwhile would take the test JVM down (Aeron's default error handler).
     */
    private String awaitSteppedDown(final Node old)
    {
        if (old.process.waitFor(java.time.Duration.ofNanos(STEP_DOWN_EXIT_NS)))
        {
            return "it stopped";
        }
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        final IdleStrategy idle = idle();
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!old.process.isAlive())
            {
                return "it stopped";
            }
            final NodeStatus status = pair.statusOrNull(old);
            if (null != status && !status.isPrimary())
            {
                return "it is a " + status.role() + " of epoch " + status.epoch();
            }
            idle.idle();
        }
        return fail("the woken old primary " + old + " never stepped down: " + pair.statusOrNull(old) + "\n" +
            old.process.output());
    }

    /** Checks {@code check} (which asserts) over {@code forNs}: what must hold while a fault lasts. */
    private static void watch(final long forNs, final BooleanSupplier check)
    {
        final long deadlineNs = System.nanoTime() + forNs;
        final IdleStrategy idle = idle();
        while (System.nanoTime() - deadlineNs < 0)
        {
            assertTrue(check.getAsBoolean());
            idle.idle();
        }
    }

    private static long awaitMs(final long sinceNs, final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        final IdleStrategy idle = idle();
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "never: " + what);
            idle.idle();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
    }

    /** Between looks at a condition: the two-core machine runs three JVMs of the pair beside this one. */
    private static IdleStrategy idle()
    {
        return new SleepingMillisIdleStrategy(2);
    }
}
