package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Image;
import io.aeron.Subscription;
import io.ringmq.codecs.EpochStartedEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.QueueRuleEncoder;
import io.ringmq.codecs.SessionLostEncoder;
import io.ringmq.codecs.TickEncoder;
import io.ringmq.config.QueueRule;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.server.CommandSink;
import io.ringmq.transport.server.ConnectAdmission;
import io.ringmq.transport.server.IngressAdapter;
import io.ringmq.transport.server.NodeRequests;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The single producer of the command ring, run as the ingress agent: each duty cycle reads the clocks once, journals
 * the commands the daemon makes itself (sessions the egress found dead, a tick when something is due), and polls the
 * {@link IngressAdapter}, which writes the clients' commands through this {@link CommandSink}. Each command is stamped
 * with its log sequence and the duty cycle's time and copied into a preallocated ring slot, claimed and published in
 * a try/finally so a failed copy cannot leave the ring stopped behind an unpublished slot.
 * <p>
 * Commands from other threads (sessions lost, Aeron images gone) are queued and published here, keeping one producer.
 * Not thread-safe otherwise: owned by the ingress thread.
 */
public final class CommandRingProducer implements Agent, CommandSink
{
    private static final Logger LOG = LoggerFactory.getLogger(CommandRingProducer.class);

    private final RingBuffer<CommandEvent> ring;
    private final IngressAdapter adapter;
    private final EpochNanoClock clock;
    /** Monotonic: spaces the egress's turns and stamps stage latencies, whatever the epoch clock does. */
    private final NanoClock nanoClock;
    private final ErrorHandler failStop;
    private final TickDemand tickDemand;
    private final long tickIntervalNs;
    private final RunDefaults runDefaults;
    private final JournalSyncWakeUp journalSyncWakeUp;
    private final StorageHeadroom storage;
    private final ManyToOneConcurrentArrayQueue<Long> lostSessions = new ManyToOneConcurrentArrayQueue<>(4096);
    /** QueueRule: a pattern up to 255 and its settings. */
    private final UnsafeBuffer internalFrame = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SessionLostEncoder sessionLostEncoder = new SessionLostEncoder();
    private final TickEncoder tickEncoder = new TickEncoder();
    /** How often a quiet ring gets a tick while the replicator wants one (see {@link #tickWhile}). */
    static final long REPLICATION_LOOK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private BooleanSupplier replicationWantsACommand = () -> false;
    /** Whether the journal's disk is below its floor, as of this duty cycle: publishes are refused. */
    private boolean storageFull;
    /** The epoch this run starts (a standby promoted), journaled before its NodeStarted; 0: none. */
    private long startingEpoch;
    private long logSequence;
    private long nowNs;
    private long nowMonotonicNs;
    private long lastCommandNs;
    private long lastCommandMonotonicNs;

    /**
     * @param clock           the daemon's clock, stamped on every command.
     * @param nanoClock       monotonic time: the egress's turns, stage latencies, the disk checks.
     * @param maxFrameLength  the largest client frame taken.
     * @param maxHeaderLength the most header bytes a publish or reply may carry (ringmq.max.header.bytes).
     * @param lastLogSequence log sequence of the last journaled command; the next command gets the one after.
     * @param failStop        told of a command that could not be copied into its slot, before that slot is published
     *                        (so the handlers ignore it).
     */
    public CommandRingProducer(
        final Subscription[] subscriptions,
        final RingBuffer<CommandEvent> ring,
        final EpochNanoClock clock,
        final NanoClock nanoClock,
        final int maxFrameLength,
        final int maxHeaderLength,
        final long lastLogSequence,
        final TickDemand tickDemand,
        final long tickIntervalNs,
        final RunDefaults runDefaults,
        final JournalSyncWakeUp journalSyncWakeUp,
        final StorageHeadroom storage,
        final ConnectAdmission connectAdmission,
        final ErrorHandler failStop)
    {
        this(subscriptions, ring, clock, nanoClock, maxFrameLength, maxHeaderLength, lastLogSequence, tickDemand,
            tickIntervalNs, runDefaults, journalSyncWakeUp, storage, connectAdmission, failStop, NodeRequests.NONE);
    }

