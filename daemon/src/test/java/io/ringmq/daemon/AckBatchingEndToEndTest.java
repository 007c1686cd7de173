package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acks made during a poll reach the daemon as one AckBatch per consumer (up to the batch limit), which the journal
 * shows as one record; acks made outside a poll go one frame each. Either way every ack is applied.
 */
class AckBatchingEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int MESSAGES = 1001;
    private static final int BATCH_LIMIT = 100;

    @TempDir
    Path tempDir;

    private Daemon daemon;
    private RingmqClient client;

    @AfterEach
    void closeAll()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != daemon)
        {
            daemon.close();
        }
    }

    @Test
    void acksMadeInOneHandlerCallGoAsFullBatchesThenAPlainAck()
    {
        final RingmqConfig config = start();
        final LongArrayList sequences = new LongArrayList();
        final IntArrayList attempts = new IntArrayList();
        final QueueConsumer[] consumer = {null};
        // Prefetch 0: nothing comes before the grant, so the handler always has its consumer.
        consumer[0] = client.consumer("jobs", "workers", 0, (d) ->
        {
            sequences.addLong(d.sequence());
            attempts.addInt(d.attempt());
            if (sequences.size() == MESSAGES) // the last delivery's handler acks everything delivered
            {
                for (int i = 0; i < MESSAGES; i++)
                {
                    consumer[0].ack(sequences.getLong(i), attempts.getInt(i));
                }
            }
        });
        consumer[0].grant(MESSAGES);
        pollUntil(client, () -> sequences.size() == MESSAGES, TIMEOUT_MS, "every delivery");
        assertEquals(0, retained("jobs"), "every ack applied");

        final SettleRecords records = closeAndReadJournal(config);
        assertEquals(MESSAGES / BATCH_LIMIT, records.batches, "a batch each time " + BATCH_LIMIT + " were waiting");
        assertEquals(MESSAGES - MESSAGES % BATCH_LIMIT, records.batchEntries);
        assertEquals(MESSAGES % BATCH_LIMIT, records.acks, "the one left when the poll returned, as a plain Ack");
    }

    @Test
    void acksMadeOutsideAPollGoOneFrameEach()
    {
        final RingmqConfig config = start();
        final LongArrayList sequences = new LongArrayList();
        final IntArrayList attempts = new IntArrayList();
        final QueueConsumer consumer = client.consumer("jobs", "workers", MESSAGES, (d) ->
        {
            sequences.addLong(d.sequence());
            attempts.addInt(d.attempt());
        });
        pollUntil(client, () -> sequences.size() == MESSAGES, TIMEOUT_MS, "every delivery");
        for (int i = 0; i < MESSAGES; i++)
        {
            consumer.ack(sequences.getLong(i), attempts.getInt(i));
        }
        assertEquals(0, retained("jobs"), "every ack applied");

        final SettleRecords records = closeAndReadJournal(config);
        assertEquals(MESSAGES, records.acks);
        assertEquals(0, records.batches);
    }

    @Test
    void aNackNeverOvertakesTheAcksBeforeIt()
    {
        start();
        final List<String> seen = new ArrayList<>();
        // Prefetch 2: 1 and 2 are delivered. The handler acks 1 (collected) and then nacks 2 (sent at once, so the
        // collected ack must go first). In that order the ack's room brings 3 before the nack brings 2 back.
        client.consumer("jobs", "workers", 2, (d) ->
        {
            seen.add(d.sequence() + "/" + d.attempt());
            if (1 == d.sequence())
            {
                d.ack();
            }
            else if (2 == d.sequence() && 1 == d.attempt())
            {
                d.nack();
            }
            else
            {
                d.ack();
            }
        });
        pollUntil(client, () -> seen.size() >= 4, TIMEOUT_MS, "four deliveries");
        assertEquals(List.of("1/1", "2/1", "3/1", "2/2"), seen.subList(0, 4));
    }

    /** A daemon with snapshots off (the journal keeps every record), a client, and the messages in queue "jobs". */
    private RingmqConfig start()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.snapshot.every.commands", "0", "ringmq.snapshot.interval", "0"));
        daemon = Daemon.launch(new DaemonContext().settings(config));
        client = TestDaemons.connect(config, new ClientContext().ackBatchLimit(BATCH_LIMIT));
        final int[] receipts = {0};
        final Publisher publisher = client.publisher("jobs", new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                receipts[0]++;
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                throw new AssertionError(code + " " + message);
            }
        });
        for (int i = 1; i <= MESSAGES; i++)
        {
            publisher.publish("m" + i);
        }
        pollUntil(client, () -> receipts[0] == MESSAGES, TIMEOUT_MS, "every receipt");
        return config;
    }

    private long retained(final String queue)
    {
        return client.browse(queue, "", 0, (m) -> {});
    }

    private SettleRecords closeAndReadJournal(final RingmqConfig config)
    {
        client.close();
        client = null;
        daemon.close();
        daemon = null;
        final SettleRecords records = new SettleRecords();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AckBatchDecoder batch = new AckBatchDecoder();
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            final int frame = offset + CommandHeader.LENGTH;
            switch (FrameValidator.templateId(buffer, frame))
            {
                case AckDecoder.TEMPLATE_ID -> records.acks++;
                case AckBatchDecoder.TEMPLATE_ID ->
                {
                    records.batches++;
                    records.batchEntries += batch.wrapAndApplyHeader(buffer, frame, header).entries().count();
                }
                default ->
                {
                }
            }
        });
        return records;
    }

    private static final class SettleRecords
    {
        long acks;
        long batches;
        long batchEntries;
    }
}
