package io.ringmq.perf.compare;

import io.ringmq.perf.Contender;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.RingmqDeployment;
import io.ringmq.perf.process.DaemonLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code perf compare --ringmq-profile FILE}: the shipped low-latency profile loads and reaches the daemon's launch. */
class RingmqProfileTest
{
    /** The perf module's tests run in perf/: the shipped profiles are in the config module's directory. */
    private static final Path LOW_LATENCY = Path.of("../config/low-latency.properties");

    @Test
    void theShippedLowLatencyProfileLoadsAndSpins()
    {
        final RingmqProfile profile = RingmqProfile.load(LOW_LATENCY);
        assertEquals("BUSY_SPIN", profile.settings().get("ringmq.idle.strategy"));
        assertEquals("2", profile.settings().get("ringmq.affinity.ring"));
        assertEquals("DEDICATED", profile.settings().get("ringmq.aeron.threading.mode"));
        assertEquals("BUSY_SPIN", profile.rawIdle("YIELDING"), "raw spins as ringmq does");
    }

    @Test
    void theProcessShapeStartsTheDaemonWithTheProfilesKeysBeforeTheRunsOwn()
    {
        final RingmqProfile profile = RingmqProfile.load(LOW_LATENCY);
        final List<String> command = profile.launcher(DaemonLauncher.thisJvm())
            .daemon(List.of("-Dringmq.data.dir=/run/own")).command();
        final int ring = command.indexOf("-Dringmq.affinity.ring=2");
        assertTrue(ring >= 0, command::toString);
        assertTrue(command.indexOf("-Dringmq.idle.strategy=BUSY_SPIN") >= 0, command::toString);
        assertTrue(ring < command.indexOf("-Dringmq.data.dir=/run/own"), "the run's own directories come last");

        final CompareOptions options = CompareOptions.parse(new String[] {"--tiny", "--shape", "process",
            "--ringmq-profile", LOW_LATENCY.toString()});
        final RingmqDeployment process = options.deployments().get(0);
        assertTrue(process.describe().contains("with the profile " + LOW_LATENCY), process.describe());
        final Contender daemonProcess = PerfCompare.shapeContenders(options, List.of(), false).stream()
            .filter((contender) -> contender.name().equals(process.system())).findFirst().orElseThrow();
        final String setup = daemonProcess.setup(FsyncMode.NONE);
        assertTrue(setup.contains("with the profile " + LOW_LATENCY),
            "the throughput and open-loop phases' daemon has the profile too: " + setup);
    }

    @Test
    void aProfileWithAKeyTheDaemonRefusesIsRefusedWhenLoaded(@TempDir final Path dir) throws Exception
    {
        final Path bad = Files.writeString(dir.resolve("bad.properties"), "ringmq.affinity.ring=3-1\n");
        final IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> RingmqProfile.load(bad));
        assertTrue(refused.getMessage().startsWith("--ringmq-profile " + bad + ":\nringmq.affinity.ring=3-1 is invalid"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains(bad.toString()), "names the file: " + refused.getMessage());
        assertEquals("YIELDING", new RingmqProfile(bad, Map.of()).rawIdle("YIELDING"),
            "a profile without an idle strategy leaves raw's alone");
    }
}
