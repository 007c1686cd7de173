package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PeerContender;
import io.ringmq.perf.process.ChildJava;
import io.ringmq.perf.process.ChildProcess;
import io.ringmq.perf.process.ProcessCpu;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Artemis broker as a process of its own ({@link ArtemisServerMain}, a {@code java} child with this JVM's
 * classpath and a 1 GiB heap) in a fresh temp directory, reached over TCP on loopback. Its core-client locator
 * either blocks on durable sends, so a send returns once the broker has journalled the message (and synced it when
 * sync is on), or confirms them asynchronously as {@link EmbeddedArtemis}' does (the throughput passes, which it
 * serves as a {@link PeerContender.Broker}). {@link #close()} stops it with SIGTERM and removes the directory.
 */
final class ArtemisProcess implements PeerContender.Broker
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private final Path dataRoot;
    private final ChildProcess process;
    private final ServerLocator locator;

    /** A broker whose client blocks on each durable send until the broker confirms it. */
    ArtemisProcess(final FsyncMode fsync)
    {
        this(fsync, true);
    }

    /**
     * @param blockOnDurableSend true: each durable send waits for its confirmation; false: confirmations come
     *                           asynchronously (the producer's handler), windowed as {@link EmbeddedArtemis}' are.
     */
    ArtemisProcess(final FsyncMode fsync, final boolean blockOnDurableSend)
    {
        dataRoot = InProcessDaemon.createTempDirectory("ringmq-artemis-process-");
        ChildProcess started = null;
        try
        {
            final int port = freeLoopbackPort();
            started = ChildProcess.start("the Artemis broker", new ProcessBuilder(ChildJava.command(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"), ArtemisServerMain.class.getName(),
                dataRoot.resolve("data").toString(), Integer.toString(port), fsync.name())),
                dataRoot.resolve("artemis.log"), ArtemisServerMain.RUNNING_LINE, START_TIMEOUT_NS);
            process = started;
            final ServerLocator made = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + port);
            locator = blockOnDurableSend ? made.setBlockOnDurableSend(true).setBlockOnAcknowledge(false) :
                EmbeddedArtemis.confirmingAsynchronously(made);
        }
        catch (final Exception ex)
        {
            if (null != started)
            {
                started.close();
            }
            InProcessDaemon.deleteRecursively(dataRoot);
            throw new IllegalStateException("the Artemis broker process did not start: " + ex.getMessage(), ex);
        }
    }

    long pid()
    {
        return process.pid();
    }

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

    public ProcessCpu serverProcess()
    {
        return new ProcessCpu(process.pid());
    }

    ClientSessionFactory connect() throws Exception
    {
        return locator.createSessionFactory();
    }

    public void close()
    {
        try
        {
            locator.close();
            process.close();
        }
        finally
        {
            InProcessDaemon.deleteRecursively(dataRoot);
        }
    }

    /** A port free on loopback now; another process could take it before the broker binds it (then it fails). */
    private static int freeLoopbackPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no free port on loopback", ex);
        }
    }
}
