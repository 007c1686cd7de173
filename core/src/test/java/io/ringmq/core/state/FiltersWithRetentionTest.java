package io.ringmq.core.state;

import io.ringmq.codecs.StartPoint;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two halves of schema version 9 together: header filters and a queue's default delay (delivery control) with
 * retention, seek and start points. A seek never gives a group what its filter refuses and counts nothing again; a
 * message every group refused is consumed, so a retaining queue keeps it; a held message stays held when kept.
 */
class FiltersWithRetentionTest
{
    private static final QueuePolicy UNSET = QueuePolicy.UNSET;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void aRetainingQueue()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        commands.declareQueue(1, 2, "orders", UNSET, 60_000, 0);
        sink.drain();
    }

    @Test
    void aSeekBackNeverDeliversWhatTheFilterRefusesAndCountsNothingAgain()
    {
        commands.declareGroupWithFilter(1, 3, "orders", "eu", "region=eu");
        commands.subscribe(1, 4, "orders", "eu", 10); // consumer 1
        publish("orders", 10, "eu-1", "region", "eu");
        publish("orders", 11, "us", "region", "us");
        publish("orders", 12, "eu-2", "region", "eu");
        commands.ack(1, 1, 1, 1);
        commands.ack(1, 1, 3, 1);
        sink.drain();
        assertEquals(1, stateMachine.filtered("orders", "eu"));
        assertEquals(3, stateMachine.depth("orders"), "all three consumed (us by the filter alone) and kept");

        commands.seek(1, 20, "orders", "eu", StartPoint.OLDEST, 0);

        assertEquals(List.of(
            "done session=1 corr=20 count=2",
            "deliver session=1 consumer=1 seq=1 attempt=1 headers=[region=eu] payload=eu-1",
            "deliver session=1 consumer=1 seq=3 attempt=1 headers=[region=eu] payload=eu-2"), sink.drain());
        assertEquals(1, stateMachine.filtered("orders", "eu"), "counted once, when it entered the queue");
        assertEquals(3, stateMachine.depth("orders"));
    }

    @Test
    void aMessageEveryGroupRefusedIsKeptForAGroupDeclaredLater()
    {
        commands.declareGroupWithFilter(1, 3, "orders", "eu", "region=eu");
        publish("orders", 10, "us", "region", "us");
        assertEquals(1, stateMachine.depth("orders"), "refused by the only group: consumed, and kept");

        commands.declareGroupStartingAt(1, 11, "orders", "audit", StartPoint.OLDEST, 0);
        commands.subscribe(1, 12, "orders", "audit", 10);

        assertEquals(List.of(
            "done session=1 corr=3 count=1",
            "receipt session=1 corr=10 seq=1",
            "done session=1 corr=11 count=1",
            "subscribed session=1 corr=12 consumer=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 headers=[region=us] payload=us"), sink.drain());
        assertEquals(1, stateMachine.filtered("orders", "eu"));
    }

    @Test
    void aFilteredGroupCountsOnlyWhatItRefusesFromItsStartOn()
    {
        publish("orders", 10, "us-before", "region", "us"); // held for a first group
        publish("orders", 11, "eu-before", "region", "eu");

        commands.declareGroupStartingAt(1, 12, "orders", "eu", StartPoint.NEWEST, 0, "region=eu");
        assertEquals(0, stateMachine.filtered("orders", "eu"), "both are before its start: not its to refuse");

        commands.declareGroupStartingAt(1, 13, "orders", "eu-all", StartPoint.OLDEST, 0, "region=eu");
        assertEquals(1, stateMachine.filtered("orders", "eu-all"), "us-before is in its range and refused");

        publish("orders", 14, "us-after", "region", "us");
        assertEquals(1, stateMachine.filtered("orders", "eu"));
        assertEquals(2, stateMachine.filtered("orders", "eu-all"));
    }

    @Test
    void aKeptMessageHeldByTheQueueDefaultDelayIsDeliveredOnlyOnceItsTimeComes()
    {
        commands.declareQueue(1, 3, "later", UNSET, 60_000, 0, 1_000);
        commands.declareGroupWithFilter(1, 4, "later", "eu", "region=eu");
        publish("later", 10, "us", "region", "us"); // refused by the only group: kept, and still held
        commands.declareGroupStartingAt(1, 11, "later", "audit", StartPoint.OLDEST, 0);
        commands.subscribe(1, 12, "later", "audit", 10);
        assertEquals(List.of(
            "done session=1 corr=3 count=1", "done session=1 corr=4 count=1", "receipt session=1 corr=10 seq=1",
            "done session=1 corr=11 count=1", "subscribed session=1 corr=12 consumer=1"), sink.drain());

        commands.tickAfterMs(999);
        assertEquals(List.of(), sink.drain());
        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 headers=[region=us] payload=us"),
            sink.drain());
    }

    private void publish(final String queue, final long correlationId, final String payload, final String... pairs)
    {
        final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(64);
        int length = 0;
        for (int i = 0; i < pairs.length; i += 2)
        {
            final byte[] value = pairs[i + 1].getBytes(StandardCharsets.UTF_8);
            length = HeadersLayout.put(headers, length, pairs[i].getBytes(StandardCharsets.UTF_8),
                HeadersLayout.TEXT, new UnsafeBuffer(value), 0, value.length);
        }
        commands.publish(1, correlationId, queue, payload, 0, 0, Arrays.copyOf(headers.byteArray(), length), "");
    }
}
