package io.ringmq.perf.compare;

import io.ringmq.perf.CatchUpRate;
import io.ringmq.perf.DeviceFlushCost;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.OneAtATimeResult;
import io.ringmq.perf.ThroughputFigures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything one comparison measured, in the order it ran, for the report and the plots. */
final class CompareResults
{
    final CompareMode mode;
    /** The fsync settings run, each a section of the report: the mode's, or those asked for. */
    final List<FsyncMode> fsyncs;
    /** The open-loop rate of each fsync setting's latency phases. */
    final Map<FsyncMode, Long> rates;
    final int payloadBytes;
    final String machine;
    final String startedAt;
    final List<ThroughputFigures> throughput = new ArrayList<>();
    final List<LatencyResult> latency = new ArrayList<>();
    final List<LatencyResult> pingPong = new ArrayList<>();
    /** Request/reply round trips through each system's own request/reply API (ringmq, Artemis). */
    final List<LatencyResult> requestReply = new ArrayList<>();
    /** One-at-a-time publishing (each publish waits for its receipt), every system and shape run. */
    final List<OneAtATimeResult> oneAtATime = new ArrayList<>();
    /** The cost of one device flush on this disk, the floor beside the one-at-a-time rows; null if not measured. */
    DeviceFlushCost flushFloor;
    /** ringmq with replication off and in each ack mode ({@code --replication}); empty when not run. */
    final List<ReplicationRows.Row> replication = new ArrayList<>();
    /** The fault suite's failover times ({@code --failover DIR}); empty when not asked for. */
    final List<FailoverSection.Row> failover = new ArrayList<>();
    /** The catch-up rate of a standby started behind; null when not run. */
    CatchUpRate catchUp;
    /** "system|fsync" → how it was set up. */
    final Map<String, String> setups = new LinkedHashMap<>();
    double loadAtEnd;
    long elapsedNs;

    CompareResults(
        final CompareMode mode, final List<FsyncMode> fsyncs, final Map<FsyncMode, Long> rates,
        final int payloadBytes, final String machine, final String startedAt)
    {
        this.mode = mode;
        this.fsyncs = fsyncs;
        this.rates = rates;
        this.payloadBytes = payloadBytes;
        this.machine = machine;
        this.startedAt = startedAt;
    }

    /** The common 1 producer / 1 consumer pass of a system, which the targets compare. */
    Optional<ThroughputFigures> throughput(final String system, final FsyncMode fsync)
    {
        return throughput(system, fsync, "1P/1C");
    }

    /** A system's pass of one shape ("2P/2C"), which the ratio column compares with ringmq's of the same shape. */
    Optional<ThroughputFigures> throughput(final String system, final FsyncMode fsync, final String shape)
    {
        return throughput.stream()
            .filter((figures) -> figures.system().equals(system) && figures.workload().fsync() == fsync &&
                figures.workload().shape().equals(shape))
            .findFirst();
    }

    Optional<LatencyResult> latency(final String system, final FsyncMode fsync)
    {
        return find(latency, system, fsync);
    }

    Optional<LatencyResult> pingPong(final String system, final FsyncMode fsync)
    {
        return find(pingPong, system, fsync);
    }

    Optional<LatencyResult> requestReply(final String system, final FsyncMode fsync)
    {
        return find(requestReply, system, fsync);
    }

    private static Optional<LatencyResult> find(
        final List<LatencyResult> results, final String system, final FsyncMode fsync)
    {
        return results.stream()
            .filter((result) -> result.system().equals(system) && result.fsync() == fsync)
            .findFirst();
    }

    List<LatencyResult> pingPongs(final FsyncMode fsync)
    {
        return pingPong.stream().filter((result) -> result.fsync() == fsync).toList();
    }

    List<OneAtATimeResult> oneAtATime(final FsyncMode fsync)
    {
        return oneAtATime.stream().filter((result) -> result.fsync() == fsync).toList();
    }

    Optional<OneAtATimeResult> oneAtATime(final String system, final FsyncMode fsync)
    {
        return oneAtATime(fsync).stream().filter((result) -> result.system().equals(system)).findFirst();
    }

    List<LatencyResult> latency(final FsyncMode fsync)
    {
        return latency.stream().filter((result) -> result.fsync() == fsync).toList();
    }
}
