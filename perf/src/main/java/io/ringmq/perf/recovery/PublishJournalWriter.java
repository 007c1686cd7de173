package io.ringmq.perf.recovery;

import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
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
 */
final class PublishJournalWriter
{
    static final String QUEUE = "recovery";
    private static final long START_NS = 1_800_000_000_000_000_000L;
    private static final int TRANSPORT_SESSION = 42;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private long logSequence;

    /** @return the number of records written (the publishes plus two). */
    long write(final Path journalDir, final String rollCycle, final long commands, final int payloadBytes)
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
                .encodedLength());
            append(journal, MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
                .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                .correlationId(1)
                .responseStreamId(2001)
                .responseChannel("aeron:ipc")
                .clientName("recovery-benchmark")
                .encodedLength());
            final long sessionId = 1; // the first session a fresh state machine opens
            for (long i = 1; i <= commands; i++)
            {
                append(journal, MessageHeaderEncoder.ENCODED_LENGTH + publish
                    .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
                    .sessionId(sessionId)
                    .correlationId(i)
                    .queue(QUEUE)
                    .putPayload(payload, 0, payload.length)
                    .encodedLength());
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
