package io.ringmq.daemon;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.CommandSetAsideDecoder;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journaled command the state machine throws on (a bug, or a frame journaled before the ingress refused its kind)
 * would throw again at every start: start-up stops naming its log sequence, and {@code daemon --repair} sets it
 * aside, keeping the journal as it was beside the repaired one, after which the daemon starts with every other
 * command applied, those after it included.
 */
class UnappliableCommandRecoveryTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @Test
    void startUpStopsAtTheCommandAndRepairSetsItAside() throws IOException
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.snapshot.interval", "0"));
        final long session;
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = TestDaemons.connect(config))
        {
            client.publisher("q").publishAndWait("before");
            session = client.sessionId();
        }
        // As if a client of the same run had gone on: it connects again (the next session id) and publishes twice.
        final Path journalDirectory = Daemon.journalDirectory(config);
        final long poison;
        try (ChronicleJournal journal =
            ChronicleJournal.open(journalDirectory, config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            poison = journal.lastLogSequence() + 2;
            append(journal, poison - 1, connect());
            append(journal, poison, publishWithAQueueNameLongerThanItsFrame(session + 1));
            append(journal, poison + 1, publish(session + 1, "after"));
        }

        final DaemonContext ctx = new DaemonContext().settings(config);
        final UnappliableCommandException refused =
            assertThrows(UnappliableCommandException.class, () -> Daemon.launch(ctx).close());
        assertEquals(poison, refused.logSequence());
        assertTrue(refused.getMessage().contains("log sequence " + poison + " (Publish, "), refused.getMessage());
        assertTrue(refused.getMessage().contains("--repair"), refused.getMessage());

        final SetAsideRepair.Outcome repaired = SetAsideRepair.repair(config);
        assertEquals(List.of(poison), List.copyOf(repaired.setAside().keySet()), repaired.describe());
        assertTrue(Files.isDirectory(repaired.movedAside()), repaired.describe());
        assertTrue(repaired.movedAside().getFileName().toString().startsWith("journal.set-aside-"));
        assertEquals(poison, lastLogSequenceOf(repaired.movedAside(), config) - 1, "the old journal kept whole");

        final List<Integer> templates = new ArrayList<>();
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            if (CommandHeader.logSequence(buffer, offset) == poison)
            {
                templates.add(FrameValidator.templateId(buffer, offset + CommandHeader.LENGTH));
            }
        });
        assertEquals(List.of(CommandSetAsideDecoder.TEMPLATE_ID), templates, "the command's place in the journal");

        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = TestDaemons.connect(config))
        {
            final List<String> payloads = new ArrayList<>();
            client.consumer("q", "g", 10, 0, (delivery) ->
            {
                payloads.add(delivery.payloadAsString());
                delivery.ack();
            });
            pollUntil(client, () -> payloads.size() == 2, TIMEOUT_MS, "both good publishes");
            assertEquals(List.of("before", "after"), payloads);
        }
        assertNull(SetAsideRepair.repair(config).movedAside(), "a journal that replays is left alone");
    }

    /** Structurally broken: its queue name's length runs past the end of the record, so decoding it throws. */
    private static byte[] publishWithAQueueNameLongerThanItsFrame(final long session)
    {
        final byte[] frame = publish(session, "poison");
        final int queueLengthOffset = MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.BLOCK_LENGTH;
        new UnsafeBuffer(frame).putInt(queueLengthOffset, 1 << 20, ByteOrder.LITTLE_ENDIAN);
        return frame;
    }

    private static byte[] connect()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);
        return bytes(buffer, new ConnectEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(1).responseStreamId(2001).responseChannel("aeron:ipc").clientName("test").encodedLength());
    }

    private static byte[] publish(final long session, final String payload)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);
        final byte[] text = payload.getBytes(StandardCharsets.UTF_8);
        return bytes(buffer, new PublishEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .sessionId(session).correlationId(2).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("q").putPayload(text, 0, text.length).putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
    }

    private static byte[] bytes(final ExpandableArrayBuffer buffer, final int bodyLength)
    {
        final byte[] frame = new byte[MessageHeaderEncoder.ENCODED_LENGTH + bodyLength];
        buffer.getBytes(0, frame);
        return frame;
    }

    private static void append(final ChronicleJournal journal, final long logSequence, final byte[] frame)
    {
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(CommandHeader.LENGTH + frame.length);
        CommandHeader.write(record, 0, logSequence, System.currentTimeMillis() * 1_000_000L, 0);
        record.putBytes(CommandHeader.LENGTH, frame);
        journal.append(record, 0, CommandHeader.LENGTH + frame.length);
        journal.sync();
    }

    private static long lastLogSequenceOf(final Path journalDirectory, final RingmqConfig config) throws IOException
    {
        try (Stream<Path> files = Files.list(journalDirectory);
            ChronicleJournal journal =
                ChronicleJournal.open(journalDirectory, config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            assertTrue(files.findAny().isPresent());
            return journal.lastLogSequence();
        }
    }
}
