package io.ringmq.perf.artemis;

import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.PeerContender;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.SendAcknowledgementHandler;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A producer of Artemis, on a connection of its own: durable messages sent asynchronously with a
 * {@link SendAcknowledgementHandler} (Artemis' confirmation of a send: after the journal has it, synced when journal
 * sync is on, i.e. its receipt; called on Artemis' thread, in send order). Each body starts with the
 * {@link MessageStamp} fields (number, time, producer index; big-endian, Artemis' buffer order), padded to the payload
 * size. In the windowed mode each confirmation is checked to be for the message sent in that place; Artemis gives
 * no queue sequence to check.
 */
final class ArtemisProducer extends PeerContender.Producer implements SendAcknowledgementHandler
{
    private final ServerLocator locator;
    private final String queue;
    private final byte[] padding;
    /** Windowed mode: the messages in the window, at {@link #slot}; written by this thread, read by Artemis'. */
    private final AtomicReferenceArray<Message> inWindow;
    private ClientSession session;
    private ClientProducer producer;

    ArtemisProducer(final PeerContender.ProducerPlan plan, final ServerLocator locator)
    {
        super(plan, false, new YieldingIdleStrategy());
        this.locator = locator;
        this.queue = plan.queue();
        this.padding = new byte[MessageStamp.requireRoom(plan.payloadBytes()) - MessageStamp.PRODUCER_STAMP_LENGTH];
        this.inWindow = isWindowed() ? new AtomicReferenceArray<>(plan.window()) : null;
    }

    public void run()
    {
        try (ClientSessionFactory factory = locator.createSessionFactory();
            ClientSession session = factory.createSession(true, true);
            ClientProducer producer = session.createProducer(queue))
        {
            this.session = session;
            this.producer = producer;
            produce();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    protected void send(final long number, final long stampNs) throws Exception
    {
        final ClientMessage message = session.createMessage(true);
        final ActiveMQBuffer body = message.getBodyBuffer();
        body.writeLong(number);
        body.writeLong(stampNs);
        body.writeInt(index);
        body.writeBytes(padding, 0, padding.length);
        if (null != inWindow)
        {
            inWindow.lazySet(slot(number), message);
        }
        producer.send(message, this);
    }

    protected int pollReceipts()
    {
        return 0; // confirmations come on Artemis' thread
    }

    public void sendAcknowledged(final Message message)
    {
        final long nowNs = System.nanoTime();
        final long number = nextReceipt();
        if (null != inWindow && (number > messages || inWindow.get(slot(number)) != message))
        {
            fail("confirmation " + number + " is not for the message sent as number " + number);
            return;
        }
        receipted(number, 0, nowNs);
    }

    public void sendFailed(final Message message, final Exception ex)
    {
        control.fail(new IllegalStateException("Artemis refused a send: " + ex.getMessage(), ex));
    }
}
