package io.ringmq.perf.artemis;

import io.ringmq.perf.PeerContender;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.MessageHandler;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * A consumer of Artemis, on a connection of its own, competing with the others on one anycast queue: a core-client
 * {@link MessageHandler} (called on Artemis' client thread) checks each message by the group's rules and the size
 * sent, records publish→deliver, and acknowledges it (auto-commit acks, batched by the client as Artemis does by
 * default). Its own thread only opens the session and waits, sleeping, for the group to finish.
 */
final class ArtemisConsumer extends PeerContender.Consumer implements MessageHandler
{
    private final ServerLocator locator;
    private final String queue;
    private final int payloadBytes;

    ArtemisConsumer(final PeerContender.ConsumerPlan plan, final ServerLocator locator)
    {
        super(plan);
        this.locator = locator;
        this.queue = plan.queue();
        this.payloadBytes = plan.payloadBytes();
    }

    public void run()
    {
        try (ClientSessionFactory factory = locator.createSessionFactory();
            ClientSession session = factory.createSession(true, true);
            ClientConsumer consumer = session.createConsumer(queue))
        {
            consumer.setMessageHandler(this);
            session.start();
            control.consumerReady();
            consume(new SleepingMillisIdleStrategy(1));
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    protected int doWork()
    {
        return 0; // messages come on Artemis' thread
    }

    public void onMessage(final ClientMessage message)
    {
        final long nowNs = System.nanoTime();
        if (control.isAborted())
        {
            return; // the first failure is the one to report
        }
        try
        {
            final ActiveMQBuffer body = message.getBodyBuffer();
            if (body.readableBytes() != payloadBytes)
            {
                fail("a message has " + body.readableBytes() + " body bytes, sent " + payloadBytes);
                return;
            }
            final long number = body.readLong();
            final long stampNs = body.readLong();
            final int producer = body.readInt();
            if (delivered(producer, number, 0, stampNs, nowNs))
            {
                message.acknowledge();
                acked(1);
            }
        }
        catch (final ActiveMQException | RuntimeException ex)
        {
            control.fail(ex);
        }
    }
}
