package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StopSignalsTest
{
    @Test
    void theFirstSignalStopsGracefullyAndTheSecondForcesTheExit()
    {
        final CountDownLatch stop = new CountDownLatch(1);
        final List<Integer> forced = new ArrayList<>();
        final StopSignals signals = new StopSignals(stop, forced::add);

        signals.onSignal("TERM", 15);
        assertEquals(0, stop.getCount(), "the first signal starts the graceful stop");
        assertEquals(List.of(), forced);
        assertEquals("SIGTERM", signals.firstSignal());
        assertEquals(143, signals.exitCode(), "a command stopped by the first signal exits 128 + its number");

        signals.onSignal("INT", 2);
        assertEquals(List.of(130), forced, "the second forces the exit, with 128 + its number");
    }
}
