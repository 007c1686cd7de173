package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.aeron.Subscription;
import io.ringmq.core.model.Command;
import io.ringmq.core.model.CommandGenerator;
import io.ringmq.core.model.ReferenceQueueModel;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.PayloadReadBack;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.state.StateDigest;
import io.ringmq.core.testing.RecordedJournal;
import io.ringmq.core.testing.RecordingSink;
import io.ringmq.replicator.ShippingReplicator;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationAdapter;
import io.ringmq.transport.replication.ReplicationPublisher;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The model-based test's random sequences, also applied through the replication path: the reference model drives the
 * {@link CommandGenerator} (as in core's StateMachineModelTest) against a primary {@link QueueStateMachine}; each
 * command the primary applies goes, as its journal record, through the primary's real {@link ShippingReplicator}
 * (ring batches cut at random boundaries, so one Aeron message carries one to many commands, and a batch past the
 * publisher's frame size goes as several), over Aeron IPC, into the standby's real {@link ReplicationAdapter} and
 * {@link StandbyFollower}, onto a standby ring whose events a standby state machine with outputs suppressed applies,
 * as the standby's dispatcher does. After every batch the two states must agree: {@link
 * QueueStateMachine#describeState()} and the {@link StateDigest} both nodes report.
 * <p>
 * The primary's replicator runs in mode {@code none} (it does not wait for acks): the test is one thread, and it
 * drains the standby after each batch itself. Sequence {@code i} uses seed {@code base + i} for its commands (the same
 * commands StateMachineModelTest makes for that seed) and a seed of its own for the batch boundaries:
 * {@code -Dringmq.model.replicated.seed=S -Dringmq.model.replicated.sequences=N} (default 200; more for a long run).
 */
class ReplicatedModelTest
{
    static final String SEED_PROPERTY = "ringmq.model.replicated.seed";
    static final String SEQUENCES_PROPERTY = "ringmq.model.replicated.sequences";
    private static final int DEFAULT_SEQUENCES = 200;
    private static final long SMOKE_SEED = 0x5EED_0000_0001L;
    /** Generated commands are well under this (names of at most 256 characters, short payloads). */
    private static final int MAX_COMMAND_LENGTH = 16 * 1024;
    /** Small, so a batch sometimes overfills the standby's ring and the adapter has to read its frame again. */
    private static final int STANDBY_RING_SIZE = 8;
    private static final int MAX_BATCH = 24;
    private static final int COMMANDS_STREAM = 7;
    private static final int ACKS_STREAM = 8;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static EmbeddedAeron aeron;
    private static ReplicationPublisher publisher;
    private static Subscription commands;
    private static Subscription acks;

    @BeforeAll
    static void link()
    {
        aeron = new EmbeddedAeron();
        final String channel = "aeron:ipc?term-length=" + ReplicationPublisher.termLengthFor(MAX_COMMAND_LENGTH);
        publisher = new ReplicationPublisher(
            aeron.aeron().addExclusivePublication(channel, COMMANDS_STREAM), MAX_COMMAND_LENGTH);
        commands = aeron.aeron().addSubscription(channel, COMMANDS_STREAM);
        acks = aeron.aeron().addSubscription(channel, ACKS_STREAM);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!publisher.isConnected() || !commands.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("the replication link did not connect");
            }
            Thread.onSpinWait();
        }
    }

    @AfterAll
    static void unlink()
    {
        if (null != aeron)
        {
            aeron.close();
        }
    }

    @Test
    void fixedSeedsAgreeThroughReplication()
    {
        runSequences(SMOKE_SEED, 50);
    }

    @Test
    void randomSeedsAgreeThroughReplication()
    {
        final String property = System.getProperty(SEED_PROPERTY);
        // CI runs one fixed base seed (a red CI must come from the change and reproduce); other runs explore.
        final long baseSeed = null != property ? Long.parseLong(property) :
            null != System.getenv("CI") ? 0x5EED_C1C1_0007L : ThreadLocalRandom.current().nextLong();
        final int sequences = Integer.getInteger(SEQUENCES_PROPERTY, DEFAULT_SEQUENCES);
        System.out.println("ReplicatedModelTest: -D" + SEED_PROPERTY + "=" + baseSeed + " -D" + SEQUENCES_PROPERTY +
            "=" + sequences);
        final long start = System.nanoTime();
        final long batches = runSequences(baseSeed, sequences);
        System.out.printf("ReplicatedModelTest: %d sequences, %d batches in %d ms%n",
            sequences, batches, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** @return the number of batches shipped. */
    private static long runSequences(final long baseSeed, final int count)
    {
        long batches = 0;
        for (int i = 0; i < count; i++)
        {
            batches += new Pair(baseSeed, i).run();
        }
        return batches;
    }

    /** One sequence: a primary, a standby fed by the link, and the model driving the generator. */
    private static final class Pair
    {
        private final long baseSeed;
        private final long seed;
        private final SplittableRandom random;
        private final SplittableRandom boundaries;
        private final RecordingSink primaryOutputs = new RecordingSink();
        /** The primary's journal, record i + 1 at index i: kept payloads leave memory and are read back from it. */
        private final List<byte[]> journal = new ArrayList<>();
        private final QueueStateMachine primary = new QueueStateMachine(
            new PayloadReadBack(primaryOutputs, RecordedJournal.of(journal)));
        private final QueueStateMachine standby = new QueueStateMachine(OutputSink.NONE);
        private final ReferenceQueueModel model = new ReferenceQueueModel(Set.of());
        private final CommandGenerator generator;
        private final CommandEvent event = new CommandEvent();
        private final ShippingReplicator replicator = new ShippingReplicator(publisher,
            new ReplicationAckPoller(acks, 0), false, TIMEOUT_NS, true, new SystemNanoClock(),
            new BusySpinIdleStrategy());
        private final RingBuffer<CommandEvent> standbyRing =
            RingBuffer.createSingleProducer(CommandEvent::new, STANDBY_RING_SIZE);
        private final Sequence standbyApplied = new Sequence(-1);
        private final StateDigest primaryDigest = new StateDigest();
        private final StateDigest standbyDigest = new StateDigest();
        private final List<String> steps = new ArrayList<>();
        private ReplicationAdapter live;
        private final StandbyFollower follower;

        Pair(final long baseSeed, final int index)
        {
            this.baseSeed = baseSeed;
            this.seed = baseSeed + index;
            this.random = new SplittableRandom(seed);
            this.boundaries = new SplittableRandom(seed ^ 0xB47C_B47CL);
            this.generator = new CommandGenerator(random, model);
            standbyRing.addGatingSequences(standbyApplied);
            follower = new StandbyFollower(new LiveOnly(), new SnapshotReceiver(null), standbyRing,
                System::nanoTime, null, null, 0, (installed) -> {});
        }

        /** @return the number of batches shipped. */
        int run()
        {
            final int length = 20 + random.nextInt(181); // as StateMachineModelTest: the same commands for a seed
            int batches = 0;
            long logSequence = 0;
            while (logSequence < length)
            {
                final int batch = (int)Math.min(length - logSequence, 1 + boundaries.nextInt(
                    boundaries.nextInt(4) == 0 ? MAX_BATCH : 4));
                for (int i = 1; i <= batch; i++)
                {
                    logSequence++;
                    applyAndShip(logSequence, i == batch);
                }
                awaitStandby(logSequence);
                compare(logSequence);
                batches++;
            }
            return batches;
        }

        private void applyAndShip(final long logSequence, final boolean endOfBatch)
        {
            final Command.Step step = generator.next();
            steps.add(step.toString());
            final byte[] record = step.toJournalRecord(logSequence);
            journal.add(record);
            primary.apply(new UnsafeBuffer(record), 0, record.length);
            model.apply(step);
            final List<String> expected = model.drainOutputs();
            if (!expected.equals(primaryOutputs.drain()))
            {
                fail(report("the primary and the model disagree (StateMachineModelTest with seed " + seed +
                    " shows how)", logSequence));
            }
            generator.observe(expected);

            final UnsafeBuffer buffer = new UnsafeBuffer(record);
            event.set(logSequence, CommandHeader.timestampNs(buffer, 0), CommandHeader.transportSessionId(buffer, 0),
                0, buffer, CommandHeader.LENGTH, record.length - CommandHeader.LENGTH);
            replicator.onEvent(event, logSequence - 1, endOfBatch);
        }

        /** Polls the link and applies what reaches the standby's ring until it holds {@code logSequence}. */
        private void awaitStandby(final long logSequence)
        {
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (true)
            {
                live.poll();
                final long published = standbyRing.getCursor();
                for (long slot = standbyApplied.get() + 1; slot <= published; slot++)
                {
                    final CommandEvent replicated = standbyRing.get(slot);
                    standby.apply(replicated.buffer(), 0, replicated.length());
                }
                standbyApplied.set(published);
                if (follower.lastLogSequence() >= logSequence && published == standbyApplied.get())
                {
                    return;
                }
                if (follower.isCatchingUp())
                {
                    fail(report("the standby saw a gap after log sequence " + follower.lastLogSequence(),
                        logSequence));
                }
                if (System.nanoTime() - deadline > 0)
                {
                    fail(report("the standby stopped at log sequence " + follower.lastLogSequence(), logSequence));
                }
            }
        }

        private void compare(final long logSequence)
        {
            if (follower.lastLogSequence() != logSequence)
            {
                fail(report("the standby is at log sequence " + follower.lastLogSequence(), logSequence));
            }
            final String primaryState = primary.describeState();
            final String standbyState = standby.describeState();
            if (!primaryState.equals(standbyState))
            {
                fail(report("the states differ:\n--- primary\n" + primaryState + "--- standby\n" + standbyState,
                    logSequence));
            }
            final long primaryValue = primary.digest(primaryDigest);
            final long standbyValue = standby.digest(standbyDigest);
            if (primaryValue != standbyValue)
            {
                fail(report("the digests differ: primary " + Long.toHexString(primaryValue) + " standby " +
                    Long.toHexString(standbyValue), logSequence));
            }
        }

        private String report(final String what, final long logSequence)
        {
            final StringBuilder out = new StringBuilder(what).append("\nafter log sequence ").append(logSequence)
                .append(" (base seed ").append(baseSeed).append(", sequence seed ").append(seed)
                .append("); reproduce alone: -D").append(SEED_PROPERTY).append('=').append(seed).append(" -D")
                .append(SEQUENCES_PROPERTY).append("=1\n");
            for (int i = 0; i < steps.size(); i++)
            {
                out.append(String.format("%4d %s%n", i + 1, steps.get(i)));
            }
            return out.toString();
        }

        /** The live stream over the shared link; no catch-up (nothing is lost on IPC, and a gap is a failure). */
        private final class LiveOnly implements StandbyFollower.Links
        {
            public ReplicationAdapter live(final StandbyFollower follower)
            {
                live = new ReplicationAdapter(commands, follower);
                return live;
            }

            public CatchUpAdapter catchUp(final ReplicatedCommandSink sink, final CatchUpListener listener)
            {
                return new CatchUpAdapter(null, sink, listener);
            }

            public CatchUpRequester requester()
            {
                return new CatchUpRequester(null);
            }
        }
    }
}
