package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.protocol.SchemaLayout;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.FrameFuzzer;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No input stops the state machine. The ingress refuses frames whose enum fields hold values the schema does not
 * know, but journals written before it did may hold them, so the state machine must answer those with an error too,
 * never throw: one such frame used to kill the dispatcher and, journaled first, every restart after it.
 */
class HostileInputTest
{
    /** The reproduction: QueueAdmin from session 424242 with action 99. */
    private static final String QUEUE_ADMIN_ACTION_99 =
        "190007004d52040032790600000000000700000000000000630000000000000000010000007100000000";

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @Test
    void theFrameThatBrickedTheDaemonIsRefusedByTheValidatorAndAnsweredByTheStateMachine()
    {
        final byte[] bytes = HexFormat.of().parseHex(QUEUE_ADMIN_ACTION_99);
        assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(new UnsafeBuffer(bytes), 0, bytes.length));
        assertTrue(FrameValidator.invalidField(new UnsafeBuffer(bytes), 0, bytes.length).startsWith(
            "QueueAdmin.action=99 (allowed: AdminAction: one of [0, 1, 2, 3, 4, 5])"),
            FrameValidator.invalidField(new UnsafeBuffer(bytes), 0, bytes.length));

        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        commands.publish(1, 2, "q", "m"); // the queue the frame names exists
        final long session = 1;
        new UnsafeBuffer(bytes).putLong(MessageHeaderEncoder.ENCODED_LENGTH, session, LITTLE_ENDIAN); // one that exists
        sink.drain();
        commands.frameBuffer().putBytes(CommandHeader.LENGTH, bytes);
        commands.applyFrame(bytes.length);

