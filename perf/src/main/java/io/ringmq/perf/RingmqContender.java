package io.ringmq.perf;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * ringmq as a {@link Contender}: the in-process daemon with its defaults, except the journal fsync, which follows
 * the workload; throughput through {@link IpcThroughputHarness} (the workload's producers and consumers), latency
 * through {@link RingmqLatencyHarness}. {@link #process} is the deployment shape's ringmq ({@code ringmq-process}): the
 * daemon as its own process with its defaults, for the throughput passes and the open loop.
 */
public final class RingmqContender implements Contender
{
    private final Map<String, String> settings;
    private final RingmqDeployment deployment;

    /** @param settings daemon keys for every run (over {@code -Dringmq.*}), e.g. a smaller IPC term for tests. */
    public RingmqContender(final Map<String, String> settings)
    {
        this(settings, RingmqDeployment.inProcess());
    }

    private RingmqContender(final Map<String, String> settings, final RingmqDeployment deployment)
    {
        this.settings = Map.copyOf(settings);
        this.deployment = deployment;
    }

    /** ringmq in the deployment shape: the daemon's defaults, only the journal fsync set by the workload. */
    public static RingmqContender process(final RingmqDeployment deployment)
    {
        if (!deployment.isProcess())
        {
            throw new IllegalArgumentException("the process shape needs a deployment that starts a process");
        }
        return new RingmqContender(Map.of(), deployment);
    }

    public String name()
    {
        return deployment.system();
    }

    public String setup(final FsyncMode fsync)
    {
        if (deployment.isProcess())
        {
            return deployment.describe() + "; ringmq.journal.fsync=" + fsync + "; each producer and consumer a " +
                "client and a thread of its own, consumers prefetch " + HarnessContext.PREFETCH_DEFAULT +
                ", acks in the handler (one AckBatch per poll)";
        }
        return "daemon in-process, Aeron IPC, Disruptor ring (journal → dispatch; no standby, so no replicator), Chronicle Queue " +
            "journal, ringmq.journal.fsync=" + fsync + ", clients yielding, each on its own thread; throughput " +
            "consumers prefetch " + HarnessContext.PREFETCH_DEFAULT + " and, N x M, compete in one group";
    }

    public String latencySetup(final FsyncMode fsync)
    {
        return deployment.isProcess() ? deployment.describe() + "; ringmq.journal.fsync=" + fsync + "; one " +
            "publisher on the open-loop schedule and one consumer (prefetch " + RingmqLatencyHarness.PREFETCH +
            ", acks after each poll), each a client and a thread of its own" : setup(fsync);
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
        return IpcThroughputHarness.run(ctx, deployment, new PrintStream(OutputStream.nullOutputStream())).figures();
    }

    /** The open loop; in the process shape against a daemon process with its defaults (only the fsync set). */
    public LatencyResult latency(final LatencyWorkload workload, final Progress progress)
    {
        return RingmqLatencyHarness.runOpenLoop(workload, settings, deployment, progress);
    }
}
