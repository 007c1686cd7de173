package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JitSettleTest
{
    @Test
    void anIdleJvmSettlesAfterTheQuietPeriod()
    {
        final JitSettle.Settled settled = JitSettle.await();

        assertTrue(settled.settled(), settled::format);
        assertTrue(settled.waitedMs() >= JitSettle.QUIET_MS && settled.waitedMs() < JitSettle.MAX_WAIT_MS,
            settled::format);
        assertTrue(settled.compiledMs() >= 0, settled::format);
    }
}
