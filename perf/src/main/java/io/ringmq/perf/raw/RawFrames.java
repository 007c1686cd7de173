package io.ringmq.perf.raw;

/**
 * The raw pipeline's frames, the least a broker needs (native byte order, one process):
 * <pre>
 *  ingress   (producers, consumers → broker, one stream):  | type (i32) | source (i32) | body ...            |
 *            PUBLISH: source = producer index, body = the payload
 *            ACK:     source = consumer index, body = the sequence acked (i64)
 *  receipt   (broker → producer i, stream RECEIPT_STREAM_ID + i):  | message number (i64) | sequence (i64) |
 *  delivery  (broker → consumer j, stream DELIVERY_STREAM_ID + j): | sequence (i64) | payload ...         |
 * </pre>
 * The broker numbers publishes in the order it journals them (the sequence, from 1) and sends sequence s to
 * consumer {@code (s - 1) % consumers}.
 */
final class RawFrames
{
    static final int TYPE_OFFSET = 0;
    static final int SOURCE_OFFSET = 4;
    static final int BODY_OFFSET = 8;
    static final int PUBLISH = 1;
    static final int ACK = 2;

    static final int RECEIPT_LENGTH = 2 * Long.BYTES;
    static final int RECEIPT_NUMBER_OFFSET = 0;
    static final int RECEIPT_SEQUENCE_OFFSET = Long.BYTES;
    static final int DELIVERY_SEQUENCE_OFFSET = 0;
    static final int DELIVERY_PAYLOAD_OFFSET = Long.BYTES;

    static final int INGRESS_STREAM_ID = 10;
    static final int RECEIPT_STREAM_ID = 1000;
    static final int DELIVERY_STREAM_ID = 2000;
    static final String CHANNEL = "aeron:ipc";

    private RawFrames()
    {
    }
}
