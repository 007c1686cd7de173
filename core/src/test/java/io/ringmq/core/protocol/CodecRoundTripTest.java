package io.ringmq.core.protocol;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.ConnectedEncoder;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeliverDecoder;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.DisconnectDecoder;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.ErrorEncoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackDecoder;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.ReceiptDecoder;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.codecs.SubscribeDecoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.codecs.SubscribedDecoder;
import io.ringmq.codecs.SubscribedEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame type encodes and decodes to the same values, the validator accepts it whole and refuses it cut short
 * at any length, with a garbled length field, or with a foreign schema or unknown template.
 */
class CodecRoundTripTest
{
    private static final int OFFSET = 8; // frames rarely sit at offset 0 in a real buffer
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final byte[] payload = "héllo, ringmq".getBytes(StandardCharsets.UTF_8);

    @Test
    void connectRoundTrips()
    {
        final int length = frame(e -> new ConnectEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .correlationId(42).responseStreamId(2001).responseChannel("aeron:ipc?term-length=64k")
            .clientName("cli").encodedLength());
        final ConnectDecoder d = new ConnectDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(42, d.correlationId());
        assertEquals(2001, d.responseStreamId());
        assertEquals("aeron:ipc?term-length=64k", d.responseChannel());
        assertEquals("cli", d.clientName());
        assertRejectsEveryTruncation(length);
    }

    @Test
    void publishRoundTrips()
    {
        final int length = frame(e -> new PublishEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(3).correlationId(77).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("orders.eu").putPayload(payload, 0, payload.length)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
        final PublishDecoder d = new PublishDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(3, d.sessionId());
        assertEquals(77, d.correlationId());
        assertEquals("orders.eu", d.queue());
        final byte[] decoded = new byte[d.payloadLength()];
        d.getPayload(decoded, 0, decoded.length);
        assertArrayEquals(payload, decoded);
        assertRejectsEveryTruncation(length);
    }

    @Test
    void subscribeRoundTrips()
    {
        final int length = frame(e -> new SubscribeEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(3).correlationId(78).prefetch(64).createQueue(BooleanType.FALSE).queue("orders").group("billing")
            .encodedLength());
        final SubscribeDecoder d = new SubscribeDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(3, d.sessionId());
        assertEquals(78, d.correlationId());
        assertEquals(64, d.prefetch());
        assertEquals(BooleanType.FALSE, d.createQueue());
        assertEquals("orders", d.queue());
        assertEquals("billing", d.group());
        assertRejectsEveryTruncation(length);

        // createQueue is a BooleanType: the schema-derived check refuses any other value at the ingress.
        final int createQueueAt =
            OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + SubscribeEncoder.createQueueEncodingOffset();
        buffer.putByte(createQueueAt, (byte)2);
        assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(buffer, OFFSET, length));
        buffer.putByte(createQueueAt, (byte)1);
        assertNull(FrameValidator.validate(buffer, OFFSET, length));
    }

