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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary's replicator under policy continue, over IPC with a standby end that the test drives: a connected
 * standby that stops acking is taken out of sync after one ack timeout (on an injected clock), batches then pass
 * without waiting, and an ack that covers all that was offered brings it back in sync.
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

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Test
    void aStandbyThatStopsAckingIsOutOfSyncOnceAndBackInSyncWhenItsAckCatchesUp()
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
        final ReplicationAckPoller acks = new ReplicationAckPoller(aeron.addSubscription(CHANNEL, ACKS_STREAM), 0);
        final ReplicationAckSender standbyAcks =
            new ReplicationAckSender(() -> aeron.addExclusivePublication(CHANNEL, ACKS_STREAM), 0);
        final long[] nowNs = {0};
        final NanoClock clock = () -> nowNs[0] += TICK_NS;
        final ShippingReplicator replicator = new ShippingReplicator(
            publisher, acks, true, ACK_TIMEOUT_NS, true, clock, new YieldingIdleStrategy());
        final long connectDeadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!publisher.isConnected() && System.nanoTime() - connectDeadlineNs < 0)
        {
            Thread.yield();
        }
        assertTrue(publisher.isConnected(), "the standby's end connects");

        replicator.onEvent(command(1), 1, true);
        assertFalse(replicator.inSync(), "no ack within the timeout");
        assertEquals(1, replicator.timesOutOfSync());
        final long lostAtNs = nowNs[0];

        replicator.onEvent(command(2), 2, true);
        assertEquals(2, replicator.shippedLogSequence(), "out of sync it still ships what it can send at once");
        assertTrue(nowNs[0] - lostAtNs < ACK_TIMEOUT_NS, "and does not wait for an ack");
        assertEquals(1, replicator.timesOutOfSync(), "out of sync once, not once per batch");

        // The standby acks all it was offered, and the next command early: seen by the replicator's poller first.
        final long ackDeadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (0 == standbyAcks.ack(3) && System.nanoTime() - ackDeadlineNs < 0)
        {
            Thread.yield();
        }
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

    private static CommandEvent command(final long logSequence)
    {
        final CommandEvent event = new CommandEvent();
        event.set(logSequence, 0, 1, 0, new UnsafeBuffer(new byte[16]), 0, 16);
        return event;
    }
}
