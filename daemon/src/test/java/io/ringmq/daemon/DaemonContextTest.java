package io.ringmq.daemon;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link DaemonContext#conclude()} fills in and refuses, and the distinct error log it maps. */
class DaemonContextTest
{
    @TempDir
    Path tempDir;

    @Test
    void concludeFillsEveryDefaultFromTheSettingsAndKeepsWhatWasGiven()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.idle.strategy", "yielding"));
        final CachedEpochClock epochClock = new CachedEpochClock();
        final DaemonContext ctx = new DaemonContext().settings(config).epochClock(epochClock).conclude();

        assertSame(epochClock, ctx.epochClock());
        assertSame(SystemNanoClock.INSTANCE, ctx.nanoClock());
        assertNotNull(ctx.epochNanoClock());
        assertInstanceOf(YieldingIdleStrategy.class, ctx.ingressIdleStrategy(), "as ringmq.idle.strategy says");
        assertNotNull(ctx.ringWaitStrategy());
        assertFalse(Files.exists(config.dataDir()), "concluding makes no file: the daemon maps the error log later");
    }

    @Test
    void aGivenStrategyIsKept()
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        final DaemonContext ctx =
            new DaemonContext().settings(TestDaemons.config(tempDir)).ingressIdleStrategy(idle).conclude();
        assertSame(idle, ctx.ingressIdleStrategy());
    }

    @Test
    void concludeRefusesNoSettingsAndASecondConclude()
    {
        final NullPointerException none = assertThrows(NullPointerException.class, () -> new DaemonContext().conclude());
        assertTrue(none.getMessage().startsWith("settings"), none.getMessage());

        final DaemonContext ctx = new DaemonContext().settings(TestDaemons.config(tempDir)).conclude();
        assertThrows(IllegalStateException.class, ctx::conclude);
    }

    @Test
    void theDefaultErrorHandlerRecordsEachDistinctErrorOnceWithACountAndKeepsThePreviousRunsLog()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final CachedEpochClock epochClock = new CachedEpochClock();
        epochClock.update(1_000);
        final Path file = config.dataDir().resolve(DaemonErrorLog.FILE_NAME);
        try (DaemonContext ctx = new DaemonContext().settings(config).epochClock(epochClock).conclude())
        {
            ctx.concludeErrorHandling();
            final IllegalStateException same = new IllegalStateException("disk gone");
            ctx.errorHandler().onError(same);
            epochClock.update(2_000);
            ctx.errorHandler().onError(same);
            ctx.errorHandler().onError(new IllegalArgumentException("other"));

            final List<String> read = new ArrayList<>();
            assertEquals(2, DaemonErrorLog.read(file, (count, first, last, text) ->
                read.add(count + " " + first + "-" + last + " " + text.substring(0, text.indexOf('\n')))));
            assertEquals(List.of("2 1000-2000 java.lang.IllegalStateException: disk gone",
                "1 2000-2000 java.lang.IllegalArgumentException: other"), read);
        }

        try (DaemonContext next = new DaemonContext().settings(config).conclude())
        {
            next.concludeErrorHandling();
            assertEquals(0, DaemonErrorLog.read(file, (count, first, last, text) -> {}), "a new run starts empty");
            assertEquals(2, DaemonErrorLog.read(
                config.dataDir().resolve(DaemonErrorLog.PREVIOUS_FILE_NAME), (count, first, last, text) -> {}));
        }
    }
}
