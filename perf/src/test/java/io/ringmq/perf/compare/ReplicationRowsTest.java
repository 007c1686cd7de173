package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.Progress;
import io.ringmq.perf.RingmqDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code perf compare --tiny --replication} (ringmq only, no other phase): the replication section has
 * a row for replication off and each ack mode, the journaled target and the catch-up rate, and a histogram per row.
 * It asserts nothing about speed.
 */
class ReplicationRowsTest
{
    @Test
    void tinyRunWritesARowPerAckModeAndTheCatchUpRate(@TempDir final Path outRoot) throws Exception
    {
        final PerfCompare.Outcome outcome = PerfCompare.run(new CompareOptions(CompareMode.TINY, outRoot, 5_000,
                1_000, 100, List.of("ringmq"), "YIELDING", 120, 1, 1, List.of(FsyncMode.NONE), false, false,
                List.of(RingmqDeployment.IN_PROCESS), null, true, null),
            Progress.silent(), new PrintStream(OutputStream.nullOutputStream()));

        final String report = Files.readString(outcome.report());
        assertTrue(report.contains("## Replication (issue 13)"), report);
        for (final String mode : ReplicationRows.MODES)
        {
            assertEquals(1, report.lines().filter((line) -> line.matches("\\| " + mode + " \\| [\\d,]+ \\| .*"))
                .count(), "a row for replication " + mode + "\n" + report);
            assertTrue(Files.exists(outcome.directory().resolve("ringmq-replication-" + mode + "-receipt.hlog")) ||
                Files.list(outcome.directory()).anyMatch((file) -> file.getFileName().toString()
                    .startsWith("ringmq-replication-" + mode)), "a histogram for " + mode);
        }
        assertTrue(report.contains("- target: `journaled` adds at most one loopback round trip + 20 µs"), report);
        assertTrue(report.lines().anyMatch((line) -> line.startsWith("- catch-up: a standby ") &&
            line.matches(".*target at least 5x: \\*\\*(met|not met)\\*\\*")), report);
    }
}
