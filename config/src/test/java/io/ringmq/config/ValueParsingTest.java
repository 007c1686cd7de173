package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each value type accepting good text and rejecting bad text with key, value and what is allowed. */
class ValueParsingTest {

    private static final String SYS = " (from system property)";

    // --- int ---

    @ParameterizedTest
    @CsvSource({"64,64", "1024,1024", "67108864,67108864", "' 2048 ',2048"})
    void intAcceptsPowersOfTwoInRange(String text, int expected) {
        assertEquals(expected, TestEnv.load("ringmq.ring.size", text).ringSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000", "32", "0", "-64", "134217728"})
    void intRejectsOutOfRange(String text) {
        assertEquals("ringmq.ring.size=" + text + " is invalid: must be a power of two between 64 and 67108864" + SYS,
                TestEnv.problems("ringmq.ring.size", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "16k", "1.5", "2147483648", ""})
    void intRejectsNonIntegers(String text) {
        assertEquals("ringmq.ring.size=" + text + " is invalid: not an integer; must be a power of two between 64 and 67108864" + SYS,
                TestEnv.problems("ringmq.ring.size", text));
    }

    @Test
    void intRangeIsInclusive() {
        assertEquals(1, TestEnv.load("ringmq.ingress.stream.id", "1").ingressStreamId());
        assertEquals(Integer.MAX_VALUE, TestEnv.load("ringmq.ingress.stream.id", "2147483647").ingressStreamId());
        assertEquals("ringmq.ingress.stream.id=0 is invalid: must be between 1 and 2147483647" + SYS,
                TestEnv.problems("ringmq.ingress.stream.id", "0"));
    }

    // --- long (no key uses it yet) ---

    @Test
    void longParsesBeyondIntRange() {
        assertEquals(9_000_000_000L, ValueTypes.LONG.parse("9000000000", null));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.LONG.parse("9e9", null));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.LONG.parse("99999999999999999999", null));
    }

    // --- boolean ---

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "False,false", "false,false"})
    void booleanAcceptsTrueAndFalseInAnyCase(String text, boolean expected) {
        assertEquals(expected, TestEnv.load("ringmq.aeron.embedded", text).aeronEmbedded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "0", "on", "truee", ""})
    void booleanRejectsAnythingElse(String text) {
        assertEquals("ringmq.aeron.embedded=" + text + " is invalid: must be true or false" + SYS,
                TestEnv.problems("ringmq.aeron.embedded", text));
    }

    // --- enum ---

    @ParameterizedTest
    @ValueSource(strings = {"BUSY_SPIN", "busy_spin", "busy-spin", "Busy-Spin", "busyspin"})
    void enumIsCaseInsensitiveAndSeparatorTolerant(String text) {
        assertEquals(RingWaitStrategy.BUSY_SPIN, TestEnv.load("ringmq.ring.wait.strategy", text).ringWaitStrategy());
    }

    @Test
    void everyEnumKeyParsesEachConstant() {
        for (IdleStrategyType t : IdleStrategyType.values()) {
            assertEquals(t, TestEnv.load("ringmq.idle.strategy", t.name().toLowerCase()).idleStrategy());
        }
        for (JournalRollCycle c : JournalRollCycle.values()) {
            assertEquals(c, TestEnv.load("ringmq.journal.roll.cycle", c.name().replace('_', '-')).journalRollCycle());
        }
        for (JournalFsync f : JournalFsync.values()) {
            assertEquals(f, TestEnv.load("ringmq.journal.fsync", f.name().toLowerCase()).journalFsync());
        }
    }

    @Test
    void enumRejectionListsAllowedValues() {
        assertEquals("ringmq.ring.wait.strategy=spin is invalid: must be one of PHASED, SLEEPING, YIELDING, BLOCKING, BUSY_SPIN" + SYS,
                TestEnv.problems("ringmq.ring.wait.strategy", "spin"));
        assertEquals("ringmq.journal.roll.cycle=weekly is invalid: must be one of "
                        + "MINUTELY, HOURLY, DAILY, FAST_HOURLY, FAST_DAILY, LARGE_DAILY, TEST_SECONDLY" + SYS,
                TestEnv.problems("ringmq.journal.roll.cycle", "weekly"));
        assertEquals("ringmq.journal.fsync=always is invalid: must be one of NONE, BATCH, INTERVAL" + SYS,
                TestEnv.problems("ringmq.journal.fsync", "always"));
        assertEquals("ringmq.journal.fsync= is invalid: must be one of NONE, BATCH, INTERVAL" + SYS,
                TestEnv.problems("ringmq.journal.fsync", ""));
    }

    // --- size ---

    @ParameterizedTest
    @CsvSource({"64k,65536", "64K,65536", "8m,8388608", "1g,1073741824", "131072,131072"})
    void sizeAcceptsBinarySuffixes(String text, int expected) {
        // a small message limit so small terms do not break the term / 8 rule
        RingmqConfig config = TestEnv.load("ringmq.aeron.ipc.term.length", text, "ringmq.max.message.bytes", "64");
        assertEquals(expected, config.aeronIpcTermLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"32k", "3m", "2g", "100000"})
    void sizeRejectsOutOfRange(String text) {
        assertEquals("ringmq.aeron.ipc.term.length=" + text + " is invalid: must be a power of two between 64k and 1g" + SYS,
                TestEnv.problems("ringmq.aeron.ipc.term.length", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8x", "8mb", "-1m", "1.5m", "m", "", "99999999999g"})
    void sizeRejectsBadSyntax(String text) {
        assertEquals("ringmq.aeron.ipc.term.length=" + text + " is invalid: not " + ValueTypes.SIZE.expected()
                        + "; must be a power of two between 64k and 1g" + SYS,
                TestEnv.problems("ringmq.aeron.ipc.term.length", text));
    }

    @Test
    void sizeFormatPicksTheLargestExactSuffix() {
        assertEquals("0", ByteSize.format(0));
        assertEquals("1000", ByteSize.format(1000));
        assertEquals("1536k", ByteSize.format(1536 * 1024));
        assertEquals("8m", ByteSize.format(ByteSize.parse("8192k")));
        assertEquals("2g", ByteSize.format(ByteSize.parse("2048m")));
    }

    // --- duration ---

    @ParameterizedTest
    @CsvSource({
            "100ms,100000000",
            "250MS,250000000",
            "5s,5000000000",
            "2m,120000000000",
            "1500,1500000000",
            "100000us,100000000",
            "100000000ns,100000000"})
    void durationAcceptsUnitsAndBareMilliseconds(String text, long expectedNanos) {
        assertEquals(expectedNanos, TestEnv.load("ringmq.client.connect.timeout", text).clientConnectTimeoutNs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99ms", "11m", "0"})
    void durationRejectsOutOfRange(String text) {
        assertEquals("ringmq.client.connect.timeout=" + text + " is invalid: must be between 100ms and 10m" + SYS,
                TestEnv.problems("ringmq.client.connect.timeout", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 sec", "5sec", "-1s", "1.5s", "ms", "", "5w", "999999999999h"})
    void durationRejectsBadSyntax(String text) {
        assertEquals("ringmq.egress.back.pressure.timeout=" + text + " is invalid: not " + ValueTypes.DURATION.expected()
                        + "; must be between 1ms and 10m" + SYS,
                TestEnv.problems("ringmq.egress.back.pressure.timeout", text));
    }

    @Test
    void zeroMeansOffOnlyWhereAllowed() {
        assertEquals(0, TestEnv.load("ringmq.stats.report.interval", "0").statsReportIntervalNs());
        assertEquals(0, TestEnv.load("ringmq.stats.report.interval", "0s").statsReportIntervalNs());
        assertEquals(TimeUnit.HOURS.toNanos(1), TestEnv.load("ringmq.stats.report.interval", "1h").statsReportIntervalNs());
        assertEquals(TimeUnit.SECONDS.toNanos(1), TestEnv.load("ringmq.stats.report.interval", "1000").statsReportIntervalNs());
        assertEquals("ringmq.stats.report.interval=500ms is invalid: must be 0 (off) or between 1s and 1h" + SYS,
                TestEnv.problems("ringmq.stats.report.interval", "500ms"));
        assertEquals("ringmq.stats.report.interval=61m is invalid: must be 0 (off) or between 1s and 1h" + SYS,
                TestEnv.problems("ringmq.stats.report.interval", "61m"));
        assertEquals("ringmq.egress.back.pressure.timeout=0 is invalid: must be between 1ms and 10m" + SYS,
                TestEnv.problems("ringmq.egress.back.pressure.timeout", "0"));
    }

    @ParameterizedTest
    @CsvSource({"1ms,1000000", "10,10000000", "2500us,2500000", "10s,10000000000"})
    void fsyncIntervalAcceptsOneMillisecondToTenSeconds(String text, long expectedNanos) {
        RingmqConfig config = TestEnv.load("ringmq.journal.fsync", "interval", "ringmq.journal.fsync.interval", text);
        assertEquals(JournalFsync.INTERVAL, config.journalFsync());
        assertEquals(expectedNanos, config.journalFsyncIntervalNs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "999us", "10001ms", "1m"})
    void fsyncIntervalRejectsOutOfRangeNamingTheKey(String text) {
        assertEquals("ringmq.journal.fsync.interval=" + text + " is invalid: must be between 1ms and 10s" + SYS,
                TestEnv.problems("ringmq.journal.fsync.interval", text));
    }

    @Test
    void fsyncIntervalRejectsBadSyntaxAndIsValidatedWhateverThePolicy() {
        assertEquals("ringmq.journal.fsync.interval=fast is invalid: not " + ValueTypes.DURATION.expected()
                        + "; must be between 1ms and 10s" + SYS,
                TestEnv.problems("ringmq.journal.fsync", "batch", "ringmq.journal.fsync.interval", "fast"));
    }

    @Test
    void daysAreAUnitSoRangesStatedInDaysCanBeWrittenSo() {
        assertEquals(2 * 86_400_000_000_000L, Durations.parseNanos("2d"));
        assertEquals(Durations.parseNanos("8760h"), Durations.parseNanos("365D"));
        assertEquals("24h", Durations.format(Durations.parseNanos("1d")), "format writes no days: its output is unchanged");
    }

    @Test
    void durationFormatPicksTheLargestExactUnit() {
        assertEquals("0", Durations.format(0));
        assertEquals("1h", Durations.format(Durations.parseNanos("60m")));
        assertEquals("90s", Durations.format(Durations.parseNanos("90000")));
        assertEquals("1500ms", Durations.format(Durations.parseNanos("1500")));
        assertEquals("1500us", Durations.format(1_500_000));
        assertEquals("7ns", Durations.format(7));
    }

    // --- path ---

    @ParameterizedTest
    @CsvSource({
            "~,/home/tester",
            "~/ringmq,/home/tester/ringmq",
            "/srv/ringmq,/srv/ringmq",
            "relative/dir,relative/dir",
            "~bob/x,~bob/x"})
    void pathExpandsLeadingTildeToUserHome(String text, String expected) {
        assertEquals(Path.of(expected), TestEnv.load("ringmq.data.dir", text).dataDir());
    }

    @Test
    void pathRejectsEmptyAndUnexpandableTilde() {
        assertEquals("ringmq.data.dir= is invalid: must be a path (a leading ~ is user.home)" + SYS,
                TestEnv.problems("ringmq.data.dir", " "));

        var noHome = TestEnv.props("ringmq.aeron.dir", "~/aeron");
        noHome.remove("user.home");
        noHome.setProperty("ringmq.data.dir", "/srv/data");
        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(null, noHome));
        assertEquals("ringmq.aeron.dir=~/aeron cannot be resolved: system property user.home is not set" + SYS, e.getMessage());
    }

    // --- string ---

    @Test
    void stringRulesCheckTheChannelPrefix() {
        assertEquals("aeron:udp?endpoint=localhost:40123",
                TestEnv.load("ringmq.ingress.channel", "aeron:udp?endpoint=localhost:40123").ingressChannel());
        assertEquals("ringmq.ingress.channel=udp://0.0.0.0:1 is invalid: must be a channel starting with aeron:" + SYS,
                TestEnv.problems("ringmq.ingress.channel", "udp://0.0.0.0:1"));
    }

    @Test
    void udpChannelIsOptional() {
        assertEquals(Optional.empty(), TestEnv.load("ringmq.ingress.udp.channel", "").ingressUdpChannel());
        assertEquals(Optional.of("aeron:udp?endpoint=0.0.0.0:40456"),
                TestEnv.load("ringmq.ingress.udp.channel", "aeron:udp?endpoint=0.0.0.0:40456").ingressUdpChannel());
        assertEquals("ringmq.ingress.udp.channel=aeron:ipc is invalid: must be empty (off) or a channel starting with aeron:udp" + SYS,
                TestEnv.problems("ringmq.ingress.udp.channel", "aeron:ipc"));
    }

    @Test
    void ingressChannelsAreNamedByTheirKeysAndAnUnsetUdpChannelIsLeftOut() {
        assertEquals(Map.of("ringmq.ingress.channel", "aeron:ipc"), TestEnv.load().ingressChannels());
        assertEquals(List.of("ringmq.ingress.channel", "ringmq.ingress.udp.channel"), List.copyOf(
                TestEnv.load("ringmq.ingress.udp.channel", "aeron:udp?endpoint=0.0.0.0:40456").ingressChannels().keySet()));
    }

    /** The daemon checks channels with Aeron, which this module does not depend on, and words its findings alike. */
    @Test
    void aProblemFoundOutsideIsWordedLikeTheLoadersOwn() {
        assertEquals("ringmq.ingress.channel=aeron:ipcx is invalid: must be a channel Aeron accepts" + SYS,
                TestEnv.load("ringmq.ingress.channel", "aeron:ipcx")
                        .invalidValue("ringmq.ingress.channel", "a channel Aeron accepts"));
        assertEquals("ringmq.ingress.channel=aeron:ipc is invalid: must be x (default)",
                TestEnv.load().invalidValue("ringmq.ingress.channel", "x"));
        assertThrows(IllegalArgumentException.class, () -> TestEnv.load().invalidValue("ringmq.nope", "x"));
    }
}
