package io.ringmq.daemon;

import io.ringmq.config.ConfigException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Ingress channels Aeron would refuse are configuration errors naming the key, found before the daemon creates its
 * Aeron or data directory (issue 18, item 7: a bad channel was a media driver stack trace after the journal existed).
 */
class IngressChannelsTest
{
    @TempDir
    Path dataRoot;

    @Test
    void channelsAeronAcceptsPass()
    {
        for (final String channel : List.of("aeron:ipc", "aeron:ipc?term-length=1m", "aeron:udp?endpoint=0.0.0.0:40456",
            "aeron:udp?endpoint=localhost:40456|interface=127.0.0.1", "aeron:udp?control-mode=manual"))
        {
            assertNull(IngressChannels.refusal(channel), channel);
        }
    }

    @Test
    void aRefusalSaysWhatAeronSaid()
    {
        assertEquals("unknown media: ipcx", IngressChannels.refusal("aeron:ipcx"));
        assertEquals("no more input found, state=PARAMS_KEY in aeron:ipc?term-length",
            IngressChannels.refusal("aeron:ipc?term-length"));
        assertEquals("URIs for UDP must specify an endpoint, control, tags, or control-mode=manual/response: " +
            "aeron:udp", IngressChannels.refusal("aeron:udp"));
        assertEquals("address:port is required for ipv4: localhost",
            IngressChannels.refusal("aeron:udp?endpoint=localhost"));
        assertEquals("port out of range:99999", IngressChannels.refusal("aeron:udp?endpoint=0.0.0.0:99999"));
    }

    @Test
    void everyBadChannelIsReportedAtOnceAndNothingIsCreated()
    {
        final RingmqConfig config = TestDaemons.config(dataRoot, Map.of(
            "ringmq.ingress.channel", "aeron:ipcx",
            "ringmq.ingress.udp.channel", "aeron:udp?endpoint=localhost"));

        final DaemonContext ctx = new DaemonContext().settings(config);
        final ConfigException refused = assertThrows(ConfigException.class, () -> Daemon.launch(ctx));
        assertEquals(List.of(
            "ringmq.ingress.channel=aeron:ipcx is invalid: must be a channel Aeron accepts, but Aeron says: unknown " +
                "media: ipcx (from system property)",
            "ringmq.ingress.udp.channel=aeron:udp?endpoint=localhost is invalid: must be a channel Aeron accepts, but " +
                "Aeron says: address:port is required for ipv4: localhost (from system property)"),
            refused.problems());
        assertFalse(Files.exists(config.dataDir()), "no data directory");
        assertFalse(Files.exists(config.aeronDir()), "no Aeron directory");
    }
}
