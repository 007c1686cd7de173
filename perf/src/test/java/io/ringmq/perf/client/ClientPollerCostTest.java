package io.ringmq.perf.client;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller cost harness runs every form and reports a latency row for each and the poller's rest CPU. */
class ClientPollerCostTest
{
    private static final Pattern P50 = Pattern.compile("p50 +([0-9.]+) us");

    @Test
    void reportsBothFormsAndTheRestCost()
    {
        final String report = ClientPollerCost.run(200, 4, 1, 100);
        final Matcher p50 = P50.matcher(report);
        int rows = 0;
        while (p50.find())
        {
            rows++;
            assertTrue(Double.parseDouble(p50.group(1)) > 0, report);
        }
        assertEquals(3, rows, report);
        assertTrue(report.contains("own poll loop") && report.contains("via ClientPoller.call")
            && report.contains("lone calls, 100 us apart"), report);
        assertTrue(report.matches("(?s).*poller thread at rest .*: [0-9.]+% of a core.*"), report);
    }
}
