package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.counters.StateCounters;
import io.ringmq.transport.server.EgressFlusher;
import io.ringmq.daemon.snapshot.Snapshotter;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongSupplier;

/**
 * Last handler on the ring: applies each command to the state machine once the journal and the replicator have
 * both passed it, so every output (receipt, delivery) describes a command that is already durable.
 * <p>
 * Records ingress-to-dispatch latency per command without allocating, and at the end of each batch flushes what the
 * dispatch thread's stages recorded ({@link StageHistograms#flushDispatchStages()}; a reporter thread takes interval
 * histograms).
 */
public final class DispatchHandler implements EventHandler<CommandEvent>
{
    /** A ring cursor for {@link #counters} that never equals a batch's end: see {@link #copyCountersNow()}. */
    public static final LongSupplier RING_NEVER_EMPTY = () -> Long.MAX_VALUE;

    private final QueueStateMachine stateMachine;
    /** The clock the ingress stamps {@link CommandEvent#ingressNanoTime()} with. */
    private final NanoClock nanoClock;
    private final StageHistograms stages;
    private final StageRecorder ingressToDispatchNs;
    private final TickDemand tickDemand;
    private final EgressFlusher egress;
    private final Snapshotter snapshotter;
    private final LimitStats limitStats = new LimitStats();
    /** Counted while recovery replayed the journal, before this run went live. */
    private final long foreignCommandsBeforeLive;
    private final ExpiryLog groupExpiryLog;
    private final ExpiryLog queueExpiryLog;
    private volatile long foreignCommands;
    private ClientPresence clientPresence = new ClientPresence();
    private StateReadLock stateLock = new StateReadLock();
    private StateCounters counters;
    private LongSupplier ringCursor;

    public DispatchHandler(
        final QueueStateMachine stateMachine,
        final NanoClock nanoClock,
        final StageHistograms stages,
        final TickDemand tickDemand,
        final EgressFlusher egress,
        final Snapshotter snapshotter)
    {
        this.snapshotter = snapshotter;
        this.stateMachine = stateMachine;
        this.nanoClock = nanoClock;
        this.stages = stages;
        this.ingressToDispatchNs = stages.recorder(Stage.INGRESS_TO_DISPATCHED);
        this.tickDemand = tickDemand;
        this.egress = egress;
        this.foreignCommandsBeforeLive = stateMachine.foreignCommands();
        this.groupExpiryLog = new ExpiryLog("group(s)", "ringmq.queue.group.expiry (no consumer for that long)",
            stateMachine.expiredGroups());
        this.queueExpiryLog = new ExpiryLog("queue(s)", "ringmq.queue.expiry (idle for that long)",
            stateMachine.expiredQueues());
    }

    /** Where the dispatcher tells whether any client session is open (before the ring starts). */
    public DispatchHandler clientPresence(final ClientPresence clientPresence)
    {
        this.clientPresence = clientPresence;
        return this;
    }

    /** Where readers of the state wait for the end of a batch (before the ring starts). */
    public DispatchHandler stateLock(final StateReadLock stateLock)
    {
        this.stateLock = stateLock;
        return this;
    }

    /**
     * Where the dispatcher copies the state machine's figures after a batch (before the ring starts).
     *
     * @param ringCursor the ring's cursor (the last sequence published to it): equal to a batch's last sequence when
     *                   nothing waits behind it.
     */
    public DispatchHandler counters(final StateCounters counters, final LongSupplier ringCursor)
    {
        this.counters = counters;
        this.ringCursor = ringCursor;
        return this;
    }

    /**
     * Copies the state machine's figures into the counters now, as at the end of a batch that left the ring empty. For
     * a pipeline on one thread, where the ring is empty at every batch's end (nothing else publishes on it): that
     * thread calls this once it has found no work for a while, between batches, and the dispatcher's counters get a
     * ring cursor that never reads as empty ({@link #RING_NEVER_EMPTY}), so a busy thread copies only every interval.
     */
    public void copyCountersNow()
    {
        if (null != counters)
        {
            counters.afterBatch(stateMachine, true);
        }
    }

    /** What queue limits did, as of the last batch; safe to read from any thread. */
    public LimitStats limitStats()
    {
        return limitStats;
    }

    /** Groups ringmq.queue.group.expiry deleted since this run went live; any thread. */
    public long expiredGroups()
    {
        return groupExpiryLog.sinceLive();
    }

    /** Queues ringmq.queue.expiry deleted since this run went live; any thread. */
    public long expiredQueues()
    {
        return queueExpiryLog.sinceLive();
    }

    /**
     * Commands that named a session not connected on their sender's transport, since the daemon went live, as of the
     * last batch: nobody was told about them (see {@link QueueStateMachine#foreignCommands()}). Safe to read from any
     * thread.
     */
    public long foreignCommands()
    {
        return foreignCommands;
    }

    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        stateLock.enterBatch();
        if (event.isQuery())
        {
            stateMachine.answer(event.buffer(), 0, event.length()); // reads the state as it stands; changes nothing
        }
        else
        {
            stateMachine.apply(event.buffer(), 0, event.length());
        }
        ingressToDispatchNs.record(nanoClock.nanoTime() - event.ingressNanoTime());
        if (endOfBatch)
        {
            final boolean responsesWaiting = egress.flushPending();
            stages.flushDispatchStages();
            snapshotter.afterBatch(stateMachine);
            limitStats.publish(stateMachine.limitCounts(), stateMachine.evictedProducers(),
                stateMachine.evictedMessageIds(), stateMachine.repliesDropped());
            foreignCommands = stateMachine.foreignCommands() - foreignCommandsBeforeLive;
            groupExpiryLog.afterBatch(stateMachine.expiredGroups());
            queueExpiryLog.afterBatch(stateMachine.expiredQueues());
            clientPresence.sessions(stateMachine.sessionCount());
            if (null != counters)
            {
                counters.afterBatch(stateMachine, ringCursor.getAsLong() == sequence);
            }
            tickDemand.publish(stateMachine.nextDeadlineNs(), responsesWaiting);
            stateLock.exitBatch();
        }
    }
}