        final List<String> outputs = sink.drain();
        assertEquals(1, outputs.size(), outputs.toString());
        assertTrue(outputs.get(0).startsWith("error session=1 corr=7 INVALID_ARGUMENT"), outputs.toString());
    }

    /**
     * Every enum field of every client template, set to each value its encoding can hold that the schema does not
     * allow: refused by the validator, and applied anyway (as from an old journal) it gets an error or nothing,
     * never an exception, and the state machine goes on serving.
     */
    @Test
    void everyUnknownEnumValueOfEveryClientCommandIsRefusedAndNeverThrows()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "fuzz.a", "g1", 4);
        commands.publish(1, 3, "fuzz.a", "m");
        final FrameFuzzer fuzzer = new FrameFuzzer(7, () -> 1, "aeron:ipc", 2001);
        final MutableDirectBuffer frame = commands.frameBuffer();
        final int frameOffset = CommandHeader.LENGTH;
        int checked = 0;
        for (final SchemaLayout.Message message : SchemaLayout.RINGMQ.messages().values())
        {
            if (!FrameValidator.isClientCommand(message.templateId()))
            {
                continue;
            }
            for (final SchemaLayout.Field field : message.fields())
            {
                if (null == field.validValues())
                {
                    continue;
                }
                for (long value = 0; value < 1L << Math.min(8, 8 * field.length()); value++)
                {
                    final int length = fuzzer.wellFormed(message.templateId(), frame, frameOffset);
                    final long raw = field.length() == 1 ? (byte)value : value;
                    if (field.allows(field.primitive() == SchemaLayout.Primitive.UINT8 ? value : raw))
                    {
                        continue;
                    }
                    final int at = frameOffset + MessageHeaderEncoder.ENCODED_LENGTH + field.offset();
                    FrameFuzzer.write(frame, at, field.length(), raw);
                    assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(frame, frameOffset, length),
                        message.name() + "." + field.name() + "=" + raw);
                    commands.applyFrame(length);
                    checked++;
                }
            }
        }
        assertTrue(checked > 7 * 250, "every enum field of every client template, every unknown value: " + checked);
        sink.drain();

        // (A Disconnect whose releaseInFlight is the null value closed session 1, as it always has: old journals.)
        commands.connect(98, "aeron:ipc", 2001);
        commands.publish(2, 99, "fuzz.a", "still served");
        assertTrue(sink.drain().contains("receipt session=2 corr=99 seq=2"), "the state machine still serves");
    }

    /**
     * Found by the fuzz below: groups naming each other's queues as their dead-letter queues, with size limits. A
     * rejected message is copied to its group's DLQ, which makes room by pushing a message out; that one is
     * dead-lettered back into the first queue, which makes room by pushing out the very message being rejected (still
     * held by a second group). The reject then found its message gone and threw, which stopped the dispatcher. A run
     * of schema version 5 refuses such a cycle (DeadLetterCycleTest); journals of version 4 runs may hold one.
     */
    @Test
    void aRejectWhoseDeadLetterPushesItsOwnMessageOutOfItsQueueSettlesEverythingOnce()
    {
        final QueuePolicy oneMessage = QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 1, 0, LimitAction.DEFAULT, LimitAction.DEAD_LETTER));
        commands.nodeStartedAtSchemaVersion(4);
        commands.connect(1, "aeron:ipc", 2001);
        commands.declareQueue(1, 2, "a", oneMessage);
        commands.declareQueue(1, 3, "b", oneMessage);
        commands.declareGroup(1, 4, "a", "ga", DispatchStrategy.DEFAULT, "b");
        commands.declareGroup(1, 5, "a", "ga2", DispatchStrategy.DEFAULT, "");
        commands.declareGroup(1, 6, "b", "gb", DispatchStrategy.DEFAULT, "a");
        commands.publish(1, 7, "b", "x");
        commands.publish(1, 8, "a", "m");
        commands.subscribe(1, 9, "a", "ga", 1);
        sink.drain();

        commands.nack(1, 1, 1, 1, NackAction.REJECT);

        final List<String> outputs = sink.drain();
        assertTrue(outputs.stream().noneMatch((line) -> line.startsWith("error")), outputs.toString());
        assertEquals(1, stateMachine.depth("b"), "ga's letter for m");
        assertEquals(1, stateMachine.depth("a"), "gb's letter for x, which pushed m out of a");
        assertEquals(1, stateMachine.depth("a.dlq"), "m, pushed out while ga2 still needed it");
        commands.publish(1, 10, "c", "still served");
        assertTrue(sink.drain().contains("receipt session=1 corr=10 seq=1"));
    }

    /**
     * A storm of random and mutated frames of every client template: the validator never throws, and every frame it
     * finds whole — accepted, or refused only for a value (what an old journal may hold) — applied to the state
     * machine never throws either. Replaying the same commands gives the same state, and so does a snapshot of it.
     */
    @Test
    void mutatedFramesOfEveryTemplateNeverThrowAndReplayToTheSameState()
    {
        final int frames = Integer.getInteger("ringmq.fuzz.frames", 300_000);
        final long seed = Long.getLong("ringmq.fuzz.seed", 20261206L);
        final OpenSessions live = new OpenSessions();
        final QueueStateMachine first = new QueueStateMachine(live);
        final int[] outcome = run(first, live, seed, frames);
        assertTrue(outcome[0] > frames / 10, "many frames accepted whole: " + outcome[0]);
        assertTrue(outcome[1] > frames / 100, "many refused only for a value: " + outcome[1]);
        assertTrue(outcome[2] > frames / 10, "many refused as malformed: " + outcome[2]);
        assertTrue(live.opened > frames / 1000, "sessions came and went: " + live.opened);
        assertTrue(first.retainedMessages() > 0, "the fuzz left messages behind, so it reached the queues");

        final OpenSessions replaySessions = new OpenSessions();
        final QueueStateMachine replayed = new QueueStateMachine(replaySessions);
        run(replayed, replaySessions, seed, frames);
        assertEquals(first.describeState(), replayed.describeState());

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = first.writeSnapshot(snapshot, 0);
        assertEquals(first.describeState(),
            QueueStateMachine.fromSnapshot(snapshot, 0, length, OutputSink.NONE).describeState());
    }

    /**
     * Session-bound frames name one of the sessions open now, most of the time (else any small id), so they reach
     * past the session check into every command's handling.
     *
     * @return frames {accepted whole, refused for a value, refused otherwise}.
     */
    private static int[] run(
        final QueueStateMachine machine, final OpenSessions open, final long seed, final int frames)
    {
        final Commands commands = new Commands(machine);
        final Random random = new Random(seed);
        final FrameFuzzer fuzzer = new FrameFuzzer(seed, () -> open.ids.isEmpty() || 0 == random.nextInt(20) ?
            random.nextInt(8) : open.ids.get(random.nextInt(open.ids.size())), "aeron:ipc", 2001);
        final MutableDirectBuffer frame = commands.frameBuffer();
        final int[] outcome = new int[3];
        commands.nodeStarted(2_000, 3);
        for (int i = 0; i < frames; i++)
        {
            final int length = fuzzer.next(frame, CommandHeader.LENGTH, 20);
            final ErrorCode error = FrameValidator.validate(frame, CommandHeader.LENGTH, length);
            if (null == error || ErrorCode.INVALID_ARGUMENT == error)
            {
                outcome[null == error ? 0 : 1]++;
                commands.advanceNs(random.nextInt(50_000_000));
                commands.applyFrame(length);
            }
            else
            {
                outcome[2]++;
            }
        }
        return outcome;
    }

    /** Which sessions are open, in the order they opened. */
    private static final class OpenSessions extends DiscardingOutputSink
    {
        final List<Long> ids = new ArrayList<>();
        int opened;

        public void onSessionOpened(
            final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
        {
            ids.add(sessionId);
            opened++;
        }

        public void onSessionClosed(final long sessionId)
        {
            ids.remove(sessionId);
        }
    }
}
