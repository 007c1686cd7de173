package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PeerContender;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ActiveMQ Artemis broker in this process: persistent NIO journal in a fresh temp directory (removed at close),
 * security and JMX off, one in-VM acceptor, so the core client reaches it without a socket (the fastest transport
 * Artemis has, as Aeron IPC is ringmq's). Journal sync follows the {@link FsyncMode}: NONE turns journal sync and
 * datasync off; BATCH keeps Artemis' default (sync on, grouped by the NIO journal's buffer timeout).
 * <p>
 * The NIO journal because the ASYNCIO one needs libaio, which this machine does not have (Artemis would fall back
 * to NIO anyway).
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
        if (FsyncMode.INTERVAL == fsync)
        {
            throw new IllegalArgumentException("Artemis is matched for fsync NONE and BATCH only, not INTERVAL");
        }
        final boolean sync = FsyncMode.BATCH == fsync;
        dataRoot = InProcessDaemon.createTempDirectory("ringmq-artemis-");
        url = "vm://" + NEXT_SERVER_ID.incrementAndGet();
        try
        {
            final Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataRoot.resolve("journal").toString())
                .setBindingsDirectory(dataRoot.resolve("bindings").toString())
                .setPagingDirectory(dataRoot.resolve("paging").toString())
                .setLargeMessagesDirectory(dataRoot.resolve("large-messages").toString())
                .setJournalSyncNonTransactional(sync)
                .setJournalSyncTransactional(sync)
                .setJournalDatasync(sync)
                .setCriticalAnalyzer(false) // a loaded 2-core machine must not make it shut itself down
                .addAcceptorConfiguration("in-vm", url);
            // The two-argument factory's boolean is enablePersistence and overrides the configuration: the
            // one-argument form keeps it.
            server = ActiveMQServers.newActiveMQServer(config);
            server.start();
            requirePersistent(server, dataRoot.resolve("journal"));
            locator = locator();
        }
        catch (final Exception ex)
        {
            InProcessDaemon.deleteRecursively(dataRoot);
            throw new IllegalStateException("Artemis did not start persistent: " + ex.getMessage(), ex);
        }
    }

    /** A comparison with a broker that keeps messages only in memory would be worthless: refuse to run it. */
    private static void requirePersistent(final ActiveMQServer server, final Path journal) throws Exception
    {
        if (!server.getConfiguration().isPersistenceEnabled() || !Files.isDirectory(journal))
        {
            server.stop();
            throw new IllegalStateException("the embedded Artemis is not persistent (no journal in " + journal + ")");
        }
    }

    /** A durable anycast queue: its consumers compete for its messages. */
    public void declare(final String queue)
    {
        try (ClientSessionFactory factory = locator.createSessionFactory();
            ClientSession session = factory.createSession(true, true))
        {
            session.createQueue(QueueConfiguration.of(queue)
                .setAddress(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot declare the Artemis queue " + queue + ": " + ex.getMessage(), ex);
        }
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
            return ActiveMQClient.createServerLocator(url)
                .setBlockOnDurableSend(false)
                .setBlockOnNonDurableSend(false)
                .setBlockOnAcknowledge(false)
                .setConfirmationWindowSize(1024 * 1024);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot make a locator for " + url + ": " + ex.getMessage(), ex);
        }
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
