package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idle daemon with a delivery in flight writes nothing to its journal until the delivery's deadline comes, then
 * one tick that times it out: time passes on a stepped clock, and the test waits for the ingress to have seen each
 * step (its duty cycle reads the clock) instead of sleeping.
 */
class IdleJournalEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int STEPS = 200;
    private static final long STEP_MS = 100;

    @TempDir
    Path tempDir;

    @Test
    void aFarDeadlineCostsNoJournalWhileIdleAndStillTimesOutWhenItComes()
    {
        final SteppedClock clock = new SteppedClock();
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.queue.visibility.timeout", "600s"));
        final List<String> seen = new ArrayList<>();
        final long idleFromNs;
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
             RingmqClient client = TestDaemons.connect(config))
        {
            client.consumer("slow", "g", (d) -> seen.add(d.sequence() + "/" + d.attempt())); // never acks
            client.publisher("slow").publishAndWait("x");
            pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the first delivery");
            idleFromNs = clock.nanoTime();

            for (int i = 0; i < STEPS; i++) // 20 s of idle time, a tick interval and more between steps
            {
                clock.advanceMs(STEP_MS);
                final long reads = clock.reads();
                pollUntil(client, () -> clock.reads() >= reads + 2, TIMEOUT_MS, "a duty cycle of the ingress");
            }
            assertEquals(List.of("1/1"), seen);

            clock.advanceMs(600_000 - STEPS * STEP_MS);
            pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "the redelivery once the deadline came");
            assertEquals(List.of("1/1", "1/2"), seen);
        }

        // Ticks before are none of this test's business (a response that waited for a new client's stream to connect).
        final List<Long> ticksWhileIdle = new ArrayList<>();
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            final long timestampNs = CommandHeader.timestampNs(buffer, offset);
            if (TickDecoder.TEMPLATE_ID == FrameValidator.templateId(buffer, offset + CommandHeader.LENGTH) &&
                timestampNs > idleFromNs)
            {
                ticksWhileIdle.add(TimeUnit.NANOSECONDS.toMillis(timestampNs - idleFromNs));
            }
        });
        assertEquals(List.of(600_000L), ticksWhileIdle, "ms after the delivery that ticks were journaled at: only " +
            "one, that timed the delivery out");
    }
}
