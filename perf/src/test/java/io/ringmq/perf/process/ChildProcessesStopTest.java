package io.ringmq.perf.process;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.Progress;
import io.ringmq.perf.RingmqDeployment;
import io.ringmq.perf.RingmqLatencyHarness;
import io.ringmq.perf.artemis.ArtemisOneAtATime;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A phase that fails leaves no server process behind: the daemon and the Artemis broker a harness started are
 * stopped whether the phase ends well or not. Each phase here is made to fail for certain: ten million publishes, one
 * at a time, cannot finish within its one-second limit.
 */
class ChildProcessesStopTest
{
    private static final LatencyWorkload CANNOT_FINISH = new LatencyWorkload(1, 10_000_000, 0, 100, FsyncMode.NONE, 1);

    @Test
    void aFailedRingmqPhaseStopsTheDaemonProcess()
    {
        assertThrows(IllegalStateException.class, () -> RingmqLatencyHarness.runOneAtATime(CANNOT_FINISH, Map.of(),
            RingmqDeployment.process(DaemonLauncher.thisJvm()), Progress.silent()));
        assertNoChildProcess();
    }

    @Test
    void aFailedArtemisPhaseStopsTheBrokerProcess()
    {
        assertThrows(IllegalStateException.class, () -> ArtemisOneAtATime.run(CANNOT_FINISH, Progress.silent()));
        assertNoChildProcess();
    }

    @Test
    void aDaemonThatCannotStartIsStoppedAndItsErrorShown()
    {
        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> DaemonProcess.launch(
            DaemonLauncher.thisJvm(), Map.of("ringmq.ring.size", "1000"), List.of(), TimeUnit.SECONDS.toNanos(120)));
        assertTrue(failure.getMessage().contains("ringmq.ring.size"), "the daemon's own error: " + failure);
        assertNoChildProcess();
    }

    private static void assertNoChildProcess()
    {
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList());
    }
}
