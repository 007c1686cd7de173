package io.ringmq.daemon;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.ringmq.client.ClientContext;
import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3, through the client and a real daemon: a client past each bound gets its own error code, and the
 * daemon goes on serving the others. Before, every one of these was taken: sessions, queues and consumers without end,
 * any term-length (768 MB of publication for one Connect), any UDP host as the destination of the daemon's responses,
 * Connects at any rate.
 */
class ClientLimitsEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @RegisterExtension
    final Closer closer = new Closer();

    private final SteppedClock clock = new SteppedClock();
    private RingmqConfig config;
    private Daemon daemon;

    private RingmqClient start(final Map<String, String> settings)
    {
        config = TestDaemons.config(tempDir, settings);
        daemon = closer.track(Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock)));
        return connect(new ClientContext());
    }

    private RingmqClient connect(final ClientContext ctx)
    {
        return closer.track(TestDaemons.connect(config, ctx));
    }

    private static RingmqException refused(final ErrorCode code, final Runnable attempt)
    {
        final RingmqException refused = assertThrows(RingmqException.class, attempt::run);
        assertEquals(code, refused.code(), refused.getMessage());
        return refused;
    }

    @Test
    void aConnectPastMaxSessionsIsRefusedAndAnotherIsTakenOnceOneHasClosed()
    {
        final RingmqClient first = start(Map.of("ringmq.max.sessions", "2"));
        final RingmqClient second = connect(new ClientContext());

        final RingmqException refusal =
            refused(ErrorCode.TOO_MANY_SESSIONS, () -> connect(new ClientContext()));
        assertTrue(refusal.getMessage().contains("ringmq.max.sessions"), refusal.getMessage());
        assertEquals(1, first.publisher("q").publishAndWait("still served"));

        second.close();
        final RingmqClient third = awaitConnect(() -> TestDaemons.connect(config, new ClientContext()));
        assertEquals(2, third.publisher("q").publishAndWait("served once one closed"));
    }

    @Test
    void namingANewQueuePastMaxQueuesIsRefusedAndTheQueuesThatExistAreServed()
    {
        final RingmqClient client = start(Map.of("ringmq.max.queues", "2"));
        client.publisher("a").publishAndWait("1");
        client.publisher("b").publishAndWait("2");

        final RingmqException refusal =
            refused(ErrorCode.TOO_MANY_QUEUES, () -> client.publisher("c").publishAndWait("3"));
        assertTrue(refusal.getMessage().contains("ringmq.max.queues"), refusal.getMessage());
        refused(ErrorCode.TOO_MANY_QUEUES, () -> client.consumer("c", "g", (d) -> {}));
        assertEquals(2, client.publisher("a").publishAndWait("4"));
    }

    @Test
    void aSubscribePastMaxConsumersPerSessionIsRefusedAndOtherSessionsSubscribe()
    {
        final RingmqClient client = start(Map.of("ringmq.max.consumers.per.session", "1"));
        client.consumer("q", "g", (d) -> {});
        refused(ErrorCode.TOO_MANY_CONSUMERS, () -> client.consumer("q", "other", (d) -> {}));

        final RingmqClient other = connect(new ClientContext());
        final List<String> delivered = new ArrayList<>();
        other.consumer("q", "other", (d) ->
        {
            delivered.add(d.payloadAsString());
            d.ack();
        });
        client.publisher("q").publishAndWait("m");
        TestDaemons.pollUntil(other, () -> delivered.size() == 1, TIMEOUT_MS, "the delivery to the other session");
    }

    @Test
    void aResponseChannelAskingForATermOverTheCapIsRefusedAndNoSuchPublicationIsMade()
    {
        final RingmqClient client = start(Map.of("ringmq.response.max.term.length", "2m"));

        final RingmqException refusal = refused(ErrorCode.RESPONSE_TERM_TOO_LARGE,
            () -> connect(new ClientContext().responseChannel("aeron:ipc?term-length=64m")));
        assertTrue(refusal.getMessage().contains("ringmq.response.max.term.length"), refusal.getMessage());
        refused(ErrorCode.RESPONSE_CHANNEL_REFUSED,
            () -> connect(new ClientContext().responseChannel("aeron:ipc?linger=1h")));
        assertTrue(connect(new ClientContext().responseChannel("aeron:ipc?term-length=2m")).maxMessageLength() > 0);
        assertFalse(counterLabels().contains("term-length=64m"), "no publication with the term asked for");
        assertEquals(1, client.publisher("q").publishAndWait("still served"));
        assertEquals(2, daemon.refusedConnects());
    }

    /** Publishing the refusal there would be what is refused: the Connect is counted, and nothing is sent anywhere. */
    @Test
    void aConnectNamingAnotherHostsUdpEndpointIsAnsweredNothingAndNothingIsPublishedThere()
    {
        final RingmqClient client = start(Map.of());
        final String elsewhere = "aeron:udp?endpoint=192.0.2.1:40999"; // TEST-NET-1: nobody's

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(config.aeronDir().toString()));
            ExclusivePublication ingress =
                aeron.addExclusivePublication(config.ingressChannel(), config.ingressStreamId()))
        {
            final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
                .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
                .correlationId(1).responseStreamId(4242).responseChannel(elsewhere).clientName("reflector")
                .encodedLength();
            awaitTrue(() -> ingress.offer(frame, 0, length) > 0, "the Connect sent");
            awaitTrue(() -> 1 == daemon.unansweredConnects(), "the Connect refused");
        }
        assertFalse(counterLabels().contains("192.0.2.1"), "no publication to the host named");
        assertEquals(1, client.publisher("q").publishAndWait("still served"));
    }

    @Test
    void connectsPastTheRateAreRefusedUntilASecondHasPassed()
    {
        final RingmqClient client = start(Map.of("ringmq.max.connects.per.second", "2"));
        connect(new ClientContext());
        final RingmqException refusal = refused(ErrorCode.TOO_MANY_CONNECTS, () -> connect(new ClientContext()));
        assertTrue(refusal.getMessage().contains("ringmq.max.connects.per.second"), refusal.getMessage());
        assertEquals(1, client.publisher("q").publishAndWait("still served"));

        clock.advanceMs(1_000);
        assertTrue(connect(new ClientContext()).maxMessageLength() > 0, "a second later");
    }

    /**
     * The default bound is journaled with the run: a restart under another default replays the journal (snapshots
     * off) to what the run did.
     */
    @Test
    void theDefaultMaxQueueBytesBoundsAQueueAndARestartReplaysItAsItRan()
    {
        final Map<String, String> noSnapshots =
            Map.of("ringmq.snapshot.every.commands", "0", "ringmq.snapshot.interval", "0");
        final Map<String, String> bounded = new HashMap<>(noSnapshots);
        bounded.put("ringmq.queue.max.bytes", "1k");
        final RingmqConfig first = TestDaemons.config(tempDir, bounded);
        final QueueStats held;
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(first).epochNanoClock(clock));
             RingmqClient client = TestDaemons.connect(first))
        {
            for (int i = 0; i < 20; i++)
            {
                client.publisher("q").publishAndWait("x".repeat(100));
            }
            held = client.stats("q");
            assertEquals(10, held.messages());
            assertEquals(10, held.overflowed());
            assertEquals(10, client.stats("q.dlq").messages(), "dead-lettered, the default overflow action");
        }

        final Map<String, String> unbounded = new HashMap<>(noSnapshots);
        unbounded.put("ringmq.queue.max.bytes", "0");
        final RingmqClient after = start(unbounded);
        assertTrue(daemon.recoveredCommands() > 20, daemon.recoveredDescription());
        assertEquals(held, after.stats("q"));
        after.publisher("q").publishAndWait("x".repeat(100));
        assertEquals(11, after.stats("q").messages(), "this run has no default bound");
    }

    private RingmqClient awaitConnect(final Supplier<RingmqClient> connect)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true)
        {
            try
            {
                return closer.track(connect.get());
            }
            catch (final RingmqException ex)
            {
                assertEquals(ErrorCode.TOO_MANY_SESSIONS, ex.code(), ex.getMessage());
                assertTrue(System.nanoTime() - deadlineNs < 0, "a session freed in time");
            }
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, what);
            Thread.yield();
        }
    }

    /** The labels of the media driver's counters (one per publication, among others), joined. */
    private String counterLabels()
    {
        final StringBuilder labels = new StringBuilder();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(config.aeronDir().toString())))
        {
            aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) -> labels.append(label).append('\n'));
        }
        return labels.toString();
    }
}
