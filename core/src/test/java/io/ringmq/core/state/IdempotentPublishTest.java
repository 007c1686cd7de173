package io.ringmq.core.state;

import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12: what the state machine remembers of a producer's publishes and of message ids, at its edges the reference
 * model's short sequences do not reach: a producer's 256 latest sequences, windows that pass, a run journaled before
 * any of it (schema version 6), and a snapshot that carries it.
 */
class IdempotentPublishTest
{
    private static final long HOUR_MS = 3_600_000;
    private static final byte[] NO_HEADERS = new byte[0];

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    private void connect(final DedupLimits limits)
    {
        commands.nodeStarted(limits);
        commands.fromTransport(7);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    private void publish(final long correlationId, final long producerId, final long sequence, final String id)
    {
        commands.publish(1, correlationId, "q", "m" + correlationId, producerId, sequence, NO_HEADERS, id);
    }

    @Test
    void aProducersLatest256SequencesAreRememberedAndAnOlderOneIsStoredAgain()
    {
        connect(new DedupLimits(HOUR_MS, 10, 0, 0));
        for (int sequence = 1; sequence <= ProducerWindows.SEQUENCES_PER_PRODUCER + 1; sequence++)
        {
            publish(sequence, 5, sequence, "");
        }
        sink.drain();

        publish(1000, 5, 2, "");
        publish(1001, 5, 1, "");
        assertEquals(List.of("receipt session=1 corr=1000 seq=2", "receipt session=1 corr=1001 seq=258"),
            sink.drain(), "sequence 2 is among the latest 256, sequence 1 was forgotten and is stored again");
        assertEquals(258, stateMachine.depth("q"));
    }

    @Test
    void aRetryAfterTheWindowIsStoredAgainAndTheWindowRunsFromTheProducersLastPublish()
    {
        connect(new DedupLimits(100, 10, 50, 10));
        publish(1, 5, 1, "a");
        commands.tickAfterMs(60);
        publish(2, 5, 2, "");
        publish(3, 9, 1, "a");
        commands.tickAfterMs(60);
        publish(4, 5, 1, "");
        assertEquals(List.of("receipt session=1 corr=1 seq=1", "receipt session=1 corr=2 seq=2",
            "receipt session=1 corr=3 seq=3", "receipt session=1 corr=4 seq=1"), sink.drain(),
            "the id's 50 ms had passed; the producer's 100 ms count from its last publish, 60 ms before");

        commands.tickAfterMs(100);
        publish(5, 5, 1, "");
        assertEquals(List.of("receipt session=1 corr=5 seq=4"), sink.drain(), "forgotten 100 ms after its last use");
    }

    @Test
    void aRunJournaledBeforeIdempotentPublishRemembersNothing()
    {
        commands.nodeStartedAtSchemaVersion(6);
        commands.fromTransport(7);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
        publish(1, 5, 1, "a");
        publish(2, 5, 1, "a");
        assertEquals(List.of("receipt session=1 corr=1 seq=1", "receipt session=1 corr=2 seq=2"), sink.drain());
    }

    /** A Publish as a version 6 client sent it (and a journal holds it): a shorter block, nothing after the payload. */
    @Test
    void aVersion6PublishIsAppliedAsItWasAMessageWithoutHeadersIdOrProducer()
    {
        connect(new DedupLimits(HOUR_MS, 10, HOUR_MS, 10));
        commands.subscribe(1, 2, "q", "g", 10);
        sink.drain();

        final MutableDirectBuffer frame = commands.frameBuffer();
        final int v6Block = PublishEncoder.producerIdEncodingOffset();
        new MessageHeaderEncoder().wrap(frame, CommandHeader.LENGTH)
            .blockLength(v6Block).templateId(PublishEncoder.TEMPLATE_ID).schemaId(PublishEncoder.SCHEMA_ID).version(6);
        int position = CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
        frame.putLong(position, 1, LITTLE_ENDIAN); // session
        frame.putLong(position + Long.BYTES, 3, LITTLE_ENDIAN); // correlation id
        position += v6Block;
        position += frame.putStringAscii(position, "q", LITTLE_ENDIAN);
        position += frame.putStringAscii(position, "old", LITTLE_ENDIAN);
        final int length = position - CommandHeader.LENGTH;
        assertEquals(null, FrameValidator.validate(frame, CommandHeader.LENGTH, length), "the ingress takes it");
        commands.applyFrame(length);

        assertEquals(List.of("receipt session=1 corr=3 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=old"), sink.drain());
    }

    @Test
    void aSnapshotCarriesWhatIsRememberedAndTheRestoredMachineAnswersRetriesTheSame()
    {
        connect(new DedupLimits(HOUR_MS, 2, HOUR_MS, 2));
        publish(1, 5, 1, "a");
        publish(2, 6, 1, "b");
        publish(3, 7, 1, "c"); // the third producer and id: producer 5 and id "a" are forgotten, counted
        assertEquals(1, stateMachine.evictedProducers());
        assertEquals(1, stateMachine.evictedMessageIds());

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, restoredSink);
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(1, restored.evictedProducers());

        final Commands restoredCommands = new Commands(restored);
        restoredCommands.fromTransport(7);
        restoredCommands.publish(1, 4, "q", "again", 6, 1, NO_HEADERS, "");
        restoredCommands.publish(1, 5, "q", "again", 0, 0, NO_HEADERS, "c");
        restoredCommands.publish(1, 6, "q", "again", 5, 1, NO_HEADERS, "");
        assertEquals(List.of("receipt session=1 corr=4 seq=2", "receipt session=1 corr=5 seq=3",
            "receipt session=1 corr=6 seq=4"), restoredSink.drain());
    }
}
