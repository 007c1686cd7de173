package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitSettleTest
{
    /**
     * A clock that sleeping moves, a compiler that finishes 10 ms of work at each poll until {@code busyUntilMs}, and
     * one compilation that runs, finishing nothing, until {@code runningUntilMs}.
     */
    private static final class FakeJit
    {
        private final long busyUntilMs;
        private final long runningUntilMs;
        private long nowMs;
        private long compiledMs;

        FakeJit(final long busyUntilMs)
        {
            this(busyUntilMs, 0);
        }

        FakeJit(final long busyUntilMs, final long runningUntilMs)
        {
            this.busyUntilMs = busyUntilMs;
            this.runningUntilMs = runningUntilMs;
        }

        JitSettle.Settled await()
        {
            return JitSettle.await(() -> compiledMs, () -> nowMs < runningUntilMs,
                () -> TimeUnit.MILLISECONDS.toNanos(nowMs), (ms) ->
            {
                nowMs += ms;
                if (nowMs <= busyUntilMs)
                {
                    compiledMs += 10;
                }
            });
        }
    }

    @Test
    void waitsUntilNoCompilationHasFinishedForTheQuietPeriod()
    {
        final JitSettle.Settled settled = new FakeJit(1_200).await();

        assertTrue(settled.settled(), settled::format);
        assertEquals(1_200 + JitSettle.QUIET_MS, settled.waitedMs(), settled::format);
        assertEquals(1_200 / JitSettle.POLL_MS * 10, settled.compiledMs(), settled::format);
    }

    @Test
    void aLongCompilationStillRunningIsWaitedFor()
    {
        final JitSettle.Settled settled = new FakeJit(200, 3_000).await();

        assertTrue(settled.settled(), settled::format);
        assertEquals(3_000, settled.waitedMs(), settled::format);
    }

    @Test
    void anIdleJitSettlesAfterTheQuietPeriodAlone()
    {
        final JitSettle.Settled settled = new FakeJit(0).await();

        assertTrue(settled.settled(), settled::format);
        assertEquals(JitSettle.QUIET_MS, settled.waitedMs());
        assertEquals(0, settled.compiledMs());
    }

    @Test
    void aJitThatNeverStopsIsLeftAtTheLongestWait()
    {
        final JitSettle.Settled settled = new FakeJit(Long.MAX_VALUE).await();

        assertFalse(settled.settled(), settled::format);
        assertEquals(JitSettle.MAX_WAIT_MS, settled.waitedMs());
        assertTrue(settled.format().contains("still compiling"), settled::format);
    }

    @Test
    void thisJvmSettles()
    {
        final JitSettle.Settled settled = JitSettle.await();

        assertTrue(settled.settled(), settled::format);
    }
}
