package io.ringmq.daemon;

import org.junit.jupiter.api.Test;

import static io.ringmq.daemon.AeronDirectoryOwner.ProcessTable.GONE;
import static io.ringmq.daemon.AeronDirectoryOwner.ProcessTable.START_UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead or alive, over a process table the test writes: the process that ran the driver decides where it can, the
 * heartbeat against the driver timeout where it cannot.
 */
class AeronDirectoryOwnerTest
{
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final long TIMEOUT_MS = 10_000;
    private static final long DRIVER_PID = 4242;
    private static final long OUR_PID = 77;
    private static final long DRIVER_START_MS = NOW_MS - 60_000;
    private static final long FRESH = NOW_MS - 5;
    private static final long STALE = NOW_MS - TIMEOUT_MS - 1;
    private static final long CLOSED = -1;

    @Test
    void aDriverWhoseProcessIsGoneIsDeadThoughItsHeartbeatIsFresh()
    {
        final AeronDirectoryOwner.Verdict verdict = judge(DRIVER_PID, FRESH, GONE);
        assertFalse(verdict.alive());
        assertEquals("its process (pid 4242) is gone", verdict.reason());
    }

    @Test
    void aDriverWhoseProcessStillRunsIsAliveThoughItsHeartbeatStopped()
    {
        for (final long heartbeat : new long[]{FRESH, STALE, CLOSED})
        {
            final AeronDirectoryOwner.Verdict verdict = judge(DRIVER_PID, heartbeat, DRIVER_START_MS - 900);
            assertTrue(verdict.alive(), verdict::toString);
            assertEquals("its process (pid 4242) is running", verdict.reason());
        }
        // Start times from the OS may read up to a second or so late.
        assertTrue(judge(DRIVER_PID, STALE, DRIVER_START_MS + AeronDirectoryOwner.START_SLACK_MS).alive());
    }

    @Test
    void aPidNowHeldByALaterProcessLeavesItToTheHeartbeat()
    {
        final long laterStart = DRIVER_START_MS + AeronDirectoryOwner.START_SLACK_MS + 1;
        assertTrue(judge(DRIVER_PID, FRESH, laterStart).alive());
        final AeronDirectoryOwner.Verdict stale = judge(DRIVER_PID, STALE, laterStart);
        assertFalse(stale.alive());
        assertEquals("pid 4242 is now a process that started after the driver, and the driver's last heartbeat is " +
            "10001 ms old (driver timeout 10000 ms)", stale.reason());
        assertFalse(judge(DRIVER_PID, CLOSED, laterStart).alive());
    }

    @Test
    void aProcessWithoutAKnownStartLeavesItToTheHeartbeat()
    {
        assertTrue(judge(DRIVER_PID, FRESH, START_UNKNOWN).alive());
        assertTrue(judge(DRIVER_PID, NOW_MS - TIMEOUT_MS, START_UNKNOWN).alive());
        assertFalse(judge(DRIVER_PID, STALE, START_UNKNOWN).alive());
    }

    @Test
    void anEarlierDriverOfThisProcessIsAliveWhileItHeartbeats()
    {
        final long ourStart = DRIVER_START_MS - 1_000;
        assertTrue(judge(OUR_PID, FRESH, ourStart).alive());
        final AeronDirectoryOwner.Verdict closed = judge(OUR_PID, CLOSED, ourStart);
        assertFalse(closed.alive());
        assertEquals("an earlier driver of this process, and the driver was closed", closed.reason());
    }

    /** A container restarted with the same pid namespace: its new process has the killed one's pid. */
    @Test
    void aDriverWithThisProcesssPidThatStartedBeforeItIsDeadThoughItsHeartbeatIsFresh()
    {
        final AeronDirectoryOwner.Verdict verdict = judge(OUR_PID, FRESH, NOW_MS - 100);
        assertFalse(verdict.alive());
        assertEquals("its pid 77 is now this process, which started after that driver", verdict.reason());
    }

    private static AeronDirectoryOwner.Verdict judge(final long pid, final long heartbeatMs, final long processStart)
    {
        final AeronDirectoryOwner.ProcessTable processes = new AeronDirectoryOwner.ProcessTable()
        {
            public long startMs(final long asked)
            {
                return asked == pid ? processStart : GONE;
            }

            public long currentPid()
            {
                return OUR_PID;
            }
        };
        return new AeronDirectoryOwner(pid, DRIVER_START_MS, heartbeatMs).judge(processes, NOW_MS, TIMEOUT_MS);
    }
}
