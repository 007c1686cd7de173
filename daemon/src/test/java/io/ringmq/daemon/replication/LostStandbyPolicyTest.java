package io.ringmq.daemon.replication;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.replicator.ShippingReplicator;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationAckSender;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary's replicator under policy continue, over IPC with a standby end that the test drives: a connected
 * standby that stops acking is taken out of sync after one ack timeout (on an injected clock), batches then pass
 * without waiting, and an ack that covers all that was offered brings it back in sync; while a planned switchover
 * drains, a late ack is waited for instead.
 */
class LostStandbyPolicyTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int COMMANDS_STREAM = 7;
    private static final int ACKS_STREAM = 8;
    private static final long ACK_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Each clock read moves time on by this much: a wait reaches the timeout after a bounded number of polls. */
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path tempDir;

    private MediaDriver driver;
    private Aeron aeron;
    private ReplicationAckPoller acks;
    private ReplicationAckSender standbyAcks;
    /** The replicator's clock: read from the test thread while another ships. */
    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Test
    void aStandbyThatStopsAckingIsOutOfSyncOnceAndBackInSyncWhenItsAckCatchesUp()
    {
        final ShippingReplicator replicator = connectedReplicator();
        replicator.onEvent(command(1), 1, true);
        assertFalse(replicator.inSync(), "no ack within the timeout");
        assertEquals(1, replicator.timesOutOfSync());
        final long lostAtNs = now.get();

        replicator.onEvent(command(2), 2, true);
        assertEquals(2, replicator.shippedLogSequence(), "out of sync it still ships what it can send at once");
        assertTrue(now.get() - lostAtNs < ACK_TIMEOUT_NS, "and does not wait for an ack");
        assertEquals(1, replicator.timesOutOfSync(), "out of sync once, not once per batch");

        // The standby acks all it was offered, and the next command early: seen by the replicator's poller first.
        final long ackDeadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        standbyAcks(3, ackDeadlineNs);
        while (acks.poll() >= 0 && acks.ackedLogSequence() < 3 && System.nanoTime() - ackDeadlineNs < 0)
        {
            Thread.yield();
        }
        assertEquals(3, acks.ackedLogSequence(), "the ack arrives");
        replicator.onEvent(command(3), 3, true);
        assertTrue(replicator.inSync(), "back in sync: the ack covers all that was offered");
        assertEquals(3, replicator.ackedLogSequence());
        assertTrue(replicator.stats().contains("standby in sync, times out of sync 1"), replicator.stats());
    }

    /**
     * A planned switchover's drain (issue 14: about one switchover in twenty under traffic failed): the standby acks
     * the drain's last batch only after the ack timeout (its journal thread was in a seconds-long msync of the batch
     * before). Under policy continue the replicator used to take it out of sync at the timeout, and the switchover
     * failed; draining for a handover it waits for the late ack and the standby stays in sync.
     */
    @Test
    void aSwitchoverDrainWaitsForALateAckInsteadOfTakingTheStandbyOutOfSync() throws InterruptedException
    {
        final ShippingReplicator replicator = connectedReplicator();
        replicator.drainForHandover();
        final Thread drain = new Thread(() -> replicator.onEvent(command(1), 1, true), "drain");
        drain.setDaemon(true);
        drain.start();

        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (drain.isAlive() && now.get() < 3 * ACK_TIMEOUT_NS && System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield(); // the drain's clock reads move its time on
        }
        assertTrue(replicator.inSync(), "a late standby is not dropped from sync while the switchover drains");
        assertTrue(drain.isAlive(), "the drain still waits for the standby's ack");
        assertTrue(now.get() >= 3 * ACK_TIMEOUT_NS, "the drain's wait went past the ack timeout");

        standbyAcks(1, deadlineNs);
        drain.join(TimeUnit.NANOSECONDS.toMillis(CONNECT_TIMEOUT_NS));
        assertFalse(drain.isAlive(), "the late ack ends the wait");
        assertTrue(replicator.inSync());
        assertEquals(0, replicator.timesOutOfSync());
        assertEquals(1, replicator.ackedLogSequence());
    }

    /**
     * A replicator under policy continue whose standby end (the test's) is connected and acks only when told; its
     * clock moves on by {@link #TICK_NS} at each read.
     */
    private ShippingReplicator connectedReplicator()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(tempDir.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final ReplicationPublisher publisher =
            new ReplicationPublisher(aeron.addExclusivePublication(CHANNEL, COMMANDS_STREAM), 1024);
        aeron.addSubscription(CHANNEL, COMMANDS_STREAM); // the standby's end: connected, never read
        acks = new ReplicationAckPoller(aeron.addSubscription(CHANNEL, ACKS_STREAM), 0);
        standbyAcks = new ReplicationAckSender(() -> aeron.addExclusivePublication(CHANNEL, ACKS_STREAM), 0);
        final NanoClock clock = () -> now.addAndGet(TICK_NS);
        final ShippingReplicator replicator = new ShippingReplicator(
            publisher, acks, true, ACK_TIMEOUT_NS, true, clock, new YieldingIdleStrategy());
        final long connectDeadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!publisher.isConnected() && System.nanoTime() - connectDeadlineNs < 0)
        {
            Thread.yield();
        }
        assertTrue(publisher.isConnected(), "the standby's end connects");
        return replicator;
    }

    /** The standby acks up to {@code logSequence} (retried until its publication takes it). */
    private void standbyAcks(final long logSequence, final long deadlineNs)
    {
        while (0 == standbyAcks.ack(logSequence) && System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield();
        }
    }

    private static CommandEvent command(final long logSequence)
    {
        final CommandEvent event = new CommandEvent();
        event.set(logSequence, 0, 1, 0, new UnsafeBuffer(new byte[16]), 0, 16);
        return event;
    }
}
