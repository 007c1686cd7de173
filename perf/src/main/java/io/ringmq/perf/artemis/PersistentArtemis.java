package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
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

/**
 * The one way the comparison sets up an Artemis broker, in this JVM ({@link EmbeddedArtemis}) or as a process of its
 * own ({@link ArtemisServerMain}): persistent NIO journal under a given directory, security and JMX off, the critical
 * analyzer off, journal sync per the {@link FsyncMode} (NONE: sync and datasync off; BATCH: Artemis' default, sync on,
 * grouped by the NIO journal's buffer timeout), one acceptor.
 * <p>
 * The NIO journal because the ASYNCIO one needs libaio, which this machine does not have (Artemis would fall back
 * to NIO anyway).
 */
final class PersistentArtemis
{
    private PersistentArtemis()
    {
    }

    /**
     * Starts the broker.
     *
     * @throws IllegalStateException if it started without a journal (it is stopped first).
     */
    static ActiveMQServer start(final Path dataRoot, final FsyncMode fsync, final String acceptorName,
        final String acceptorUrl) throws Exception
    {
        if (FsyncMode.INTERVAL == fsync)
        {
            throw new IllegalArgumentException("Artemis is matched for fsync NONE and BATCH only, not INTERVAL");
        }
        final boolean sync = FsyncMode.BATCH == fsync;
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
            .addAcceptorConfiguration(acceptorName, acceptorUrl);
        // The two-argument factory's boolean is enablePersistence and overrides the configuration: the
        // one-argument form keeps it.
        final ActiveMQServer server = ActiveMQServers.newActiveMQServer(config);
        server.start();
        requirePersistent(server, dataRoot.resolve("journal"));
        return server;
    }

    /** A comparison with a broker that keeps messages only in memory would be worthless: refuse to run it. */
    private static void requirePersistent(final ActiveMQServer server, final Path journal) throws Exception
    {
        if (!server.getConfiguration().isPersistenceEnabled() || !Files.isDirectory(journal))
        {
            server.stop();
            throw new IllegalStateException("the Artemis broker is not persistent (no journal in " + journal + ")");
        }
    }

    /** A durable anycast queue: its consumers compete for its messages. */
    static void declare(final ServerLocator locator, final String queue)
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
}
