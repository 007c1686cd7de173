package io.ringmq.perf;

import java.util.Map;

/**
 * ringmq as a {@link Contender}: the in-process daemon with its defaults, except the journal fsync, which follows
 * the workload; throughput through {@link IpcThroughputHarness} (the workload's producers and consumers), latency
 * through {@link RingmqLatencyHarness}.
 */
public final class RingmqContender implements Contender
{
    private final Map<String, String> settings;

    /** @param settings daemon keys for every run (over {@code -Dringmq.*}), e.g. a smaller IPC term for tests. */
    public RingmqContender(final Map<String, String> settings)
    {
        this.settings = Map.copyOf(settings);
    }

    public String name()
    {
        return "ringmq";
    }

    public String setup(final FsyncMode fsync)
    {
        return "daemon in-process, Aeron IPC, Disruptor ring (journal → dispatch; no standby, so no replicator), Chronicle Queue " +
            "journal, ringmq.journal.fsync=" + fsync + ", clients yielding, each on its own thread; throughput " +
            "consumers prefetch " + HarnessContext.PREFETCH_DEFAULT + " and, N x M, compete in one group";
    }

    public ThroughputFigures throughput(final ThroughputWorkload workload, final Progress progress)
    {
        final HarnessContext ctx = new HarnessContext()
            .messages(workload.messages())
            .warmupMessages(workload.warmupMessages())
            .payloadBytes(workload.payloadBytes())
            .window(workload.window())
            .producers(workload.producers())
            .consumers(workload.consumers())
            .timeoutS(workload.timeoutS())
            .progress(progress)
            .daemonSetting("ringmq.journal.fsync", workload.fsync().name());
        settings.forEach(ctx::daemonSetting);
        final String termLength = settings.get(HarnessContext.IPC_TERM_LENGTH_PROP);
        if (null != termLength)
        {
            ctx.ipcTermLength(termLength);
        }
        return IpcThroughputHarness.run(ctx).figures();
    }

    public LatencyResult latency(final LatencyWorkload workload, final Progress progress)
    {
        return RingmqLatencyHarness.runOpenLoop(workload, settings, progress);
    }
}
