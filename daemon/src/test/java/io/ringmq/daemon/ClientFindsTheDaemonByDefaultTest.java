package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.DefaultAeronDirectory;
import io.ringmq.config.RingmqConfig;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client artifact carries its own copy of the daemon's default Aeron directory (it does not depend on the config
 * module): the two must agree, and -Dringmq.aeron.dir must mean the same to both.
 */
class ClientFindsTheDaemonByDefaultTest
{
    @Test
    void aClientWithNoDirectoryLooksWhereADaemonWithDefaultsRuns()
    {
        final String before = System.clearProperty(DefaultAeronDirectory.PROPERTY);
        try
        {
            assertEquals(RingmqConfig.defaults().aeronDir().toString(), DefaultAeronDirectory.resolve());
            assertEquals(RingmqConfig.defaults().aeronDir().toString(),
                new ClientContext().conclude().aeronDirectoryName());

            for (final String set : new String[] {"/tmp/elsewhere", "~/ringmq-aeron", "~"})
            {
                final Properties system = new Properties();
                system.putAll(System.getProperties());
                system.setProperty(DefaultAeronDirectory.PROPERTY, set);
                System.setProperty(DefaultAeronDirectory.PROPERTY, set);
                assertEquals(RingmqConfig.load(null, system).aeronDir().toString(), DefaultAeronDirectory.resolve(),
                    () -> "-D" + DefaultAeronDirectory.PROPERTY + "=" + set);
            }
        }
        finally
        {
            if (null == before)
            {
                System.clearProperty(DefaultAeronDirectory.PROPERTY);
            }
            else
            {
                System.setProperty(DefaultAeronDirectory.PROPERTY, before);
            }
        }
    }
}
