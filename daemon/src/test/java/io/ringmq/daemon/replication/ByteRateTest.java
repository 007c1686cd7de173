package io.ringmq.daemon.replication;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catch-up rate bound, on a clock the test moves. */
class ByteRateTest
{
    private long nowNs;
    private final ByteRate rate = new ByteRate(1_000_000_000, () -> nowNs); // 1 GB/s: a byte per nanosecond

    @Test
    void whatWasSentIsPaidForBeforeMoreGoes()
    {
        nowNs += 1_000; // a microsecond: 1,000 bytes' worth
        assertTrue(rate.mayAcquire());
        rate.spent(10_000); // one batch overdraws
        nowNs += 8_999;
        assertFalse(rate.mayAcquire(), "still a byte in debt");
        nowNs += 2;
        assertTrue(rate.mayAcquire(), "paid off");
    }

    @Test
    void aLongIdleAllowsABurstOfAtMostATwentiethOfASecond()
    {
        nowNs += 10_000_000_000L; // ten seconds idle
        assertTrue(rate.mayAcquire());
        rate.spent(50_000_000); // the bucket: 50 MB, not ten seconds' worth
        assertFalse(rate.mayAcquire());
        nowNs += 1;
        assertTrue(rate.mayAcquire());
    }
}
