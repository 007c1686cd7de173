package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAckSender;
import io.ringmq.transport.replication.ReplicationAdapter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The standby's ingress: the ring's only producer, fed by the primary's replication stream instead of clients. Each
 * replicated command goes on the ring with the primary's log sequence, timestamp and transport session, so the
 * standby's journal holds the primary's records byte for byte and its state machine, applying them, reaches the
 * primary's state at every log sequence. Time reaches it only in those commands: it ticks nothing of its own.
 * <p>
 * Acks go from here, the ack stream's only writer: in mode {@code received} up to the last command put on the ring,
 * in mode {@code journaled} up to the last one the journal handler has passed (its ring sequence maps to a log
 * sequence one to one, since every slot is one replicated command).
 * <p>
 * A command that is not the next in log order is refused: a duplicate (a batch read again after the ring was full)
 * is skipped; a gap (this standby started behind the primary, or missed commands while the primary did not wait
 * for it) stops the standby applying anything more, logged once: catch-up is not implemented yet.
 * <p>
 * Not thread-safe: runs on its own agent thread, except the getters.
 */
public final class StandbyFollower implements Agent, ReplicatedCommandSink
{
    private static final Logger LOG = LoggerFactory.getLogger(StandbyFollower.class);

    private final ReplicationAdapter adapter;
    private final RingBuffer<CommandEvent> ring;
    private final NanoClock nanoClock;
    private final ReplicationAckSender ackSender;
    /** The journal handler's ring sequence in mode journaled; null in mode received. */
    private final LongSupplier journalSequence;
    /** Log sequence of the last command recovered at start: ring sequence 0 carries the one after it. */
    private final long recoveredLogSequence;
    private volatile long lastLogSequence;
    /** The primary's timestamp on the last command put on the ring (0 until one is). */
    private volatile long lastTimestampNs;
    private volatile long refusedAtLogSequence;
    /** Primary images seen (the Aeron conductor counts them); each after the first is a primary that restarted. */
    private volatile int primaryImages;
    private int primaryImagesHandled;

    public StandbyFollower(
        final Function<StandbyFollower, ReplicationAdapter> adapterFactory,
        final RingBuffer<CommandEvent> ring,
        final NanoClock nanoClock,
        final ReplicationAckSender ackSender,
        final LongSupplier journalSequence,
        final long recoveredLogSequence)
    {
        this.adapter = adapterFactory.apply(this);
        this.ring = ring;
        this.nanoClock = nanoClock;
        this.ackSender = ackSender;
        this.journalSequence = journalSequence;
        this.recoveredLogSequence = recoveredLogSequence;
        this.lastLogSequence = recoveredLogSequence;
    }

    public String roleName()
    {
        return "ringmq-standby";
    }

    public int doWork()
    {
        final int images = primaryImages;
        if (images != primaryImagesHandled)
        {
            if (primaryImagesHandled > 0)
            {
                ackSender.renew(); // the primary restarted: reach its new ack subscription now
            }
            primaryImagesHandled = images;
        }
        final int work = adapter.poll();
        return work + ackSender.ack(coveredLogSequence());
    }

    /** The Aeron client conductor: a primary's replication stream appeared. */
    public void onPrimaryImage()
    {
        primaryImages++; // single writer: the conductor thread
    }

    public boolean offer(final DirectBuffer command, final int offset, final int length)
    {
        final long logSequence = CommandHeader.logSequence(command, offset);
        if (0 != refusedAtLogSequence || logSequence <= lastLogSequence)
        {
            return true; // refused after a gap, or already on the ring
        }
        if (logSequence != lastLogSequence + 1)
        {
            refusedAtLogSequence = logSequence;
            LOG.error("standby: the primary sent log sequence {} after {}: a gap (this standby started behind the " +
                "primary, or missed commands the primary did not wait for). Catch-up is not implemented yet: this " +
                "standby applies nothing more. To pair them again, stop both, copy the primary's data directory over the " +
                "standby's, and start the standby, then the primary",
                logSequence, lastLogSequence);
            return true;
        }
        if (!ring.hasAvailableCapacity(1))
        {
            return false;
        }
        final long sequence = ring.next();
        try
        {
            ring.get(sequence).set(
                logSequence,
                CommandHeader.timestampNs(command, offset),
                CommandHeader.transportSessionId(command, offset),
                nanoClock.nanoTime(),
                command,
                offset + CommandHeader.LENGTH,
                length - CommandHeader.LENGTH);
        }
        finally
        {
            ring.publish(sequence); // a claimed slot left unpublished would stop the ring for good
        }
        lastLogSequence = logSequence;
        lastTimestampNs = CommandHeader.timestampNs(command, offset);
        return true;
    }

    /** The primary's timestamp on the last command put on the ring; 0 before the first. */
    public long lastTimestampNs()
    {
        return lastTimestampNs;
    }

    /** Log sequence of the last command put on the ring. */
    public long lastLogSequence()
    {
        return lastLogSequence;
    }

    /** The log sequence of the first command refused after a gap; 0 while none was. */
    public long refusedAtLogSequence()
    {
        return refusedAtLogSequence;
    }

    /** Whether the primary's replication stream is connected. */
    public boolean isConnected()
    {
        return adapter.isConnected();
    }

    public String stats()
    {
        return "standby at log sequence " + lastLogSequence + ", acked " + ackSender.sentLogSequence() +
            (0 == refusedAtLogSequence ? "" : ", stopped at a gap before " + refusedAtLogSequence);
    }

    public void onClose()
    {
        adapter.close();
        ackSender.close();
    }

    /** What the next ack may cover: received (on the ring) or journaled, per the mode. */
    long coveredLogSequence()
    {
        return null == journalSequence ? lastLogSequence : recoveredLogSequence + journalSequence.getAsLong() + 1;
    }
}
