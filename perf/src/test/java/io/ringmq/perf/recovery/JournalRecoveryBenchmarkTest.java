package io.ringmq.perf.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Smoke test: the benchmark writes and replays a small journal, every record. Nothing about speed. */
class JournalRecoveryBenchmarkTest
{
    @TempDir
    Path dir;

    @Test
    void writesThenReplaysEveryRecordIntoAFreshStateMachineEachPass()
    {
        final RecoveryContext ctx = new RecoveryContext().dir(dir).commands(5_000).payloadBytes(100).passes(2)
            .conclude();
        assertEquals(5_002, JournalRecoveryBenchmark.write(ctx), "node start, connect, the publishes");

        final List<JournalRecoveryBenchmark.Pass> passes = JournalRecoveryBenchmark.replay(ctx);
        assertEquals(2, passes.size());
        for (final JournalRecoveryBenchmark.Pass pass : passes)
        {
            assertEquals(5_002, pass.records());
            assertEquals(5_002, pass.lastLogSequence());
        }
    }

    @Test
    void optionsParseAndBadOnesAreRefused()
    {
        final RecoveryContext ctx = new RecoveryContext()
            .parse(new String[]{"--commands", "1_000", "--phase", "replay", "--passes", "3"}).conclude();
        assertEquals(1_000, ctx.commands());
        assertEquals(RecoveryContext.Phase.REPLAY, ctx.phase());
        assertEquals(3, ctx.passes());
        assertThrows(IllegalArgumentException.class, () -> new RecoveryContext().parse(new String[]{"--nope", "1"}));
        assertThrows(IllegalArgumentException.class, () -> new RecoveryContext().passes(0).conclude());
        assertThrows(IllegalStateException.class,
            () -> JournalRecoveryBenchmark.replay(new RecoveryContext().dir(dir.resolve("none"))));
    }
}