    @Test
    void fixedLengthCommandsRoundTrip()
    {
        int length = frame(e -> new DisconnectEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(9).encodedLength());
        assertEquals(9, new DisconnectDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder).sessionId());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new AckEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(1).consumerId(2).sequence(3).attempt(4).encodedLength());
        final AckDecoder ack = new AckDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(List.of(1L, 2L, 3L, 4L), List.of(ack.sessionId(), ack.consumerId(), ack.sequence(),
            (long)ack.attempt()));
        assertRejectsEveryTruncation(length);

        length = frame(e -> new NackEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(1).consumerId(2).sequence(3).attempt(4).action(NackAction.REQUEUE_DELAYED).delayMs(500)
            .encodedLength());
        final NackDecoder nack = new NackDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(NackAction.REQUEUE_DELAYED, nack.action());
        assertEquals(500, nack.delayMs());
        assertEquals(4, nack.attempt());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new NodeStartedEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .startTimestampNs(123).maxSessions(256).maxQueues(10_000).maxConsumersPerSession(1024)
            .defaultMaxQueueBytes(1L << 28).encodedLength());
        final NodeStartedDecoder nodeStarted =
            new NodeStartedDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(123, nodeStarted.startTimestampNs());
        assertEquals(256, nodeStarted.maxSessions());
        assertEquals(10_000, nodeStarted.maxQueues());
        assertEquals(1024, nodeStarted.maxConsumersPerSession());
        assertEquals(1L << 28, nodeStarted.defaultMaxQueueBytes());
        assertRejectsEveryTruncation(length);
    }

    @Test
    void ackBatchRoundTrips()
    {
        final int length = frame(e -> ackBatch(3));
        final AckBatchDecoder batch = new AckBatchDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(1, batch.sessionId());
        assertEquals(2, batch.consumerId());
        final List<String> entries = new ArrayList<>();
        for (final AckBatchDecoder.EntriesDecoder entry : batch.entries())
        {
            entries.add(entry.sequence() + "/" + entry.attempt());
        }
        assertEquals(List.of("10/1", "11/2", "12/3"), entries);
        assertRejectsEveryTruncation(length);
    }

    @Test
    void ackBatchWithoutEntriesIsMalformed()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ackBatch(0);
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
    }

    @Test
    void ackBatchCountOrEntryLengthThatDoesNotFitIsMalformed()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ackBatch(3);
        final int groupHeader = OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + AckBatchEncoder.BLOCK_LENGTH;
        final int countOffset = groupHeader + Short.BYTES;

        buffer.putShort(countOffset, (short)4); // one entry more than the frame holds
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
        buffer.putShort(countOffset, (short)0xFFFF); // the count's null value, and far past the frame
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
        buffer.putShort(countOffset, (short)3);
        assertNull(FrameValidator.validate(buffer, OFFSET, length));

        buffer.putShort(groupHeader, (short)(AckBatchEncoder.EntriesEncoder.sbeBlockLength() - 1)); // entries cut
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
        buffer.putShort(groupHeader, (short)(AckBatchEncoder.EntriesEncoder.sbeBlockLength() + 4)); // 3 x 16 > 36
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
    }

    @Test
    void ackBatchWithLongerEntriesFromANewerClientValidates()
    {
        // Entries may grow fields at their end in a later version; the block length in the group header says so.
        final int entryLength = AckBatchEncoder.EntriesEncoder.sbeBlockLength() + 4;
        final int groupHeader = OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + AckBatchEncoder.BLOCK_LENGTH;
        final int length = groupHeader - OFFSET + AckBatchEncoder.EntriesEncoder.sbeHeaderSize() + 2 * entryLength;
        new AckBatchEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder).sessionId(1).consumerId(2);
        buffer.putShort(groupHeader, (short)entryLength);
        buffer.putShort(groupHeader + Short.BYTES, (short)2);
        assertNull(FrameValidator.validate(buffer, OFFSET, length));
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length - 1));
    }

    /** An AckBatch of session 1, consumer 2 with entries (10 + i)/(1 + i); returns its length after the header. */
    private int ackBatch(final int entries)
    {
        final AckBatchEncoder encoder = new AckBatchEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(1).consumerId(2);
        final AckBatchEncoder.EntriesEncoder group = encoder.entriesCount(entries);
        for (int i = 0; i < entries; i++)
        {
            group.next().sequence(10 + i).attempt(1 + i);
        }
        return encoder.encodedLength();
    }

    @Test
    void responsesRoundTrip()
    {
        int length = frame(e -> new ConnectedEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .correlationId(5).sessionId(6).encodedLength());
        final ConnectedDecoder connected = new ConnectedDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(5, connected.correlationId());
        assertEquals(6, connected.sessionId());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new ReceiptEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .correlationId(5).sequence(1_000_000_000_000L).epoch(7).encodedLength());
        final ReceiptDecoder receipt = new ReceiptDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(1_000_000_000_000L, receipt.sequence());
        assertEquals(7, receipt.epoch());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new SubscribedEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .correlationId(5).consumerId(8).encodedLength());
        assertEquals(8, new SubscribedDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder).consumerId());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new DeliverEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .consumerId(8).sequence(9).attempt(2).publishTimestampNs(11).producerId(12).producerSequence(13).requestId(0).priority(Priority.DEFAULT)
            .deadLetterReason(DeadLetterReason.MAX_ATTEMPTS).deadLetterAttempts(3)
            .putPayload(payload, 0, payload.length).sourceQueue("q").sourceGroup("g").putHeaders(payload, 0, 2)
            .messageId("id-1").encodedLength());
        final DeliverDecoder deliver = new DeliverDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(8, deliver.consumerId());
        assertEquals(9, deliver.sequence());
        assertEquals(2, deliver.attempt());
        assertEquals(11, deliver.publishTimestampNs());
        assertEquals(12, deliver.producerId());
        assertEquals(13, deliver.producerSequence());
        assertEquals(DeadLetterReason.MAX_ATTEMPTS, deliver.deadLetterReason());
        assertEquals(payload.length, deliver.payloadLength());
        assertRejectsEveryTruncation(length);

        length = frame(e -> new ErrorEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .correlationId(5).code(ErrorCode.STALE_DELIVERY).message("délivery 9/1 is stale").encodedLength());
        final ErrorDecoder error = new ErrorDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(ErrorCode.STALE_DELIVERY, error.code());
        assertEquals("délivery 9/1 is stale", error.message());
        assertRejectsEveryTruncation(length);
    }

    @Test
    void onlyClientCommandsMayComeFromClients()
    {
        for (final int template : new int[]{ConnectDecoder.TEMPLATE_ID, DisconnectDecoder.TEMPLATE_ID,
            PublishDecoder.TEMPLATE_ID, SubscribeDecoder.TEMPLATE_ID, AckDecoder.TEMPLATE_ID, NackDecoder.TEMPLATE_ID,
            io.ringmq.codecs.QueueAdminDecoder.TEMPLATE_ID, AckBatchDecoder.TEMPLATE_ID})
        {
            assertTrue(FrameValidator.isClientCommand(template), "client command " + template);
        }
        // The daemon's answers, and the commands only the daemon may journal (a client must not restart the node).
        for (final int template : new int[]{ConnectedDecoder.TEMPLATE_ID, ReceiptDecoder.TEMPLATE_ID,
            SubscribedDecoder.TEMPLATE_ID, DeliverDecoder.TEMPLATE_ID, ErrorDecoder.TEMPLATE_ID,
            NodeStartedDecoder.TEMPLATE_ID, io.ringmq.codecs.TickDecoder.TEMPLATE_ID,
            io.ringmq.codecs.TransportClosedDecoder.TEMPLATE_ID, io.ringmq.codecs.BrowsedDecoder.TEMPLATE_ID,
            io.ringmq.codecs.AdminDoneDecoder.TEMPLATE_ID})
        {
            assertFalse(FrameValidator.isClientCommand(template), "not from clients: " + template);
        }
    }

    @Test
    void garbledVarLengthIsMalformed()
    {
        final int length = frame(e -> new PublishEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(3).correlationId(77).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("q").putPayload(payload, 0, payload.length)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
        final int queueLengthOffset = OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.BLOCK_LENGTH;

        buffer.putInt(queueLengthOffset, 0x7FFF_FFF0);
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
        buffer.putInt(queueLengthOffset, -1);
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
    }

    /** A message id past the schema's 128 bytes, or a negative producer id, is a value the schema does not allow. */
    @Test
    void aMessageIdPastItsBoundOrANegativeProducerIdIsAnInvalidArgument()
    {
        final byte[] longest = new byte[128];
        final int length = frame(e -> new PublishEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(3).correlationId(77).producerId(5).producerSequence(1).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("q").putPayload(payload, 0, payload.length)
            .putHeaders(new byte[0], 0, 0).putMessageId(longest, 0, longest.length).replyTo("").encodedLength());
        assertEquals(null, FrameValidator.validate(buffer, OFFSET, length), "128 bytes are allowed");

        // The id, then the empty replyTo's 4-byte length, end the frame: one byte more of id moves that length on.
        final int replyToAt = OFFSET + length - Integer.BYTES;
        final int idLengthOffset = replyToAt - longest.length - Integer.BYTES;
        buffer.putInt(idLengthOffset, 129);
        buffer.putByte(replyToAt, (byte)'x');
        buffer.putInt(replyToAt + 1, 0);
        assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(buffer, OFFSET, length + 1));
        assertTrue(FrameValidator.invalidField(buffer, OFFSET, length + 1).contains("messageId at most 128"),
            FrameValidator.invalidField(buffer, OFFSET, length + 1));

        buffer.putInt(idLengthOffset, 128);
        buffer.putInt(replyToAt, 0);
        buffer.putLong(OFFSET + MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.producerIdEncodingOffset(), -5);
        assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(buffer, OFFSET, length));
        assertTrue(FrameValidator.invalidField(buffer, OFFSET, length).contains("Publish.producerId=-5"),
            FrameValidator.invalidField(buffer, OFFSET, length));
    }

    @Test
    void foreignSchemaNewerVersionAndUnknownTemplateAreRefused()
    {
        final int length = frame(e -> new DisconnectEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .sessionId(9).encodedLength());

        headerEncoder.wrap(buffer, OFFSET).schemaId(MessageHeaderEncoder.SCHEMA_ID + 1);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, FrameValidator.validate(buffer, OFFSET, length));

        headerEncoder.schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION + 1);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, FrameValidator.validate(buffer, OFFSET, length));

        headerEncoder.version(MessageHeaderEncoder.SCHEMA_VERSION).templateId(63);
        assertEquals(ErrorCode.UNKNOWN_TEMPLATE, FrameValidator.validate(buffer, OFFSET, length));
        headerEncoder.templateId(60_000);
        assertEquals(ErrorCode.UNKNOWN_TEMPLATE, FrameValidator.validate(buffer, OFFSET, length));

        headerEncoder.templateId(DisconnectEncoder.TEMPLATE_ID).blockLength(DisconnectEncoder.BLOCK_LENGTH - 1);
        assertEquals(ErrorCode.MALFORMED_FRAME, FrameValidator.validate(buffer, OFFSET, length));
    }

    @Test
    void randomBytesNeverPassAsAWholeFrameOrThrow()
    {
        final java.util.Random random = new java.util.Random(42);
        final List<ErrorCode> seen = new ArrayList<>();
        for (int i = 0; i < 10_000; i++)
        {
            final int length = random.nextInt(64);
            for (int j = 0; j < length; j++)
            {
                buffer.putByte(OFFSET + j, (byte)random.nextInt());
            }
            final ErrorCode code = FrameValidator.validate(buffer, OFFSET, length);
            if (code != null)
            {
                seen.add(code);
            }
        }
        // Random junk is almost never a valid frame of our schema; everything else gets a code, none throw.
        assertEquals(10_000, seen.size());
    }

    private int frame(final ToIntFunction<Void> encode)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encode.applyAsInt(null);
        assertNull(FrameValidator.validate(buffer, OFFSET, length), "whole frame must validate");
        return length;
    }

    private void assertRejectsEveryTruncation(final int length)
    {
        for (int cut = 0; cut < length; cut++)
        {
            assertNotNull(FrameValidator.validate(buffer, OFFSET, cut), "frame cut to " + cut + " of " + length);
        }
    }
}
