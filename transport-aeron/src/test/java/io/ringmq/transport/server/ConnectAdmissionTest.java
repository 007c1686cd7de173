package io.ringmq.transport.server;

import io.ringmq.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3: nothing bounded how fast clients connect (each Connect a session and a publication). Connects
 * over all clients are taken at ringmq.max.connects.per.second, in bursts of a second's worth; refusals are answered
 * at the same rate at most, and counted past it.
 */
class ConnectAdmissionTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String IPC = "aeron:ipc";

    private final ConnectAdmission admission = new ConnectAdmission(new ResponseChannels(16 << 20, List.of()), 2);

    @Test
    void connectsPastTheRateAreRefusedWithTheirOwnCodeAndAnsweredAtTheSameRateAtMost()
    {
        final long start = 5_000 * MS;
        assertNull(admission.admit(IPC, IPC, start));
        assertNull(admission.admit(IPC, IPC, start), "a burst of a second's worth");
        final ResponseChannels.Refusal refused = admission.admit(IPC, IPC, start);
        assertEquals(ErrorCode.TOO_MANY_CONNECTS, refused.code());
        assertTrue(refused.reason().contains("ringmq.max.connects.per.second"), refused.reason());
        assertEquals(ErrorCode.TOO_MANY_CONNECTS, admission.admit(IPC, IPC, start).code());
        assertNull(admission.admit(IPC, IPC, start).code(), "past the answer rate: counted only");
        assertEquals(3, admission.refused());
        assertEquals(1, admission.unanswered());

        assertNotNull(admission.admit(IPC, IPC, start + 499 * MS), "no token back yet");
        assertNull(admission.admit(IPC, IPC, start + 500 * MS), "a token came back after half a second");
    }

    @Test
    void aChannelTheDaemonMayNotPublishToIsNeverAnsweredAndTakesNoConnect()
    {
        final ResponseChannels.Refusal refusal =
            admission.admit("aeron:udp?endpoint=10.0.0.2:40000", "10.0.0.1:5000", 0);
        assertFalse(refusal.answered());
        assertEquals(1, admission.unanswered());
        assertNull(admission.admit(IPC, IPC, 0));
        assertNull(admission.admit(IPC, IPC, 0), "both tokens were still there");
    }

    @Test
    void noLimitTakesEveryConnectWhoseChannelIsFine()
    {
        final ConnectAdmission unlimited = new ConnectAdmission(new ResponseChannels(16 << 20, List.of()), 0);
        for (int i = 0; i < 10_000; i++)
        {
            assertNull(unlimited.admit(IPC, IPC, 0));
        }
        assertEquals(ErrorCode.RESPONSE_TERM_TOO_LARGE, unlimited.admit("aeron:ipc?term-length=1g", IPC, 0).code());
    }

    @Test
    void aBucketRefillsAtItsRateUpToASecondsWorth()
    {
        final TokenBucket bucket = new TokenBucket(1000);
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(bucket.tryTake(0), "token " + i);
        }
        assertFalse(bucket.tryTake(0));
        assertTrue(bucket.tryTake(MS));
        assertFalse(bucket.tryTake(MS));
        int taken = 0;
        while (bucket.tryTake(3_600_000 * MS)) // an hour later: full again, not more
        {
            taken++;
        }
        assertEquals(1000, taken);
    }
}
