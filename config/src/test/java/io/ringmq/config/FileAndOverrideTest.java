package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAndOverrideTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("ringmq.properties"), List.of(lines));
    }

    @Test
    void fileValuesAreUsed() throws IOException {
        Path file = write(
                "# comments and blank lines are fine",
                "",
                "ringmq.data.dir=/srv/ringmq/data",
                "ringmq.ring.size = 1024   ",
                "ringmq.ring.wait.strategy=busy-spin",
                "ringmq.ingress.udp.channel=aeron:udp?endpoint=0.0.0.0:40456",
                "ringmq.client.connect.timeout=250ms");

        RingmqConfig config = TestEnv.load(file, TestEnv.props());

        assertEquals(Path.of("/srv/ringmq/data"), config.dataDir());
        assertEquals(1024, config.ringSize());
        assertEquals(RingWaitStrategy.BUSY_SPIN, config.ringWaitStrategy());
        assertEquals(Optional.of("aeron:udp?endpoint=0.0.0.0:40456"), config.ingressUdpChannel());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(250), config.clientConnectTimeoutNs());
        assertEquals(SettingSource.FILE, config.sourceOf("ringmq.ring.size"));
        assertEquals(SettingSource.DEFAULT, config.sourceOf("ringmq.idle.strategy"));
        assertEquals(IdleStrategyType.GROWING_BACKOFF, config.idleStrategy());
    }

    @Test
    void systemPropertyOverridesTheFile() throws IOException {
        Path file = write("ringmq.ring.size=1024", "ringmq.idle.strategy=yielding");

        RingmqConfig config = TestEnv.load(file, TestEnv.props("ringmq.ring.size", "4096"));

        assertEquals(4096, config.ringSize());
        assertEquals(SettingSource.SYSTEM_PROPERTY, config.sourceOf("ringmq.ring.size"));
        assertEquals(IdleStrategyType.YIELDING, config.idleStrategy());
        assertEquals(SettingSource.FILE, config.sourceOf("ringmq.idle.strategy"));
    }

    @Test
    void badFileValueNamesTheFile() throws IOException {
        Path file = write("ringmq.ring.size=1000");
        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(file, TestEnv.props()));
        assertEquals("ringmq.ring.size=1000 is invalid: must be a power of two between 64 and 67108864 (from file " + file + ")",
                e.getMessage());
    }

    @Test
    void missingFileIsAnErrorNamingThePath() {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> RingmqConfig.load(missing, TestEnv.props()));
        assertEquals("config file " + missing + " does not exist", e.getMessage());
    }

    @Test
    void directoryInsteadOfFileIsAnErrorNamingThePath() {
        ConfigException e = assertThrows(ConfigException.class, () -> RingmqConfig.load(dir, TestEnv.props()));
        assertTrue(e.getMessage().startsWith("config file " + dir + " is a directory"), e.getMessage());
    }

    @Test
    void malformedFileIsAnErrorNamingThePath() throws IOException {
        Path file = write("ringmq.ring.size=\\uZZZZ");
        ConfigException e = assertThrows(ConfigException.class, () -> RingmqConfig.load(file, TestEnv.props()));
        assertTrue(e.getMessage().startsWith("config file " + file + " cannot be read"), e.getMessage());
    }

    @Test
    void fileIsReadAsUtf8() throws IOException {
        Path file = write("ringmq.data.dir=/srv/données");
        assertEquals(Path.of("/srv/données"), TestEnv.load(file, TestEnv.props()).dataDir());
    }

    @Test
    void anyUnknownKeyInTheFileIsAnError() throws IOException {
        Path file = write("rinqmq.ring.size=1024", "log.level=debug");
        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(file, TestEnv.props()));
        assertEquals(List.of(
                "log.level=debug is invalid: unknown key (from file " + file + ")",
                "rinqmq.ring.size=1024 is invalid: unknown key; did you mean ringmq.ring.size? (from file " + file + ")"),
                e.problems());
    }

    @Test
    void foreignSystemPropertiesAreIgnored() {
        RingmqConfig config = TestEnv.load("java.vm.name", "whatever", "ringmqx.size", "1", "log.level", "debug");
        assertEquals(16384, config.ringSize());
    }

    @Test
    void overridingABadFileValueFixesIt() throws IOException {
        Path file = write("ringmq.ring.size=1000");
        assertEquals(2048, TestEnv.load(file, TestEnv.props("ringmq.ring.size", "2048")).ringSize());
    }
}
