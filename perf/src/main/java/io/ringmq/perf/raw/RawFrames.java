package io.ringmq.perf.raw;

/**
 * The raw pipeline's frames, the least a broker needs (native byte order, one process):
 * <pre>
 *  ingress   (producer, consumer → broker):  | type (i32) | body ...                          |
 *            PUBLISH body = the payload;      ACK body = message number (i64)
 *  receipt   (broker → producer):             | message number (i64) |
 *  delivery  (broker → consumer):             | payload ...          |
 * </pre>
 */
final class RawFrames
{
    static final int TYPE_OFFSET = 0;
    static final int BODY_OFFSET = 4;
    static final int PUBLISH = 1;
    static final int ACK = 2;

    static final int INGRESS_STREAM_ID = 10;
    static final int RECEIPT_STREAM_ID = 11;
    static final int DELIVERY_STREAM_ID = 12;
    static final String CHANNEL = "aeron:ipc";

    private RawFrames()
    {
    }
}
