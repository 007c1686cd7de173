package io.ringmq.daemon;

import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.ReplyHandler;
import io.ringmq.client.MessageHeaders;
import io.ringmq.client.Requester;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 12, request/reply through the client and a daemon in this JVM: a request is a message on a queue; a replier's
 * answer acks it and comes back to the requester's session, or onto a reply queue; no reply in time is
 * REQUEST_TIMEOUT, and a reply after it is discarded and counted; a reply for a session that is gone is dropped and
 * counted by the daemon.
 */
class RequestReplyEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(final T closeable)
    {
        return closer.track(closeable);
    }

    /** A replier that answers each request with its payload upper-cased and its trace header, if any. */
    private static void upperCasing(final RingmqClient replying)
    {
        replying.replier("rpc", "workers", true, (request) -> request.reply(request.payloadAsString().toUpperCase() +
            (request.headers().contains("trace") ? " " + request.headers().text("trace") : "")));
    }

    @Test
    void aRequestIsAnsweredByAReplierInItsGroupAndTheReplyAcksIt()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient requesting = track(TestDaemons.connect(config));
        final RingmqClient replying = track(TestDaemons.connect(config));
        upperCasing(replying);
        final Requester requester = requesting.requester("rpc");

        final Thread replierThread = new Thread(() ->
        {
            while (!replying.isClosed() && !Thread.currentThread().isInterrupted())
            {
                replying.poll();
            }
        });
        replierThread.start();
        try
        {
            assertEquals("PING", requester.requestAndWait("ping", null, TIMEOUT_MS));
            assertEquals("PONG t-1",
                requester.requestAndWait("pong", new OutgoingMessage().header("trace", "t-1"), TIMEOUT_MS));
        }
        finally
        {
            replierThread.interrupt();
            try
            {
                replierThread.join(TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        assertEquals(0, requesting.stats("rpc").messages(), "each reply acked its request");
    }

    @Test
    void noReplyInTimeIsRequestTimeoutAndALateReplyIsDiscardedAndCounted()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient requesting = track(TestDaemons.connect(config));
        final Requester requester = requesting.requester("rpc");

        final RingmqException timedOut =
            assertThrows(RingmqException.class, () -> requester.requestAndWait("late", null, 200));
        assertEquals(ErrorCode.REQUEST_TIMEOUT, timedOut.code());

        final RingmqClient replying = track(TestDaemons.connect(config));
        upperCasing(replying);
        pollUntil(replying, () -> replying.stats("rpc").messages() == 0, TIMEOUT_MS, "the request answered");
        pollUntil(requesting, () -> requester.lateReplies() == 1, TIMEOUT_MS, "the late reply discarded");
        assertEquals(0, requester.pendingCount());
    }

    @Test
    void aReplyForASessionThatIsGoneIsDroppedAndCountedAndOneToAQueueWaitsThere()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final Daemon daemon = track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient gone = TestDaemons.connect(config);
        final Requester forgotten = gone.requester("rpc");
        final List<String> outcomes = new ArrayList<>();
        forgotten.request(new org.agrona.concurrent.UnsafeBuffer("bye".getBytes()), 0, 3, TIMEOUT_MS,
            new ReplyHandler()
            {
                public void onReply(final long requestId, final DirectBuffer buffer, final int offset,
                    final int length, final MessageHeaders headers)
                {
                    outcomes.add("reply");
                }

                public void onError(final long requestId, final ErrorCode code, final String message)
                {
                    outcomes.add(code.name());
                }
            });
        final RingmqClient durable = track(TestDaemons.connect(config));
        final long requestId = durable.requester("rpc", "rpc.replies").request(
            new org.agrona.concurrent.UnsafeBuffer("keep".getBytes()), 0, 4, TIMEOUT_MS, null);
        pollUntil(durable, () -> durable.stats("rpc").messages() == 2, TIMEOUT_MS, "both requests stored");
        gone.close();

        final RingmqClient replying = track(TestDaemons.connect(config));
        upperCasing(replying);
        pollUntil(replying, () -> daemon.limitStats().repliesDropped() == 1, TIMEOUT_MS,
            "the reply to the closed session dropped, counted");

        final List<String> replies = new ArrayList<>();
        durable.consumer("rpc.replies", "mine", (delivery) ->
        {
            replies.add(delivery.payloadAsString() + " for " + (delivery.requestId() == requestId));
            delivery.ack();
        });
        pollUntil(durable, () -> replies.size() == 1, TIMEOUT_MS, "the durable reply");
        assertEquals(List.of("KEEP for true"), replies);
        assertEquals(List.of(), outcomes, "the closed client was told nothing");
    }

    /** Issue 15: a replier on a queue that does not exist is refused and creates nothing, unless asked to create. */
    @Test
    void aReplierRefusesAnUnknownQueueUnlessAskedToCreateIt()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient replying = track(TestDaemons.connect(config));

        final RingmqException refused = assertThrows(RingmqException.class,
            () -> replying.replier("rcp", "workers", (request) -> request.reply("never")));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, refused.code(), refused::getMessage);
        final RingmqException unknown = assertThrows(RingmqException.class, () -> replying.stats("rcp"));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, unknown.code(), "the refused replier created nothing");

        replying.replier("rcp", "workers", true, (request) -> request.reply("created"));
        assertEquals(0, replying.stats("rcp").messages(), "created, empty");
        replying.replier("rcp", "others", (request) -> request.reply("exists now"));
        assertEquals(2, replying.groups("rcp").size(), "a replier on an existing queue attaches");
    }
}
