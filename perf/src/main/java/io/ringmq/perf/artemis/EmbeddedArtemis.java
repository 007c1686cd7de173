package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PeerContender;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ActiveMQ Artemis broker in this process, set up by {@link PersistentArtemis} in a fresh temp directory (removed
 * at close), with one in-VM acceptor, so the core client reaches it without a socket (the fastest transport Artemis
 * has, as Aeron IPC is ringmq's).
 * <p>
 * Makes the producers and consumers of a pass, each with a connection (session factory) of its own.
 */
final class EmbeddedArtemis implements PeerContender.Broker
{
    private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger();

    private final Path dataRoot;
    private final ActiveMQServer server;
    private final String url;
    private final ServerLocator locator;

    EmbeddedArtemis(final FsyncMode fsync)
    {
        dataRoot = InProcessDaemon.createTempDirectory("ringmq-artemis-");
        url = "vm://" + NEXT_SERVER_ID.incrementAndGet();
        try
        {
            server = PersistentArtemis.start(dataRoot, fsync, "in-vm", url);
            locator = locator();
        }
        catch (final Exception ex)
        {
            InProcessDaemon.deleteRecursively(dataRoot);
            throw new IllegalStateException("Artemis did not start persistent: " + ex.getMessage(), ex);
        }
    }

    /** A durable anycast queue: its consumers compete for its messages. */
    public void declare(final String queue)
    {
        PersistentArtemis.declare(locator, queue);
    }

    public PeerContender.Producer producer(final PeerContender.ProducerPlan plan)
    {
        return new ArtemisProducer(plan, locator);
    }

    public PeerContender.Consumer consumer(final PeerContender.ConsumerPlan plan)
    {
        return new ArtemisConsumer(plan, locator);
    }

    /** A connection of its own to this broker, for a workload that drives the core client itself. */
    ClientSessionFactory connect() throws Exception
    {
        return locator.createSessionFactory();
    }

    /**
     * A locator for the core client: durable sends confirmed asynchronously (a confirmation window, the receipt),
     * acks not blocking; windows and ack batching at Artemis' defaults.
     */
    private ServerLocator locator()
    {
        try
        {
            return confirmingAsynchronously(ActiveMQClient.createServerLocator(url));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot make a locator for " + url + ": " + ex.getMessage(), ex);
        }
    }

    /** The throughput passes' client settings, in this JVM or over TCP ({@link ArtemisProcess}). */
    static ServerLocator confirmingAsynchronously(final ServerLocator locator)
    {
        return locator
            .setBlockOnDurableSend(false)
            .setBlockOnNonDurableSend(false)
            .setBlockOnAcknowledge(false)
            .setConfirmationWindowSize(1024 * 1024);
    }

    public void close()
    {
        try
        {
            locator.close();
            server.stop();
        }
        catch (final Exception ex)
        {
            System.err.println("Artemis did not stop cleanly: " + ex);
        }
        finally
        {
            InProcessDaemon.deleteRecursively(dataRoot);
        }
    }
}
