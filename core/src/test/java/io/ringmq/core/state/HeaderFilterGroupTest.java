package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groups declared with a header filter (schema version 9): a group gets only the messages its filter matches and
 * settles the others at once, counted as filtered; a message every group refused leaves like an acked one.
 */
class HeaderFilterGroupTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void aFilteredGroupGetsOnlyMatchingMessagesAndAnUnfilteredOneGetsEverything()
    {
        commands.declareGroupWithFilter(1, 2, "orders", "eu", "region=eu && price>=100");
        commands.declareGroup(1, 3, "orders", "all", DispatchStrategy.DEFAULT, "");
        commands.subscribe(1, 4, "orders", "eu", 10);
        commands.subscribe(1, 5, "orders", "all", 10);
        sink.drain();

        publish(10, "big-eu", "region", "eu", "price", "150");
        publish(11, "small-eu", "region", "eu", "price", "99.5");
        publish(12, "big-us", "region", "us", "price", "500");
        publish(13, "no-price", "region", "eu");

        final List<String> out = sink.drain();
        assertEquals(1, out.stream().filter((line) -> line.contains("consumer=1 ")).count(), out.toString());
        assertTrue(out.stream().anyMatch((line) -> line.contains("consumer=1 seq=1 ")), out.toString());
        assertEquals(4, out.stream().filter((line) -> line.contains("consumer=2 ")).count(), out.toString());
        assertEquals(3, stateMachine.filtered("orders", "eu"));
        assertEquals(0, stateMachine.filtered("orders", "all"));
        assertEquals(4, stateMachine.depth("orders"), "the unfiltered group has all four in flight");
    }

    @Test
    void aMessageEveryGroupRefusedLeavesTheQueueAsIfAcked()
    {
        commands.declareGroupWithFilter(1, 2, "orders", "eu", "region=eu");
        commands.declareGroupWithFilter(1, 3, "orders", "vip", "tier?");
        sink.drain();

        publish(10, "us", "region", "us");
        publish(11, "eu", "region", "eu");

        assertEquals(List.of("receipt session=1 corr=10 seq=1", "receipt session=1 corr=11 seq=2"), sink.drain());
        assertEquals(1, stateMachine.depth("orders"), "seq 1 was settled by both groups: gone; seq 2 waits for eu");
        assertEquals(1, stateMachine.filtered("orders", "eu"));
        assertEquals(2, stateMachine.filtered("orders", "vip"));
    }

    @Test
    void aFilteredGroupMadeLaterSettlesWhatItRefusesOfWhatTheQueueHolds()
    {
        publish(10, "us", "region", "us");
        publish(11, "eu", "region", "eu");
        commands.declareGroupWithFilter(1, 12, "orders", "eu", "region^=e");
        commands.subscribe(1, 13, "orders", "eu", 10);

        assertEquals(List.of("receipt session=1 corr=10 seq=1", "receipt session=1 corr=11 seq=2",
            "done session=1 corr=12 count=1", "subscribed session=1 corr=13 consumer=1",
            "deliver session=1 consumer=1 seq=2 attempt=1 headers=[region=eu] payload=eu"), sink.drain());
        assertEquals(1, stateMachine.filtered("orders", "eu"));
        assertEquals(1, stateMachine.depth("orders"), "no group wants seq 1: the queue kept it for a first group");
    }

    @Test
    void aDeclarationWithTheSameFilterIsConfirmedAnotherIsAConflictAndABadOneIsRefused()
    {
        commands.declareGroupWithFilter(1, 2, "orders", "eu", "region = eu&&price>=100");
        commands.declareGroupWithFilter(1, 3, "orders", "eu", "region=eu && price>=100");
        commands.declareGroup(1, 4, "orders", "eu", DispatchStrategy.DEFAULT, "");
        commands.declareGroupWithFilter(1, 5, "orders", "eu", "region=us");
        commands.declareGroupWithFilter(1, 6, "other", "g", "price>>1");

        assertEquals(List.of("done session=1 corr=2 count=1", "done session=1 corr=3 count=0",
            "done session=1 corr=4 count=0", "error session=1 corr=5 " + ErrorCode.SETTINGS_CONFLICT,
            "error session=1 corr=6 " + ErrorCode.INVALID_FILTER), sink.drain());
        assertEquals(-1, stateMachine.depth("other"), "a refused declaration creates nothing");
    }

    @Test
    void filtersAndFilteredCountsSurviveReplayAndSnapshots()
    {
        commands.declareGroupWithFilter(1, 2, "orders", "eu", "region=eu");
        publish(10, "us", "region", "us");
        publish(11, "eu", "region", "eu");

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(
            snapshot, 0, stateMachine.writeSnapshot(snapshot, 0), new RecordingSink());
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertTrue(restored.describeState().contains("filter=region=eu filtered=1"), restored.describeState());

        final RecordingSink restoredSink = new RecordingSink();
        restored.outputSink(restoredSink);
        final Commands after = new Commands(restored);
        after.connect(2, "aeron:ipc", 2001);
        after.publish(2, 20, "orders", "plain");
        assertEquals(2, restored.filtered("orders", "eu"), "the restored filter still refuses a message without it");
    }

    /** A DeclareGroup as a version 8 client sent it (a journal holds it): no filter, so every message. */
    @Test
    void aVersion8DeclarationHasNoFilter()
    {
        commands.declareGroupAsVersion(8, 1, 2, "orders", "g", DispatchStrategy.DEFAULT, "");
        publish(10, "us", "region", "us");
        commands.subscribe(1, 11, "orders", "g", 10);

        assertTrue(sink.drain().contains("deliver session=1 consumer=1 seq=1 attempt=1 headers=[region=us] payload=us"));
        assertEquals(0, stateMachine.filtered("orders", "g"));
    }

    /**
     * A format 8 snapshot, written by the build before filters (fq holds m1-m4 with region and price headers; g1 acked
     * m1 and has m2 and m3 to redeliver, its session closed; g2 has had nothing): no group filters, nothing is
     * filtered, and a filtered group declared after the restore refuses what it does not match.
     */
    @Test
    void aFormat8SnapshotRestoresGroupsWithoutFilters() throws IOException
    {
        final byte[] format8 = resource("format8-headers-two-groups.snapshot");
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(new UnsafeBuffer(format8), 0, format8.length, sink);
        assertEquals(4, restored.depth("fq"));
        assertEquals(0, restored.filtered("fq", "g1"));
        assertTrue(restored.describeState().contains("defaultDelayMs=0"));
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer();
        assertEquals(restored.describeState(), QueueStateMachine.fromSnapshot(again, 0,
            restored.writeSnapshot(again, 0), new RecordingSink()).describeState(),
            "written again in the current format, it restores the same state");

        final Commands restoredCommands = new Commands(restored);
        restoredCommands.connect(1, "aeron:ipc", 2001);
        restoredCommands.declareGroupWithFilter(2, 30, "fq", "cheap", "price<=100");
        restoredCommands.subscribe(2, 31, "fq", "cheap", 10);

        final List<String> out = sink.drain();
        assertTrue(out.contains("deliver session=2 consumer=2 seq=1 attempt=1 headers=[region=eu, price=50] payload=m1"),
            out.toString());
        assertTrue(out.contains("deliver session=2 consumer=2 seq=2 attempt=1 headers=[region=us, price=100] payload=m2"),
            out.toString());
        assertEquals(2, restored.filtered("fq", "cheap"), "m3 (150) and m4 (200)");
    }

    private void publish(final long correlationId, final String payload, final String... keysAndValues)
    {
        final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(64);
        int length = 0;
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            final byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
            length = HeadersLayout.put(headers, length, keysAndValues[i].getBytes(StandardCharsets.UTF_8),
                HeadersLayout.TEXT, new UnsafeBuffer(value), 0, value.length);
        }
        commands.publish(1, correlationId, "orders", payload, 0, 0, Arrays.copyOf(headers.byteArray(), length), "");
    }

    private static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = HeaderFilterGroupTest.class.getResourceAsStream(name))
        {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