    /** @param nodeRequests where requests about the node itself (status, promote) go, off the ring. */
    public CommandRingProducer(
        final Subscription[] subscriptions,
        final RingBuffer<CommandEvent> ring,
        final EpochNanoClock clock,
        final NanoClock nanoClock,
        final int maxFrameLength,
        final int maxHeaderLength,
        final long lastLogSequence,
        final TickDemand tickDemand,
        final long tickIntervalNs,
        final RunDefaults runDefaults,
        final JournalSyncWakeUp journalSyncWakeUp,
        final StorageHeadroom storage,
        final ConnectAdmission connectAdmission,
        final ErrorHandler failStop,
        final NodeRequests nodeRequests)
    {
        this.ring = ring;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.logSequence = lastLogSequence;
        this.tickDemand = tickDemand;
        this.tickIntervalNs = tickIntervalNs;
        this.runDefaults = runDefaults;
        this.journalSyncWakeUp = journalSyncWakeUp;
        this.storage = storage;
        this.failStop = failStop;
        this.adapter =
            new IngressAdapter(subscriptions, this, maxFrameLength, maxHeaderLength, connectAdmission, nodeRequests);
    }

    public String roleName()
    {
        return "ringmq-ingress";
    }

    /**
     * Makes this run the first of a new epoch (a standby promoted): its first command is an EpochStarted. Before the
     * agent starts.
     */
    public CommandRingProducer startingEpoch(final long epoch)
    {
        this.startingEpoch = epoch;
        return this;
    }

    /**
     * Time never runs backwards in the journal: no command is stamped earlier than this (the last journaled
     * timestamp; a standby promoted may have a clock behind the old primary's). Before the agent starts.
     */
    public CommandRingProducer notBefore(final long timestampNs)
    {
        this.nowNs = Math.max(nowNs, timestampNs);
        return this;
    }

    /**
     * While {@code wanted} says so, a tick every {@link #REPLICATION_LOOK_INTERVAL_NS} of a quiet ring: the replicator
     * reads its standby's acks only as commands pass it, so a standby that caught up on an idle primary would stay
     * "out of sync" until a client's next command (and a switchover would be refused meanwhile). Before the agent
     * starts; thread-safe {@code wanted}.
     */
    public CommandRingProducer tickWhile(final BooleanSupplier wanted)
    {
        this.replicationWantsACommand = wanted;
        return this;
    }

    /** The Aeron side: its counters, and where fragments arrive. */
    public IngressAdapter adapter()
    {
        return adapter;
    }

    /**
     * Journals the start of this run, with the queue defaults and rules it applies, ahead of any client command. Runs
     * on the agent's thread, before its first duty cycle: the ring has a single producer, and it is this thread.
     */
    public void onStart()
    {
        readClocks();
        if (0 != startingEpoch)
        {
            publishInternal(MessageHeaderEncoder.ENCODED_LENGTH + new EpochStartedEncoder()
                .wrapAndApplyHeader(internalFrame, 0, headerEncoder)
                .epoch(startingEpoch)
                .firstLogSequence(logSequence + 1)
                .encodedLength());
        }
        publishInternal(MessageHeaderEncoder.ENCODED_LENGTH + runDefaults.writeNodeStarted(
            new NodeStartedEncoder().wrapAndApplyHeader(internalFrame, 0, headerEncoder), nowNs));
        for (final QueueRule rule : runDefaults.rules())
        {
            final QueueRuleEncoder encoder = new QueueRuleEncoder().wrapAndApplyHeader(internalFrame, 0, headerEncoder);
            RunDefaults.write(rule, encoder.settings());
            RunDefaults.write(rule.limits(), encoder.limits());
            publishInternal(MessageHeaderEncoder.ENCODED_LENGTH + encoder.pattern(rule.pattern()).encodedLength());
        }
    }

    public int doWork()
    {
        readClocks();
        storageFull = storage.isFull(nowMonotonicNs);
        final int workCount = publishLostSessions() + adapter.poll(nowNs);
        return workCount + publishTickIfDue();
    }

    /** Thread-safe: asks for a SessionLost to be journaled for a session whose client has gone or stopped reading. */
    public void sessionLost(final long sessionId)
    {
        if (!lostSessions.offer(sessionId))
        {
            LOG.warn("lost-session queue full; session {} will be closed on the next restart", sessionId);
        }
    }

