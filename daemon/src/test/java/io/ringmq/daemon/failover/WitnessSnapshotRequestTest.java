package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.cluster.ClusterControl;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The compaction agent stepped by hand over a stepped clock, with counters standing in for the consensus module's
 * (no cluster: no snapshot is taken, so nothing reaches the archive): when it asks for a snapshot, that it does not
 * overwrite another action's toggle, and that it stops rather than read counters once its Aeron client closed.
 */
class WitnessSnapshotRequestTest
{
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tempDir;

    private final CachedNanoClock clock = new CachedNanoClock();
    private MediaDriver driver;
    private Aeron aeron;
    private Counter toggle;
    private Counter clusterSnapshots;
    private WitnessCompaction compaction;

    @BeforeEach
    void start()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(TestDaemons.aeronDir())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        toggle = aeron.addCounter(1, "control toggle");
        clusterSnapshots = aeron.addCounter(2, "snapshots");
        ClusterControl.ToggleState.activate(toggle);
        compaction = new WitnessCompaction(aeron, toggle.id(), clusterSnapshots.id(), tempDir.toFile(), null, clock,
            INTERVAL_NS, aeron.addCounter(3, "taken"), aeron.addCounter(4, "purged"));
        compaction.onStart();
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Test
    void asksForASnapshotOnceAnIntervalPassed()
    {
        compaction.doWork();
        clock.advance(INTERVAL_NS - 1);
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.NEUTRAL, ClusterControl.ToggleState.get(toggle), "not yet");

        clock.advance(1);
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(toggle));

        ClusterControl.ToggleState.reset(toggle); // the consensus module took it
        clock.advance(INTERVAL_NS - 1);
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.NEUTRAL, ClusterControl.ToggleState.get(toggle), "one an interval");
        clock.advance(1);
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(toggle));
    }

    @Test
    void leavesAnotherActionsToggleAloneAndAsksAgainSoon()
    {
        ClusterControl.ToggleState.SUSPEND.toggle(toggle); // an operator's action under way
        clock.advance(INTERVAL_NS);
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.SUSPEND, ClusterControl.ToggleState.get(toggle));

        ClusterControl.ToggleState.reset(toggle);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
        compaction.doWork();
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(toggle),
            "asked again within 100 ms, not an interval later");
    }

    @Test
    void stopsOnceItsAeronClientClosed()
    {
        aeron.close();
        assertThrows(AgentTerminationException.class, compaction::doWork);
    }
}
