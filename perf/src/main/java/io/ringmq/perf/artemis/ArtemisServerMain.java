package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An Artemis broker as a process of its own, the shape Artemis is deployed in ({@link ArtemisProcess} starts it as a
 * {@code java} child with the perf classpath): {@link PersistentArtemis}'s setup with a Netty acceptor on loopback.
 * Prints {@value #RUNNING_LINE} once it serves; stops on SIGTERM, and when its stdin closes, so that it never outlives
 * the harness that started it even when that one is killed.
 * <p>
 * {@code ArtemisServerMain DATA_DIR PORT NONE|BATCH}
 */
public final class ArtemisServerMain
{
    static final String RUNNING_LINE = "artemis broker running";

    private ArtemisServerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 3)
        {
            System.err.println("usage: ArtemisServerMain DATA_DIR PORT NONE|BATCH");
            System.exit(2);
        }
        final ActiveMQServer server = PersistentArtemis.start(Path.of(args[0]), FsyncMode.parse(args[2]), "netty",
            "tcp://127.0.0.1:" + Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "artemis-stop"));
        System.out.println(RUNNING_LINE + " (pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();
        awaitEndOfInput();
        System.exit(0); // the hook stops the broker
    }

    private static void awaitEndOfInput()
    {
        try
        {
            while (System.in.read() >= 0)
            {
                // nothing is sent: only the end of the stream matters
            }
        }
        catch (final IOException ex)
        {
            // a broken pipe is an end too
        }
    }

    private static void stop(final ActiveMQServer server)
    {
        try
        {
            server.stop();
        }
        catch (final Exception ex)
        {
            System.err.println("Artemis did not stop cleanly: " + ex);
        }
    }
}