    /** Thread-safe (the Aeron client conductor): a client's ingress image went away; see the adapter. */
    public void onUnavailableImage(final Image image)
    {
        adapter.onUnavailableImage(image);
    }

    public boolean hasCapacity()
    {
        return ring.hasAvailableCapacity(1);
    }

    public boolean publishesRefused()
    {
        return storageFull;
    }

    public boolean offer(final int transportSessionId, final DirectBuffer frame, final int offset, final int length)
    {
        if (!ring.hasAvailableCapacity(1))
        {
            return false;
        }
        publish(transportSessionId, frame, offset, length);
        return true;
    }

    /** The clock's time, or the last stamped if the clock went back: commands are stamped in order. */
    private void readClocks()
    {
        nowNs = Math.max(nowNs, clock.nanoTime());
        nowMonotonicNs = nanoClock.nanoTime();
    }

    private int publishLostSessions()
    {
        int count = 0;
        Long sessionId;
        while (ring.hasAvailableCapacity(1) && null != (sessionId = lostSessions.poll()))
        {
            publishInternal(MessageHeaderEncoder.ENCODED_LENGTH + sessionLostEncoder
                .wrapAndApplyHeader(internalFrame, 0, headerEncoder)
                .sessionId(sessionId)
                .encodedLength());
            count++;
        }
        return count;
    }

    /**
     * Time reaches the state machine with every command; a tick carries it when a timer is due and no command has for
     * a tick interval. Only a due timer needs time on the daemon's clock (the one commands carry): one pending far
     * ahead costs nothing until it comes, and the interval spaces the ticks of timers due one after another.
     * Responses waiting for a client need the dispatcher to get a turn, which is a matter of real time, whatever the
     * clock says. A tick also wakes the journal when a batch it left unsynced is due for its sync.
     */
    private int publishTickIfDue()
    {
        final boolean forTimers = nowNs >= tickDemand.nextDeadlineNs() && nowNs - lastCommandNs >= tickIntervalNs;
        final boolean forEgress =
            tickDemand.responsesWaiting() && nowMonotonicNs - lastCommandMonotonicNs >= tickIntervalNs;
        final boolean forReplication = nowMonotonicNs - lastCommandMonotonicNs >= REPLICATION_LOOK_INTERVAL_NS &&
            replicationWantsACommand.getAsBoolean();
        // A wake-up taken while the ring is full is not lost: a full ring keeps the journal busy until its next end
        // of batch, which syncs once the interval is up.
        if ((forTimers || forEgress || forReplication || journalSyncWakeUp.takeDue()) && ring.hasAvailableCapacity(1))
        {
            publishInternal(MessageHeaderEncoder.ENCODED_LENGTH +
                tickEncoder.wrapAndApplyHeader(internalFrame, 0, headerEncoder).encodedLength());
            return 1;
        }
        return 0;
    }

    private void publishInternal(final int length)
    {
        publish(IngressAdapter.INTERNAL, internalFrame, 0, length);
    }

    /**
     * Claims a slot (waiting for one only where the caller has checked there is room, or at start), copies the
     * command in, and publishes it whatever happens: a slot claimed and never published would stop the ring for good.
     * A copy that fails is reported to {@link #failStop} first, so no handler acts on what the slot held before.
     */
    private void publish(final int transportSessionId, final DirectBuffer frame, final int offset, final int length)
    {
        final boolean query = CommandEvent.isQuery(frame, offset, length); // takes no log sequence: it is never journaled
        final long sequence = ring.next();
        try
        {
            ring.get(sequence).set(
                query ? logSequence : ++logSequence, nowNs, transportSessionId, nowMonotonicNs, frame, offset, length, query);
        }
        catch (final RuntimeException | Error ex)
        {
            failStop.onError(ex);
            throw ex;
        }
        finally
        {
            ring.publish(sequence);
        }
        if (query)
        {
            return; // time reaches the state machine with commands it applies only: a query does not delay a tick
        }
        lastCommandNs = nowNs;
        lastCommandMonotonicNs = nowMonotonicNs;
    }
}
