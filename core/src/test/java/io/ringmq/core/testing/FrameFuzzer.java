package io.ringmq.core.testing;

import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.DeclareGroupEncoder;
import io.ringmq.codecs.DeclareQueueEncoder;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ExtendEncoder;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.GrantEncoder;
import io.ringmq.codecs.UnsubscribeEncoder;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.QueryEncoder;
import io.ringmq.codecs.SeekEncoder;
import io.ringmq.codecs.StartPoint;
import io.ringmq.codecs.QueryKind;
import io.ringmq.codecs.QueueLimitsEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;
import io.ringmq.codecs.ReplyEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.MessageIds;
import io.ringmq.core.protocol.SchemaLayout;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Makes hostile frames the way an attacker or a broken client would: random bytes, a real header over random bytes,
 * and, most of the time, a well-formed command of a client template that is then mutated — an enum or ranged field
 * set to a value the schema does not allow (the {@link SchemaLayout} says where they are), any fixed field set to a
 * boundary value, bytes flipped, the frame cut short or run long, a length or count garbled, the header's version or
 * block length changed. Well-formed commands name sessions the caller chooses (so they reach deep into the state
 * machine) and a few queue and group names (so they meet each other's state).
 * <p>
 * Deterministic for a seed. Not thread-safe.
 */
public final class FrameFuzzer
{
    /** The templates a client may send, each built well-formed before it is mutated. */
    public static final int CLIENT_TEMPLATES = 13;
    private static final String[] QUEUES = {"fuzz.a", "fuzz.b", "fuzz.a.dlq", "fuzz.*", "", "fuzz.b.dlq"};
    private static final String[] GROUPS = {"g1", "g2", "", "g1.dlq"};
    /** Header filters: none, valid ones over the keys {@link #headers()} writes, and ones a declaration refuses. */
    private static final String[] FILTERS = {"", "", "a=x", "b?", "a^=x && c>=1", "a<", "&&", "=x", "b>>1"};
    private static final long[] BOUNDARIES = {0, 1, -1, 2, 127, 128, 255, 256, 65_535, 65_536, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, -128};

    private final Random random;
    private final LongSupplier sessionIds;
    private final String responseChannel;
    private final int responseStreamId;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final byte[] payload = new byte[512];
    private final ExpandableArrayBuffer headerBytes = new ExpandableArrayBuffer(256);

    /** A producer id or sequence: mostly a few values (so they repeat), now and then a boundary (some negative). */
    private long smallOrBoundary()
    {
        return random.nextInt(4) == 0 ? BOUNDARIES[random.nextInt(BOUNDARIES.length)] : small();
    }

    /**
     * Headers for a Publish: none, a few well-formed ones (keys that may repeat), or random bytes.
     *
     * @return their length in {@link #headerBytes}.
     */
    private int headers()
    {
        final int kind = random.nextInt(4);
        if (0 == kind)
        {
            return 0;
        }
        if (1 == kind)
        {
            final int length = random.nextInt(40);
            random.nextBytes(payload);
            headerBytes.putBytes(0, payload, 0, length);
            return length;
        }
        int position = 0;
        for (int i = 0, count = 1 + random.nextInt(3); i < count; i++)
        {
            position = HeadersLayout.put(headerBytes, position, new byte[]{(byte)('a' + random.nextInt(3))},
                (byte)random.nextInt(2), new UnsafeBuffer(payload), 0, random.nextInt(16));
        }
        return position;
    }

    /** Template of the last frame made: the one it was built as, before mutation (-1 for random bytes). */
    private int lastTemplate = -1;

    /**
     * @param sessionIds      the session id a session-bound command names (e.g. mostly the fuzzer's own).
     * @param responseChannel what a Connect asks the daemon to answer on.
     */
    public FrameFuzzer(
        final long seed, final LongSupplier sessionIds, final String responseChannel, final int responseStreamId)
    {
        this.random = new Random(seed);
        this.sessionIds = sessionIds;
        this.responseChannel = responseChannel;
        this.responseStreamId = responseStreamId;
    }

    /** The client template the last frame was built from, before mutation; -1 if it was random bytes. */
    public int lastTemplate()
    {
        return lastTemplate;
    }

    /**
     * Writes one hostile frame at {@code offset}; the buffer needs 1 KiB of room there.
     *
     * @param connectWeight out of 1,000: how often the frame is a (mutated) Connect, which opens sessions.
     * @return its length.
     */
    public int next(final MutableDirectBuffer buffer, final int offset, final int connectWeight)
    {
        final int kind = random.nextInt(100);
        if (kind < 5)
        {
            lastTemplate = -1;
            final int length = random.nextInt(64);
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(offset + i, (byte)random.nextInt());
            }
            return length;
        }
        final int template = random.nextInt(1_000) < connectWeight ? ConnectEncoder.TEMPLATE_ID : clientTemplate();
        lastTemplate = template;
        final int length = wellFormed(template, buffer, offset);
        if (kind < 10)
        {
            return length; // left whole: the fuzz also keeps the daemon busy with real work
        }
        return mutate(buffer, offset, length, template);
    }

    private int clientTemplate()
    {
        // Every client template but Connect, which the caller weights on its own.
        final int[] templates = {DisconnectEncoder.TEMPLATE_ID, PublishEncoder.TEMPLATE_ID,
            SubscribeEncoder.TEMPLATE_ID, AckEncoder.TEMPLATE_ID, AckBatchEncoder.TEMPLATE_ID,
            NackEncoder.TEMPLATE_ID, QueueAdminEncoder.TEMPLATE_ID, ExtendEncoder.TEMPLATE_ID,
            GrantEncoder.TEMPLATE_ID, DeclareQueueEncoder.TEMPLATE_ID, DeclareGroupEncoder.TEMPLATE_ID,
            ReplyEncoder.TEMPLATE_ID, UnsubscribeEncoder.TEMPLATE_ID, SeekEncoder.TEMPLATE_ID};
        // Disconnect rarely: it ends the session the other commands need.
        final int pick = random.nextInt(templates.length * 10 - 9);
        return pick < 1 ? templates[0] : templates[1 + (pick - 1) % (templates.length - 1)];
    }

    /** A whole, valid command of this client template, with plausible random values. */
    public int wellFormed(final int template, final MutableDirectBuffer buffer, final int offset)
    {
        final long session = sessionIds.getAsLong();
        final int bodyLength = switch (template)
        {
            case ConnectEncoder.TEMPLATE_ID -> new ConnectEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(random.nextLong()).responseStreamId(responseStreamId)
                .responseChannel(responseChannel).clientName("fuzz").encodedLength();
            case DisconnectEncoder.TEMPLATE_ID -> new DisconnectEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).releaseInFlight(random.nextBoolean() ? BooleanType.TRUE : BooleanType.FALSE)
                .encodedLength();
            case PublishEncoder.TEMPLATE_ID ->
            {
                random.nextBytes(payload);
                final int headersLength = headers();
                // Up to 2 bytes past the schema's bound on an id, now and then: refused for the value.
                final int idLength = random.nextInt(2) == 0 ? 0 : random.nextInt(MessageIds.MAX_LENGTH + 3);
                final int encodedIdLength = Math.min(idLength, MessageIds.MAX_LENGTH);
                // Now and then a request, answered to the session or to a queue (a bad name too).
                final boolean request = random.nextInt(4) == 0;
                final String replyTo = request && random.nextBoolean() ? pick(QUEUES) : "";
                final int length = new PublishEncoder().wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(session).correlationId(random.nextInt(1000))
                    .producerId(random.nextInt(3) == 0 ? 0 : smallOrBoundary())
                    .producerSequence(smallOrBoundary()).requestId(request ? 1 + random.nextInt(100) : 0)
                    .priority((short)(random.nextInt(8) == 0 ? 10 + random.nextInt(246) : random.nextInt(10)))
                    .delayMs(0).deliverAtMs(0).ttlMs(0)
                    .queue(pick(QUEUES))
                    .putPayload(payload, 0, random.nextInt(64))
                    .putHeaders(headerBytes, 0, headersLength)
                    .putMessageId(payload, 0, encodedIdLength)
                    .replyTo(replyTo).encodedLength();
                // The id, then the replyTo (its length and name), end the frame: the encoder refuses a longer id.
                final int replyToLength = replyTo.length();
                final int idAt = offset + MessageHeaderEncoder.ENCODED_LENGTH + length - Integer.BYTES -
                    replyToLength - encodedIdLength;
                buffer.putInt(idAt - Integer.BYTES, idLength, LITTLE_ENDIAN);
                buffer.putBytes(idAt, payload, 0, idLength);
                buffer.putInt(idAt + idLength, replyToLength, LITTLE_ENDIAN);
                buffer.putStringWithoutLengthAscii(idAt + idLength + Integer.BYTES, replyTo);
                yield length + idLength - encodedIdLength;
            }
            case SubscribeEncoder.TEMPLATE_ID -> new SubscribeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).correlationId(random.nextInt(1000)).prefetch(random.nextInt(4))
                .visibilityTimeoutMs(random.nextInt(3) * 1000L)
                .createQueue(random.nextInt(4) == 0 ? BooleanType.FALSE : BooleanType.TRUE)
                .queue(pick(QUEUES)).group(pick(GROUPS))
                .encodedLength();
            case ReplyEncoder.TEMPLATE_ID ->
            {
                random.nextBytes(payload);
                final int headersLength = headers();
                yield new ReplyEncoder().wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(session).consumerId(small()).sequence(small()).attempt(1 + random.nextInt(3))
                    .putPayload(payload, 0, random.nextInt(32)).putHeaders(headerBytes, 0, headersLength)
                    .encodedLength();
            }
            case AckEncoder.TEMPLATE_ID -> new AckEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).consumerId(small()).sequence(small()).attempt(1 + random.nextInt(3))
                .encodedLength();
            case AckBatchEncoder.TEMPLATE_ID ->
            {
                final AckBatchEncoder batch = new AckBatchEncoder().wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(session).consumerId(small());
                final int count = 1 + random.nextInt(4);
                final AckBatchEncoder.EntriesEncoder entries = batch.entriesCount(count);
                for (int i = 0; i < count; i++)
                {
                    entries.next().sequence(small()).attempt(1 + random.nextInt(3));
                }
                yield batch.encodedLength();
            }
            case NackEncoder.TEMPLATE_ID -> new NackEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).consumerId(small()).sequence(small()).attempt(1 + random.nextInt(3))
                .action(pick(NackAction.values(), NackAction.NULL_VAL)).delayMs(random.nextInt(2000))
                .encodedLength();
            case QueueAdminEncoder.TEMPLATE_ID -> new QueueAdminEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).correlationId(random.nextInt(1000))
                .action(pick(AdminAction.values(), AdminAction.NULL_VAL)).count(random.nextInt(5))
                .force(random.nextBoolean() ? BooleanType.TRUE : BooleanType.FALSE).queue(pick(QUEUES)).group(pick(GROUPS)).encodedLength();
            case ExtendEncoder.TEMPLATE_ID -> new ExtendEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).consumerId(small()).sequence(small()).attempt(1 + random.nextInt(3))
                .visibilityTimeoutMs(random.nextInt(5000)).encodedLength();
            case GrantEncoder.TEMPLATE_ID -> new GrantEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).consumerId(small()).credits(random.nextInt(10))
                .mode(random.nextBoolean() ? CreditMode.ADD : CreditMode.SET).encodedLength();
            case UnsubscribeEncoder.TEMPLATE_ID -> new UnsubscribeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).consumerId(small()).encodedLength();
            case DeclareQueueEncoder.TEMPLATE_ID ->
            {
                final DeclareQueueEncoder declare = new DeclareQueueEncoder().wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(session).correlationId(random.nextInt(1000));
                settings(declare.settings());
                limits(declare.limits());
                declare.retention().retainMs(random.nextInt(3) * 500L).retainBytes(random.nextInt(3) * 64L);
                declare.delayMs(random.nextInt(3) == 0 ? random.nextInt(100) : 0);
                yield declare.queue(pick(QUEUES)).encodedLength();
            }
            case DeclareGroupEncoder.TEMPLATE_ID -> new DeclareGroupEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).correlationId(random.nextInt(1000))
                .strategy(pick(DispatchStrategy.values(), DispatchStrategy.NULL_VAL))
                .start(pick(StartPoint.values(), StartPoint.NULL_VAL)).startValue(random.nextInt(5)).queue(pick(QUEUES))
                .group(pick(GROUPS)).deadLetterQueue(pick(QUEUES)).filter(pick(FILTERS)).encodedLength();
            case QueryEncoder.TEMPLATE_ID -> new QueryEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).correlationId(random.nextInt(1000))
                .kind(pick(QueryKind.values(), QueryKind.NULL_VAL)).count(random.nextInt(5))
                .name(pick(QUEUES)).encodedLength();
            case SeekEncoder.TEMPLATE_ID -> new SeekEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(session).correlationId(random.nextInt(1000))
                .to(pick(StartPoint.values(), StartPoint.NULL_VAL)).value(random.nextInt(5))
                .queue(pick(QUEUES)).group(pick(GROUPS)).encodedLength();
            default -> throw new IllegalArgumentException("not a client template: " + template);
        };
        return MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
    }

    private void settings(final QueueSettingsEncoder settings)
    {
        final BackoffKind backoff = pick(BackoffKind.values(), BackoffKind.NULL_VAL);
        final boolean delays = BackoffKind.FIXED == backoff || BackoffKind.EXPONENTIAL == backoff;
        settings.visibilityTimeoutMs(random.nextInt(3) * 1000L).maxAttempts(random.nextInt(4)).backoff(backoff)
            .strategy(pick(DispatchStrategy.values(), DispatchStrategy.NULL_VAL))
            .initialDelayMs(delays ? 1 + random.nextInt(100) : 0).maxDelayMs(delays ? 1000 : 0);
    }

    private void limits(final QueueLimitsEncoder limits)
    {
        limits.maxAgeMs(random.nextInt(3) * 1000L).maxMessages(random.nextInt(20)).maxBytes(random.nextInt(3) * 500L)
            .expiredAction(pick(LimitAction.values(), LimitAction.NULL_VAL))
            .overflowAction(pick(LimitAction.values(), LimitAction.NULL_VAL));
    }

    /** Damages a well-formed frame in one of several ways; returns its new length. */
    private int mutate(final MutableDirectBuffer buffer, final int offset, final int length, final int template)
    {
        final SchemaLayout.Message message = SchemaLayout.RINGMQ.message(template);
        final int blockOffset = offset + MessageHeaderEncoder.ENCODED_LENGTH;
        final List<SchemaLayout.Field> fields = message.fields();
        switch (random.nextInt(8))
        {
            case 0, 1 -> // an enum or ranged field out of what the schema allows, else any field at a boundary
            {
                final List<SchemaLayout.Field> restricted =
                    fields.stream().filter(SchemaLayout.Field::isRestricted).toList();
                final SchemaLayout.Field field = restricted.isEmpty() ? pick(fields) : pick(restricted);
                if (null != field)
                {
                    write(buffer, blockOffset + field.offset(), field.length(),
                        random.nextBoolean() ? random.nextLong() : BOUNDARIES[random.nextInt(BOUNDARIES.length)]);
                }
                return length;
            }
            case 2 -> // any fixed field at a boundary or random value
            {
                final SchemaLayout.Field field = pick(fields);
                if (null != field)
                {
                    write(buffer, blockOffset + field.offset(), field.length(), random.nextBoolean() ?
                        BOUNDARIES[random.nextInt(BOUNDARIES.length)] : random.nextLong());
                }
                return length;
            }
            case 3 -> // bytes flipped anywhere, header included
            {
                for (int i = 0, flips = 1 + random.nextInt(3); i < flips; i++)
                {
                    final int at = offset + random.nextInt(length);
                    buffer.putByte(at, (byte)(buffer.getByte(at) ^ (1 << random.nextInt(8))));
                }
                return length;
            }
            case 4 -> // cut short
            {
                return random.nextInt(length);
            }
            case 5 -> // run long, with junk after the end
            {
                final int extra = 1 + random.nextInt(32);
                for (int i = 0; i < extra; i++)
                {
                    buffer.putByte(offset + length + i, (byte)random.nextInt());
                }
                return length + extra;
            }
            case 6 -> // a var-data length or group count garbled (the first one after the block)
            {
                final int blockLength = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
                final int at = blockOffset + blockLength;
                if (at + 4 <= offset + length)
                {
                    buffer.putInt(at, random.nextBoolean() ? random.nextInt() :
                        (int)BOUNDARIES[random.nextInt(BOUNDARIES.length)], LITTLE_ENDIAN);
                }
                return length;
            }
            default -> // the header's block length or version changed
            {
                if (random.nextBoolean())
                {
                    buffer.putShort(offset, (short)(message.blockLength() + random.nextInt(9) - 4), LITTLE_ENDIAN);
                }
                else
                {
                    buffer.putShort(offset + 6, (short)random.nextInt(MessageHeaderEncoder.SCHEMA_VERSION + 2),
                        LITTLE_ENDIAN);
                }
                return length;
            }
        }
    }

    /** Writes the low {@code width} bytes of {@code value}, little-endian, as a field of that width. */
    public static void write(final MutableDirectBuffer buffer, final int index, final int width, final long value)
    {
        switch (width)
        {
            case 1 -> buffer.putByte(index, (byte)value);
            case 2 -> buffer.putShort(index, (short)value, LITTLE_ENDIAN);
            case 4 -> buffer.putInt(index, (int)value, LITTLE_ENDIAN);
            default -> buffer.putLong(index, value, LITTLE_ENDIAN);
        }
    }

    private long small()
    {
        return random.nextInt(8);
    }

    private <T> T pick(final T[] values)
    {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(final List<T> values)
    {
        return values.isEmpty() ? null : values.get(random.nextInt(values.size()));
    }

    /** A valid value of an SBE enum (never its null value). */
    private <E> E pick(final E[] values, final E nullValue)
    {
        E value;
        do
        {
            value = values[random.nextInt(values.length)];
        }
        while (value == nullValue);
        return value;
    }
}
