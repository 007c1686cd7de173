package io.ringmq.perf.recovery;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes the journal a daemon would have after one client connected and published {@code commands} messages of a
 * fixed payload to one queue: NodeStarted, Connect, then the publishes, with log sequences and timestamps as the
 * ingress stamps them. Appended with fsync NONE (the page cache), one sync at the end.
 * <p>
 * With {@code consumed}, the same client also consumes: it subscribes first and acks each message right after
 * publishing it, so {@code commands} is half publishes, half acks, and the queue holds almost nothing at the end (a
 * steady-state broker's journal, where a snapshot is small however long the journal grows).
 */
final class PublishJournalWriter
{
    static final String QUEUE = "recovery";
    private static final long START_NS = 1_800_000_000_000_000_000L;
    private static final int TRANSPORT_SESSION = 42;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private final AckEncoder ack = new AckEncoder();
    private long logSequence;

    /** @return the number of records written (the publishes plus two). */
    long write(
        final Path journalDir, final String rollCycle, final long commands, final int payloadBytes, final boolean consumed)
    {
        final byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, rollCycle, FsyncPolicy.NONE))
        {
            append(journal, MessageHeaderEncoder.ENCODED_LENGTH + new NodeStartedEncoder()
                .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                .startTimestampNs(START_NS)
                .defaultVisibilityTimeoutMs(30_000)
                .defaultMaxAttempts(5)
                .maxSessions(0) // no bounds: the benchmark's backlog is as large as it asks for
                .maxQueues(0)
                .maxConsumersPerSession(0)
                .defaultMaxQueueBytes(0)
                .dedupWindowMs(0) // publishes without producers or ids: nothing to remember
                .maxDedupProducers(0)
                .dedupIdWindowMs(0)
                .maxDedupIds(0)
                .encodedLength());
            append(journal, MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
                .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                .correlationId(1)
                .responseStreamId(2001)
                .responseChannel("aeron:ipc")
                .clientName("recovery-benchmark")
                .encodedLength());
            final long sessionId = 1; // the first session a fresh state machine opens
            final long consumerId = 1; // and its first consumer
            if (consumed)
            {
                append(journal, MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
                    .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                    .sessionId(sessionId)
                    .correlationId(0)
                    .prefetch(1024)
                    .visibilityTimeoutMs(0)
                    .createQueue(BooleanType.TRUE)
                    .queue(QUEUE)
                    .group("consumers")
                    .encodedLength());
            }
            long sequence = 0;
            for (long i = 1; i <= commands; i++)
            {
                if (consumed && 0 == (i & 1))
                {
                    append(journal, MessageHeaderEncoder.ENCODED_LENGTH + ack
                        .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                        .sessionId(sessionId)
                        .consumerId(consumerId)
                        .sequence(sequence)
                        .attempt(1)
                        .encodedLength());
                    continue;
                }
                sequence++;
                append(journal, MessageHeaderEncoder.ENCODED_LENGTH + publish
                    .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                    .sessionId(sessionId)
                    .correlationId(i)
                    .producerId(0)
                    .producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
                    .queue(QUEUE)
                    .putPayload(payload, 0, payload.length)
                    .putHeaders(payload, 0, 0)
                    .putMessageId(payload, 0, 0)
                    .replyTo("").encodedLength());
            }
            journal.sync();
        }
        return logSequence;
    }

    private void append(final ChronicleJournal journal, final int frameLength)
    {
        logSequence++;
        CommandHeader.write(buffer, 0, logSequence, START_NS + logSequence * 1_000, TRANSPORT_SESSION);
        journal.append(buffer, 0, CommandHeader.LENGTH + frameLength);
    }
}
