package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void everyKeyHasItsDocumentedDefault() {
        RingmqConfig config = TestEnv.load();

        assertEquals(Path.of("/home/tester/.ringmq/data"), config.dataDir());
        assertEquals(Path.of("/dev/shm/ringmq-tester"), config.aeronDir());
        assertTrue(config.aeronEmbedded());
        assertFalse(config.aeronSparseTerms());
        assertEquals(8 * 1024 * 1024, config.aeronIpcTermLength());
        assertEquals("aeron:ipc", config.ingressChannel());
        assertEquals(1001, config.ingressStreamId());
        assertEquals(Optional.empty(), config.ingressUdpChannel());
        assertEquals(16384, config.ringSize());
        assertEquals(RingWaitStrategy.PHASED, config.ringWaitStrategy());
        assertEquals(IdleStrategyType.GROWING_BACKOFF, config.idleStrategy());
        assertEquals(1024 * 1024, config.maxMessageBytes());
        assertEquals(JournalRollCycle.FAST_DAILY, config.journalRollCycle());
        assertEquals(JournalFsync.BATCH, config.journalFsync());
        assertTrue(config.journalRetention(), "retention on by default");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), config.journalFsyncIntervalNs());
        assertEquals(TimeUnit.SECONDS.toNanos(5), config.clientConnectTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(10), config.egressBackPressureTimeoutNs());
        assertEquals(16 << 20, config.egressSessionBufferBytes());
        assertEquals(0L, config.statsReportIntervalNs());
        assertEquals(TimeUnit.SECONDS.toNanos(30), config.queueVisibilityTimeoutNs());
        assertEquals(5, config.queueMaxAttempts());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), config.tickIntervalNs());
        assertEquals(256, config.maxSessions());
        assertEquals(100, config.maxConnectsPerSecond());
        assertEquals(16 << 20, config.responseMaxTermLength());
        assertEquals(java.util.List.of(), config.responseAllowedHosts());
        assertEquals(10_000, config.maxQueues());
        assertEquals(1024, config.maxConsumersPerSession());
        assertEquals(256L << 20, config.queueMaxBytes());
        for (String name : ConfigKeys.names()) {
            assertEquals(SettingSource.DEFAULT, config.sourceOf(name), name);
        }
    }

    @Test
    void aeronDirFallsBackToTmpDirWithoutDevShm() {
        Properties props = TestEnv.props();
        RingmqConfig config = ConfigLoader.load(null, props, new Environment(props, false));
        assertEquals(Path.of("/var/tmp/t/ringmq-tester"), config.aeronDir());
    }

    @Test
    void publicLoadChecksTheRealDevShm() {
        RingmqConfig config = RingmqConfig.load(null, TestEnv.props());
        Path expected = Files.isDirectory(Path.of("/dev/shm"))
                ? Path.of("/dev/shm/ringmq-tester")
                : Path.of("/var/tmp/t/ringmq-tester");
        assertEquals(expected, config.aeronDir());
    }

    @Test
    void missingEnvironmentPropertyIsReportedOnlyWhenItsDefaultIsUsed() {
        Properties noHome = TestEnv.props();
        noHome.remove("user.home");

        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(null, noHome));
        assertEquals("ringmq.data.dir has no default: system property user.home is not set; set ringmq.data.dir explicitly",
                e.getMessage());

        noHome.setProperty("ringmq.data.dir", "/srv/ringmq");
        assertEquals(Path.of("/srv/ringmq"), TestEnv.load(null, noHome).dataDir());
    }

    @Test
    void defaultsAndFromMapIgnoreRingmqPropertiesOfThisJvm() {
        String key = "ringmq.ring.size";
        String before = System.getProperty(key);
        System.setProperty(key, "128");
        try {
            assertEquals(16384, RingmqConfig.defaults().ringSize());
            assertEquals(256, RingmqConfig.fromMap(Map.of(key, "256")).ringSize());
            assertEquals(128, RingmqConfig.loadFromSystem(null).ringSize());
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void defaultsTakeTheEnvironmentFromThisJvm() {
        RingmqConfig config = RingmqConfig.defaults();
        assertEquals(Path.of(System.getProperty("user.home"), ".ringmq", "data"), config.dataDir());
        assertTrue(config.aeronDir().getFileName().toString().endsWith(System.getProperty("user.name")));
    }

    @Test
    void fromMapTakesTheEnvironmentFromTheMapWhenGiven() {
        RingmqConfig config = RingmqConfig.fromMap(Map.of("user.home", "/elsewhere"));
        assertEquals(Path.of("/elsewhere/.ringmq/data"), config.dataDir());
    }

    @Test
    void fromMapValidatesLikeLoad() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RingmqConfig.fromMap(Map.of("ringmq.ring.size", "1000")));
        assertTrue(e.getMessage().startsWith("ringmq.ring.size=1000 is invalid: must be a power of two between 64 and 67108864"),
                e.getMessage());
    }

    @Test
    void loadCopiesThePropertiesItIsGiven() {
        Properties props = TestEnv.props("ringmq.ring.size", "1024");
        RingmqConfig config = RingmqConfig.load(null, props);
        props.setProperty("ringmq.ring.size", "2048");
        assertEquals(1024, config.ringSize());
        assertFalse(config.describe().contains("2048"));
    }
}
