package io.ringmq.perf;

/**
 * A system the comparison runs: ringmq, the raw Aeron+Chronicle limit, or ActiveMQ Artemis. Each run starts the
 * system fresh (new data and Aeron directories), runs one workload and stops it, so runs do not see each other's
 * state.
 */
public interface Contender
{
    /** Short name used in tables and file names: "ringmq", "raw", "artemis". */
    String name();

    /** One line on how the system is set up (threads, journal, matched settings). */
    String setup(FsyncMode fsync);

    /** How the open-loop run is set up, where it differs from {@link #setup}. */
    default String latencySetup(final FsyncMode fsync)
    {
        return setup(fsync);
    }

    ThroughputFigures throughput(ThroughputWorkload workload, Progress progress);

    LatencyResult latency(LatencyWorkload workload, Progress progress);
}
