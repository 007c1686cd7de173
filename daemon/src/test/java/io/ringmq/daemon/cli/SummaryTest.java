package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryTest
{
    @Test
    void countsElapsedAndRateInOneLine()
    {
        assertEquals("ringmq: published 3,000 messages in 1,500 ms (2,000 msg/s)",
            Summary.line("published", 3_000, TimeUnit.MILLISECONDS.toNanos(1_500)));
    }

    @Test
    void oneMessageIsOneMessage()
    {
        assertEquals("ringmq: consumed 1 message in 250 ms (4 msg/s)",
            Summary.line("consumed", 1, TimeUnit.MILLISECONDS.toNanos(250)));
    }
}
