package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.JitSettle;
import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.Progress;
import org.HdrHistogram.Histogram;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;

import java.util.concurrent.TimeUnit;

/**
 * Artemis' own request/reply, the core-API form of JMS {@code QueueRequestor} (JMSReplyTo a temporary queue): the
 * requester's {@link ClientRequestor} makes a temporary queue for its replies, sends each request, durable, to a
 * durable anycast queue with the reply-to set to it, and waits for the reply; the replier, a core-client
 * {@code MessageHandler} on a connection of its own, sends the request's body back to its reply-to address and
 * acknowledges the request. One in flight; the requester acknowledges each reply. The reply is not journalled (a
 * temporary queue is not durable), as with JMS; the request is, synced per {@link EmbeddedArtemis}'s fsync setting.
 * Between the warm-up and the recorded round trips it waits for the JIT to settle ({@link JitSettle}).
 */
public final class ArtemisRequestReply
{
    static final String REQUEST_QUEUE = "perf-requests";

    private ArtemisRequestReply()
    {
    }

    public static String setup(final FsyncMode fsync)
    {
        return "ActiveMQ Artemis request/reply: core ClientRequestor (JMSReplyTo a temporary queue), durable " +
            "requests on a durable anycast queue, journal sync " + (FsyncMode.BATCH == fsync ? "on" : "off") +
            ", the replier and the requester on connections of their own, in-VM";
    }

    public static LatencyResult run(final LatencyWorkload workload, final Progress progress)
    {
        final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
        final Histogram rttNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        final long timeoutMs = TimeUnit.SECONDS.toMillis(workload.timeoutS());
        final byte[] padding = new byte[workload.payloadBytes() - 2 * Long.BYTES];
        final long startMs = System.currentTimeMillis();
        try (EmbeddedArtemis broker = new EmbeddedArtemis(workload.fsync()))
        {
            broker.declare(REQUEST_QUEUE);
            try (ClientSessionFactory replierFactory = broker.connect();
                ClientSession replierSession = replierFactory.createSession(true, true);
                ClientProducer replies = replierSession.createProducer();
                ClientConsumer requests = replierSession.createConsumer(REQUEST_QUEUE);
                ClientSessionFactory requesterFactory = broker.connect();
                ClientSession requesterSession = requesterFactory.createSession(true, true);
                ClientRequestor requestor = new ClientRequestor(requesterSession, REQUEST_QUEUE))
            {
                requests.setMessageHandler((request) -> echo(control, replierSession, replies, request));
                replierSession.start();
                requesterSession.start();
                for (long number = 1; number <= workload.totalMessages() && !control.isAborted(); number++)
                {
                    if (number == workload.warmupMessages() + 1 && workload.warmupMessages() > 0)
                    {
                        progress.note("warm-up: " + JitSettle.await().format());
                    }
                    final long sentNs = System.nanoTime();
                    final ClientMessage request = requesterSession.createMessage(true);
                    request.getBodyBuffer().writeLong(number);
                    request.getBodyBuffer().writeLong(sentNs);
                    request.getBodyBuffer().writeBytes(padding);
                    final ClientMessage reply = requestor.request(request, timeoutMs);
                    final long rtt = System.nanoTime() - sentNs;
                    if (null == reply)
                    {
                        control.fail(new IllegalStateException("Artemis request " + number + " got no reply"));
                        break;
                    }
                    final ActiveMQBuffer body = reply.getBodyBuffer();
                    final int length = body.readableBytes();
                    final long repliedNumber = body.readLong();
                    if (length != workload.payloadBytes() || repliedNumber != number)
                    {
                        control.fail(new IllegalStateException("Artemis request " + number + " of " +
                            workload.payloadBytes() + " B got the reply to " + repliedNumber + ", " + length + " B"));
                        break;
                    }
                    reply.acknowledge();
                    if (number > workload.warmupMessages())
                    {
                        LatencyRecorder.record(rttNs, rtt);
                    }
                    progress.add(1);
                }
            }
        }
        catch (final Exception ex)
        {
            control.fail(ex);
        }
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("Artemis request/reply run failed: " + failure.getMessage(), failure);
        }
        return new LatencyResult("artemis", workload.describeRequestReply(), workload.fsync(), true, rttNs, null,
            startMs, System.currentTimeMillis(), null);
    }

    /** The replier, on Artemis' client thread: the request's body back to its reply-to, then the request acked. */
    private static void echo(
        final PassControl control, final ClientSession session, final ClientProducer replies,
        final ClientMessage request)
    {
        try
        {
            final SimpleString replyTo = request.getSimpleStringProperty(ClientMessageImpl.REPLYTO_HEADER_NAME);
            if (null == replyTo)
            {
                control.fail(new IllegalStateException("an Artemis request without a reply-to"));
                return;
            }
            final ActiveMQBuffer body = request.getBodyBuffer();
            final ClientMessage reply = session.createMessage(true);
            reply.getBodyBuffer().writeBytes(body, body.readableBytes());
            replies.send(replyTo, reply);
            request.acknowledge();
        }
        catch (final Exception ex)
        {
            control.fail(ex);
        }
    }
}
