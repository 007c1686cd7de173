package io.ringmq.daemon.cli;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StopSignalsTest
{
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Integer> forced = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final CachedNanoClock clock = new CachedNanoClock();

    @Test
    void theFirstSignalStopsGracefullyAndASecondLaterForcesTheExit()
    {
        final StopSignals signals = new StopSignals(stop, forced::add, clock, List.of(), 1);

        signals.onSignal("TERM", 15);
        assertEquals(0, stop.getCount(), "the first signal starts the graceful stop");
        assertEquals(List.of(), forced);
        assertEquals("SIGTERM", signals.firstSignal());
        assertEquals(143, signals.exitCode(), "a command stopped by the first signal exits 128 + its number");

        clock.advance(StopSignals.REPEAT_AFTER_NS);
        signals.onSignal("INT", 2);
        assertEquals(List.of(130), forced, "the second forces the exit, with 128 + its number");
    }

    @Test
    void signalsSentTogetherAreOneStopRequest()
    {
        // GNU timeout: SIGTERM to the child, then to its process group, microseconds apart.
        final StopSignals signals = new StopSignals(stop, forced::add, clock, List.of(), 1);
        clock.update(1_000_000_000L);

        signals.onSignal("TERM", 15);
        clock.advance(20_000);
        signals.onSignal("TERM", 15);
        clock.advance(StopSignals.REPEAT_AFTER_NS - 20_000 - 1);
        signals.onSignal("TERM", 15);

        assertEquals(List.of(), forced, "the same signal within the window is part of the first request");
        assertEquals(0, stop.getCount());
        assertEquals(143, signals.exitCode(), "the first signal names the exit");

        clock.advance(1);
        signals.onSignal("TERM", 15);
        assertEquals(List.of(143), forced, "one at the window's end forces");
    }

    @Test
    void anotherSignalRightAfterTheFirstIsASecondRequest()
    {
        // Ctrl-C after a SIGTERM, however soon: someone asked again.
        final StopSignals signals = new StopSignals(stop, forced::add, clock, List.of(), 1);
        signals.onSignal("TERM", 15);
        clock.advance(20_000);
        signals.onSignal("INT", 2);
        assertEquals(List.of(130), forced);
    }

    @Test
    void aForcedExitClosesWhatRegisteredFirst()
    {
        final StopSignals signals = new StopSignals(stop, (status) -> events.add("exit " + status), clock,
            List.of(() -> events.add("closed")), 60_000);

        signals.onSignal("INT", 2);
        clock.advance(StopSignals.REPEAT_AFTER_NS);
        signals.onSignal("INT", 2);

        assertEquals(List.of("closed", "exit 130"), events);
    }

    @Test
    void aCloseThatHangsDoesNotHoldTheForcedExit()
    {
        final CountDownLatch never = new CountDownLatch(1);
        final StopSignals signals = new StopSignals(stop, forced::add, clock, List.of(never::await), 1);

        signals.onSignal("TERM", 15);
        clock.advance(StopSignals.REPEAT_AFTER_NS);
        signals.onSignal("TERM", 15);

        assertEquals(List.of(143), forced, "the exit goes ahead once the wait for the close is over");
        never.countDown();
    }
}
