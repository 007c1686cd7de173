package io.ringmq.core.model;

import io.ringmq.core.model.ReferenceQueueModel.Deviation;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import io.ringmq.core.state.PayloadReadBack;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.testing.RecordedJournal;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Model-based randomized test: the real {@link QueueStateMachine} and the {@link ReferenceQueueModel} get the same
 * random command sequences and must agree on every output, in order, and on the public views (queues, depths,
 * in-flight counts, sessions, pending timers) after every command. Each sequence's journal (the exact bytes the
 * real machine applied) is then replayed into a fresh machine, whose {@link QueueStateMachine#describeState()} must
 * equal the original's.
 * <p>
 * Sequence {@code i} of a run uses seed {@code base + i}, so a failure names one seed that reproduces it alone:
 * {@code mvn -pl core test -Dtest=StateMachineModelTest -Dringmq.model.seed=S -Dringmq.model.sequences=1}.
 * {@code -Dringmq.model.strict=true} stops mirroring the known deviations of the real machine, or
 * {@code -Dringmq.model.strict=NAME,...} just those (see {@link Deviation} and {@code ModelFoundBugsTest}).
 */
class StateMachineModelTest
{
    static final String SEED_PROPERTY = "ringmq.model.seed";
    static final String SEQUENCES_PROPERTY = "ringmq.model.sequences";
    static final String STRICT_PROPERTY = "ringmq.model.strict";
    private static final int DEFAULT_SEQUENCES = 10_000;
    private static final long SMOKE_SEED = 0x5EED_0000_0001L;
    /**
     * CI's base seed: a red CI must come from the change under test and reproduce, so CI does not explore. Every other
     * run (a developer's {@code mvn verify}, or {@code -Dringmq.model.sequences=200000} to search long) takes a
     * random one and prints it; what it finds becomes a regression in ModelFoundBugsTest.
     */
    private static final long CI_SEED = 0x5EED_C1C1_0007L;
    /** How {@link QueueStateMachine#describeState()} shows a message whose payload left memory. */
    private static final String PAYLOAD_IN_JOURNAL = "payload=journal@";

    /** Deviations of the real machine that are reported but not fixed yet; remove each once fixed. */
    static final Set<Deviation> MIRRORED_UNTIL_FIXED = EnumSet.noneOf(Deviation.class);

    /**
     * Sequences random seeds once found failing, kept as regressions: in a run before dead-letter cycles were refused,
     * a consumer's release dead-lettered one of its deliveries and the room made for that copy pushed another of its
     * deliveries out of its queue; the release then gave that one back too, and its redelivery found no message
     * (NullPointerException in the dispatcher: the state machine threw). And the model's own version of it.
     */
    private static final long[] REGRESSION_SEEDS = {-2762398807085900934L, 8688476625249720170L,
        -4755710491458221518L, 7773568421950616926L};

    @Test
    void fixedSeedsAgree()
    {
        runSequences(SMOKE_SEED, 500, mirrored());
        for (final long seed : REGRESSION_SEEDS)
        {
            runSequences(seed, 1, mirrored());
        }
    }

    @Test
    void randomSeedsAgree()
    {
        final String property = System.getProperty(SEED_PROPERTY);
        final long baseSeed = null != property ? Long.parseLong(property) :
            null != System.getenv("CI") ? CI_SEED : ThreadLocalRandom.current().nextLong();
        final int sequences = Integer.getInteger(SEQUENCES_PROPERTY, DEFAULT_SEQUENCES);
        System.out.println("StateMachineModelTest: " + SEED_PROPERTY + "=" + baseSeed + " " + SEQUENCES_PROPERTY +
            "=" + sequences + " mirrored deviations " + mirrored());
        final long start = System.nanoTime();
        final long commands = runSequences(baseSeed, sequences, mirrored());
        System.out.printf("StateMachineModelTest: %d sequences, %d commands in %d ms%n",
            sequences, commands, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The generator starts some runs with group and queue expiry on (issue 17): the smoke seeds must see both expire,
     * or the agreement above says nothing about them.
     */
    @Test
    void expiryIsExercised()
    {
        final Exercised exercised = runSmokeSeeds();
        if (exercised.expiredGroups < 10 || exercised.expiredQueues < 10)
        {
            fail("the smoke seeds expired " + exercised.expiredGroups + " groups and " + exercised.expiredQueues +
                " queues");
        }
    }

    /**
     * Kept messages' payloads leave memory (issue 16): the smoke seeds must deliver some read back from the journal,
     * and replay and snapshot a state holding payloads only in the journal, or the agreement above says nothing about
     * them (a replayed or restored machine that kept a payload the live one let go would differ only there). Before the
     * generator declared queues first and sought where messages are kept, they read back none (7 now).
     */
    @Test
    void keptPayloadsLeaveMemoryAndAreReadBack()
    {
        final Exercised exercised = runSmokeSeeds();
        if (exercised.payloadsReadBack < 5 || exercised.replayedWithPayloadsInJournal < 10 ||
            exercised.snapshotsWithPayloadsInJournal < 3)
        {
            fail("the smoke seeds read back " + exercised.payloadsReadBack + " payloads; " +
                exercised.replayedWithPayloadsInJournal + " replays and " + exercised.snapshotsWithPayloadsInJournal +
                " snapshots held payloads in the journal");
        }
    }

    private static Exercised runSmokeSeeds()
    {
        final Exercised exercised = new Exercised();
        for (int i = 0; i < 500; i++)
        {
            runSequence(SMOKE_SEED, i, mirrored(), exercised);
        }
        return exercised;
    }

    /** The model as specification, mirroring nothing (every deviation it once had to mirror has been fixed). */
    @Test
    void strictModelAgrees()
    {
        runSequences(SMOKE_SEED, 2_000, EnumSet.noneOf(Deviation.class));
    }

    /** {@code -Dringmq.model.strict=true} mirrors no deviation; {@code =NAME,NAME} stops mirroring those. */
    private static Set<Deviation> mirrored()
    {
        final String strict = System.getProperty(STRICT_PROPERTY, "false");
        final EnumSet<Deviation> mirrored = EnumSet.noneOf(Deviation.class);
        mirrored.addAll(MIRRORED_UNTIL_FIXED);
        if ("true".equals(strict))
        {
            mirrored.clear();
        }
        else if (!"false".equals(strict))
        {
            for (final String name : strict.split(","))
            {
                mirrored.remove(Deviation.valueOf(name.trim()));
            }
        }
        return mirrored;
    }

    /** @return the number of commands applied. */
    static long runSequences(final long baseSeed, final int count, final Set<Deviation> mirrored)
    {
        long commands = 0;
        for (int i = 0; i < count; i++)
        {
            commands += runSequence(baseSeed, i, mirrored);
        }
        return commands;
    }

    static int runSequence(final long baseSeed, final int index, final Set<Deviation> mirrored)
    {
        return runSequence(baseSeed, index, mirrored, new Exercised());
    }

    /** @param exercised where what the sequence reached is added. */
    static int runSequence(
        final long baseSeed, final int index, final Set<Deviation> mirrored, final Exercised exercised)
    {
        final long seed = baseSeed + index;
        final SplittableRandom random = new SplittableRandom(seed);
        final RecordingSink sink = new RecordingSink();
        final List<byte[]> journal = new ArrayList<>();
        // Payloads of kept messages leave memory: the sink reads them back from this journal, as the daemon's egress
        // does from its own, so the model (which knows nothing of that) sees the same outputs.
        final PayloadReadBack readBack = new PayloadReadBack(sink, RecordedJournal.of(journal));
        final QueueStateMachine real = new QueueStateMachine(readBack);
        final ReferenceQueueModel model = new ReferenceQueueModel(mirrored);
        final CommandGenerator generator = new CommandGenerator(random, model);
        final Transcript transcript = new Transcript(baseSeed, index, seed, mirrored);

        final int length = 20 + random.nextInt(181);
        for (int i = 0; i < length; i++)
        {
            final Command.Step step = generator.next();
            final byte[] record = step.toJournalRecord(i + 1);
            transcript.steps.add(step);
            // A value the schema does not allow (an unknown enum value) is refused by today's ingress, but journals
            // written before it checked may hold one, so the state machine must still answer it: keep those.
            final ErrorCode refusal = FrameValidator.validate(new UnsafeBuffer(record), CommandHeader.LENGTH,
                record.length - CommandHeader.LENGTH);
            if (null != refusal && ErrorCode.INVALID_ARGUMENT != refusal)
            {
                fail(transcript.report("the generator made a frame the ingress would refuse", List.of(), List.of()));
            }

            final List<String> actual;
            journal.add(record);
            try
            {
                real.apply(new UnsafeBuffer(record), 0, record.length);
                actual = sink.drain();
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError(transcript.report("the state machine threw " + ex, List.of(), List.of()), ex);
            }
            try
            {
                model.apply(step);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError(transcript.report("the reference model threw " + ex, List.of(), actual), ex);
            }
            final List<String> expected = model.drainOutputs();

            if (!expected.equals(actual))
            {
                fail(transcript.report("outputs differ", expected, actual) + stateOf(real));
            }
            final String viewDifference = compareViews(model, real, step.timeNs());
            if (null != viewDifference)
            {
                fail(transcript.report("views differ: " + viewDifference, expected, actual) + stateOf(real));
            }
            transcript.outputs.add(actual);
            generator.observe(expected);
        }

        exercised.expiredGroups += real.expiredGroups();
        exercised.expiredQueues += real.expiredQueues();
        exercised.payloadsReadBack += readBack.readBackCount();
        final QueueStateMachine replayed = new QueueStateMachine(OutputSink.NONE);
        for (final byte[] record : journal)
        {
            replayed.apply(new UnsafeBuffer(record), 0, record.length);
        }
        final String original = real.describeState();
        final String rebuilt = replayed.describeState();
        exercised.replayedWithPayloadsInJournal += original.contains(PAYLOAD_IN_JOURNAL) ? 1 : 0;
        if (!original.equals(rebuilt))
        {
            fail(transcript.report("journal replay reached a different state:\n--- live\n" + original +
                "--- replayed\n" + rebuilt, List.of(), List.of()));
        }
        checkSnapshotAndTail(journal, new SplittableRandom(seed ^ 0x5A5A_5A5AL).nextInt(journal.size() + 1),
            original, transcript, exercised);
        return length;
    }

    /**
     * Snapshot after the first {@code split} commands, restore it into a fresh machine, apply the rest: the outputs of
     * the rest and the final state must be those of the live run, and the restored machine's own snapshot must be
     * byte for byte the one it was restored from.
     */
    private static void checkSnapshotAndTail(final List<byte[]> journal, final int split, final String liveState,
        final Transcript transcript, final Exercised exercised)
    {
        final QueueStateMachine head = new QueueStateMachine(OutputSink.NONE);
        for (int i = 0; i < split; i++)
        {
            head.apply(new UnsafeBuffer(journal.get(i)), 0, journal.get(i).length);
        }
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(4096);
        final int length = head.writeSnapshot(snapshot, 0);

        final RecordingSink sink = new RecordingSink();
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(snapshot, 0, length, new PayloadReadBack(sink, RecordedJournal.of(journal)));
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(4096);
        final int againLength = restored.writeSnapshot(again, 0);
        if (againLength != length || !Arrays.equals(
            Arrays.copyOf(snapshot.byteArray(), length), Arrays.copyOf(again.byteArray(), againLength)))
        {
            fail(transcript.report("a restored snapshot wrote different bytes (split at " + split + ")",
                List.of(), List.of()));
        }
        exercised.snapshotsWithPayloadsInJournal += head.describeState().contains(PAYLOAD_IN_JOURNAL) ? 1 : 0;
        if (!head.describeState().equals(restored.describeState()))
        {
            fail(transcript.report("restored state differs (split at " + split + "):\n--- snapshotted\n" +
                head.describeState() + "--- restored\n" + restored.describeState(), List.of(), List.of()));
        }
        for (int i = split; i < journal.size(); i++)
        {
            restored.apply(new UnsafeBuffer(journal.get(i)), 0, journal.get(i).length);
            final List<String> outputs = sink.drain();
            if (!outputs.equals(transcript.outputs.get(i)))
            {
                fail(transcript.report("after a snapshot at " + split + ", outputs differ at command " + (i + 1),
                    transcript.outputs.get(i), outputs));
            }
        }
        final String tailState = restored.describeState();
        if (!liveState.equals(tailState))
        {
            fail(transcript.report("snapshot at " + split + " + tail replay reached a different state:\n--- live\n" +
                liveState + "--- snapshot + tail\n" + tailState, List.of(), List.of()));
        }
    }


    private static String stateOf(final QueueStateMachine real)
    {
        return "state of the real machine after the command:\n" + real.describeState();
    }

    /** @return what differs between the model's and the real machine's public views, or null. */
    private static String compareViews(final ReferenceQueueModel model, final QueueStateMachine real, final long nowNs)
    {
        if (!model.queueNames().equals(real.queueNames()))
        {
            return "queues model=" + model.queueNames() + " real=" + real.queueNames();
        }
        for (final String queue : model.queueNames())
        {
            if (model.depth(queue) != real.depth(queue))
            {
                return "depth of " + queue + " model=" + model.depth(queue) + " real=" + real.depth(queue);
            }
            final QueueCounters counters = real.counters(queue);
            final String realCounters = counters.messages() + " " + counters.bytes() + " " + counters.expired() +
                " " + counters.overflowed() + " " + counters.dropped() + " " + counters.refused();
            if (!model.counters(queue).equals(realCounters))
            {
                return "counters (messages bytes expired overflowed dropped refused) of " + queue + " model=" +
                    model.counters(queue) + " real=" + realCounters;
            }
        }
        final Map<String, Integer> modelInFlight = model.inFlightByGroup();
        final Map<String, Integer> realInFlight = new LinkedHashMap<>();
        modelInFlight.keySet().forEach((queueAndGroup) ->
        {
            final int slash = queueAndGroup.indexOf('/');
            realInFlight.put(queueAndGroup,
                real.inFlight(queueAndGroup.substring(0, slash), queueAndGroup.substring(slash + 1)));
        });
        if (!modelInFlight.equals(realInFlight))
        {
            return "in flight model=" + modelInFlight + " real=" + realInFlight;
        }
        final Map<String, Long> modelFiltered = model.filteredByGroup();
        final Map<String, Long> realFiltered = new LinkedHashMap<>();
        modelFiltered.keySet().forEach((queueAndGroup) ->
        {
            final int slash = queueAndGroup.indexOf('/');
            realFiltered.put(queueAndGroup,
                real.filtered(queueAndGroup.substring(0, slash), queueAndGroup.substring(slash + 1)));
        });
        if (!modelFiltered.equals(realFiltered))
        {
            return "filtered model=" + modelFiltered + " real=" + realFiltered;
        }
        if (model.sessionCount() != real.sessionCount())
        {
            return "sessions model=" + model.sessionCount() + " real=" + real.sessionCount();
        }
        if (model.foreignCommands() != real.foreignCommands())
        {
            return "commands naming another's session model=" + model.foreignCommands() + " real=" +
                real.foreignCommands();
        }
        if (model.pendingTimers() != real.pendingTimers())
        {
            return "pending timers model=" + model.pendingTimers() + " real=" + real.pendingTimers();
        }
        // The daemon ticks when the next deadline comes: it may be early (a tick that finds nothing), never late (a
        // timer that fires late), and not already passed unless something really is due (a rule that shortened a
        // maximum age): otherwise a tick for it would find nothing and leave it where it is.
        final long modelDeadline = model.earliestDeadlineNs();
        final long realDeadline = real.nextDeadlineNs();
        if (-1 == modelDeadline ? Long.MAX_VALUE != realDeadline :
            realDeadline > modelDeadline || (realDeadline <= nowNs && modelDeadline > nowNs))
        {
            return "next deadline model=" + modelDeadline + " (-1: none) real=" + realDeadline + " at " + nowNs;
        }
        if (model.expiredGroups() != real.expiredGroups() || model.expiredQueues() != real.expiredQueues())
        {
            return "expired groups model=" + model.expiredGroups() + " real=" + real.expiredGroups() +
                ", queues model=" + model.expiredQueues() + " real=" + real.expiredQueues();
        }
        if (model.repliesDropped() != real.repliesDropped())
        {
            return "replies dropped model=" + model.repliesDropped() + " real=" + real.repliesDropped();
        }
        if (model.evictedProducers() != real.evictedProducers() || model.evictedIds() != real.evictedMessageIds())
        {
            return "forgotten to make room: producers model=" + model.evictedProducers() + " real=" +
                real.evictedProducers() + ", message ids model=" + model.evictedIds() + " real=" +
                real.evictedMessageIds();
        }
        return null;
    }

    private static String strictness(final Set<Deviation> mirrored)
    {
        final EnumSet<Deviation> notMirrored = EnumSet.copyOf(MIRRORED_UNTIL_FIXED);
        notMirrored.removeAll(mirrored);
        final StringBuilder names = new StringBuilder();
        notMirrored.forEach((d) -> names.append(names.length() == 0 ? "" : ",").append(d.name()));
        return notMirrored.isEmpty() ? "" : " -D" + STRICT_PROPERTY + "=" + names;
    }

    /** What the sequences of a run reached, added up: a feature none reached was not checked by them. */
    static final class Exercised
    {
        long expiredGroups;
        long expiredQueues;
        long payloadsReadBack;
        /** Sequences whose final state, compared with its replay, held a payload only in the journal. */
        long replayedWithPayloadsInJournal;
        /** Snapshots (restored and compared) that held a payload only in the journal. */
        long snapshotsWithPayloadsInJournal;
    }

    /** Everything needed to read and reproduce a failing sequence. */
    private static final class Transcript
    {
        final long baseSeed;
        final int index;
        final long seed;
        final Set<Deviation> mirrored;
        final List<Command.Step> steps = new ArrayList<>();
        final List<List<String>> outputs = new ArrayList<>();

        Transcript(final long baseSeed, final int index, final long seed, final Set<Deviation> mirrored)
        {
            this.baseSeed = baseSeed;
            this.index = index;
            this.seed = seed;
            this.mirrored = mirrored;
        }

        String report(final String what, final List<String> expected, final List<String> actual)
        {
            final StringBuilder out = new StringBuilder();
            out.append(what).append(" at command ").append(steps.size()).append(" of sequence ").append(index)
                .append(" (base seed ").append(baseSeed).append(", sequence seed ").append(seed)
                .append(", mirrored deviations ").append(mirrored).append(")\n");
            out.append("reproduce alone: -D").append(SEED_PROPERTY).append('=').append(seed).append(" -D")
                .append(SEQUENCES_PROPERTY).append("=1").append(strictness(mirrored))
                .append('\n');
            if (!expected.equals(actual))
            {
                int first = 0;
                while (first < expected.size() && first < actual.size() &&
                    expected.get(first).equals(actual.get(first)))
                {
                    first++;
                }
                out.append("first difference at output ").append(first).append(" of the command: model=")
                    .append(first < expected.size() ? expected.get(first) : "(nothing)")
                    .append(" real=").append(first < actual.size() ? actual.get(first) : "(nothing)").append('\n');
            }
            out.append("outputs of the command, model: ").append(expected).append('\n');
            out.append("outputs of the command, real:  ").append(actual).append('\n');
            out.append("commands, each followed by the outputs both agreed on:\n");
            for (int i = 0; i < steps.size(); i++)
            {
                out.append(String.format("%4d %s%n", i + 1, steps.get(i)));
                if (i < outputs.size())
                {
                    for (final String line : outputs.get(i))
                    {
                        out.append("       > ").append(line).append('\n');
                    }
                }
            }
            return out.toString();
        }
    }
}
