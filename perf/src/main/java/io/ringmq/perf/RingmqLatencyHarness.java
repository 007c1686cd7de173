package io.ringmq.perf;

import io.ringmq.client.RingmqClient;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * ringmq's latency workloads, through the whole daemon in this process (see {@link InProcessDaemon}; the open loop,
 * ping-pong and one-at-a-time publishing also with the daemon as its own process, see {@link RingmqDeployment}), with the
 * producer and the consumer each on its own thread and client:
 * <ul>
 *   <li>{@link #runOpenLoop open loop}: {@link OpenLoopPublisher} at a fixed rate → daemon → {@link LatencyConsumer};
 *   publish→deliver and publish→receipt from each message's intended send time.</li>
 *   <li>{@link #runPingPong ping-pong}: {@link PingRequester} publishes to {@code ping}, {@link PingResponder}
 *   republishes to {@code pong}; the round trip of one message at a time.</li>
 *   <li>{@link #runRequestReply request/reply}: {@link RequestReplyRequester} sends requests to {@code perf-requests}
 *   with the client's {@code Requester}, {@link EchoReplier} answers each through {@code client.replier}; the reply
 *   comes back to the requester's session. One in flight.</li>
 *   <li>{@link #runOneAtATime one at a time}: {@link OneAtATimePublisher}, {@code publishAndWait} in a loop.</li>
 * </ul>
 * The daemon's journal fsync is the workload's {@link FsyncMode} ({@code ringmq.journal.fsync}); other daemon keys
 * come from {@code -Dringmq.*} or the settings given. Client threads idle by yielding (never busy-spin on 2 cores).
 */
public final class RingmqLatencyHarness
{
    static final String QUEUE = "perf-latency";
    static final String PING_QUEUE = "perf-ping";
    static final String PONG_QUEUE = "perf-pong";
    static final String REQUEST_QUEUE = "perf-requests";
    static final int PREFETCH = 1024;
    private static final long JOIN_GRACE_S = 30;

    private RingmqLatencyHarness()
    {
    }

    /** The daemon settings for a workload: its fsync over the given settings. */
    static Map<String, String> settings(final LatencyWorkload workload, final Map<String, String> settings)
    {
        final Map<String, String> values = new HashMap<>(settings);
        values.put("ringmq.journal.fsync", workload.fsync().name());
        return values;
    }

    public static LatencyResult runOpenLoop(
        final LatencyWorkload workload, final Map<String, String> settings, final Progress progress)
    {
        return runOpenLoop(workload, settings, RingmqDeployment.inProcess(), progress);
    }

    /**
     * The open loop with the daemon where the deployment puts it; the result's system is the deployment's. The
     * daemon's hot-path allocation is counted in this JVM only: a daemon process's threads are not visible here.
     */
    public static LatencyResult runOpenLoop(
        final LatencyWorkload workload, final Map<String, String> settings, final RingmqDeployment deployment,
        final Progress progress)
    {
        try (RingmqServer server = deployment.launch(settings(workload, settings));
            ClientThread consumerThread = new ClientThread("perf-consumer",
                deployment.clientContext(server, "perf-consumer"), workload.timeoutS());
            ClientThread producerThread = new ClientThread("perf-producer",
                deployment.clientContext(server, "perf-producer"), workload.timeoutS()))
        {
            final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
            final LatencyRecorder recorder = new LatencyRecorder(workload.warmupMessages());
            final OpenLoopSchedule schedule = new OpenLoopSchedule(workload.ratePerSecond());
            final long startMs = System.currentTimeMillis();
            final Future<?> consumed = consumerThread.submit(new LatencyConsumer(control,
                deployment.loopIdleStrategy(), QUEUE, workload.totalMessages(), PREFETCH, recorder, progress));
            final Future<?> produced = producerThread.submit(new OpenLoopPublisher(control,
                deployment.loopIdleStrategy(), QUEUE, workload, schedule, recorder));
            final HotPathAllocation allocation = deployment.isProcess() ? null : HotPathAllocation.ofRunningDaemon();
            awaitWarmUp(recorder, consumed, control);
            final long allocatedBeforeBytes = null == allocation ? 0 : allocation.allocatedBytes();
            await(consumed, control, workload);
            final HotPathAllocation.Measured allocated = null == allocation ? null : new HotPathAllocation.Measured(
                allocation.allocatedBytes() - allocatedBeforeBytes, workload.messages());
            await(produced, control, workload);
            requireSuccess(control, deployment.system() + " open-loop run");
            return new LatencyResult(deployment.system(), workload.describe(), workload.fsync(), false,
                recorder.deliverNs(), recorder.receiptNs(), startMs, System.currentTimeMillis(), allocated);
        }
    }

    public static LatencyResult runPingPong(
        final LatencyWorkload workload, final Map<String, String> settings, final Progress progress)
    {
        return runPingPong(workload, settings, RingmqDeployment.inProcess(), progress);
    }

    /** Ping-pong with the daemon where the deployment puts it; the result's system is the deployment's. */
    public static LatencyResult runPingPong(
        final LatencyWorkload workload, final Map<String, String> settings, final RingmqDeployment deployment,
        final Progress progress)
    {
        return runRoundTrips(workload, settings, deployment, "ping-pong", workload.describePingPong(),
            (control) -> new PingResponder(control, deployment.loopIdleStrategy(), PING_QUEUE, PONG_QUEUE, workload),
            (control, rttNs) -> new PingRequester(control, deployment.loopIdleStrategy(), PING_QUEUE, PONG_QUEUE,
                workload, rttNs, progress));
    }

    public static LatencyResult runRequestReply(
        final LatencyWorkload workload, final Map<String, String> settings, final Progress progress)
    {
        final RingmqDeployment deployment = RingmqDeployment.inProcess();
        return runRoundTrips(workload, settings, deployment, "request/reply", workload.describeRequestReply(),
            (control) -> new EchoReplier(control, new YieldingIdleStrategy(), REQUEST_QUEUE, workload),
            (control, rttNs) -> new RequestReplyRequester(control, new YieldingIdleStrategy(), REQUEST_QUEUE,
                workload, rttNs, progress));
    }

    /**
     * One client publishing one at a time ({@link OneAtATimePublisher}: {@code publishAndWait} in a loop) to a queue
     * nobody consumes, with the daemon where the deployment puts it.
     */
    public static OneAtATimeResult runOneAtATime(
        final LatencyWorkload workload, final Map<String, String> settings, final RingmqDeployment deployment,
        final Progress progress)
    {
        try (RingmqServer server = deployment.launch(settings(workload, settings));
            ClientThread publisherThread = new ClientThread("perf-publisher",
                deployment.clientContext(server, "perf-publisher"), workload.timeoutS()))
        {
            final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
            final OneAtATimeRecorder recorder = new OneAtATimeRecorder(workload);
            await(publisherThread.submit(new OneAtATimePublisher(control, QUEUE, workload, recorder, progress)),
                control, workload);
            requireSuccess(control, deployment.system() + " one-at-a-time run");
            return recorder.result(deployment.system(), OneAtATimeResult.describe(workload, "publishAndWait"),
                workload.fsync());
        }
    }

    /** One in flight between an asking client and an answering one, each on its own thread, round trips recorded. */
    private static LatencyResult runRoundTrips(
        final LatencyWorkload workload, final Map<String, String> settings, final RingmqDeployment deployment,
        final String name, final String description, final Function<PassControl, Consumer<RingmqClient>> answering,
        final BiFunction<PassControl, Histogram, Consumer<RingmqClient>> asking)
    {
        try (RingmqServer server = deployment.launch(settings(workload, settings));
            ClientThread answeringThread = new ClientThread("perf-responder",
                deployment.clientContext(server, "perf-responder"), workload.timeoutS());
            ClientThread askingThread = new ClientThread("perf-requester",
                deployment.clientContext(server, "perf-requester"), workload.timeoutS()))
        {
            final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
            final Histogram rttNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
            final long startMs = System.currentTimeMillis();
            final Future<?> answered = answeringThread.submit(answering.apply(control));
            final Future<?> asked = askingThread.submit(asking.apply(control, rttNs));
            await(asked, control, workload);
            await(answered, control, workload);
            requireSuccess(control, deployment.system() + " " + name + " run");
            return new LatencyResult(deployment.system(), description, workload.fsync(), true, rttNs, null,
                startMs, System.currentTimeMillis(), null);
        }
    }

    /**
     * Waits until the warm-up messages have been delivered (or the consumer stopped, or the pass's deadline passed),
     * looking every millisecond: off the measured threads, so its own timing does not matter.
     */
    private static void awaitWarmUp(final LatencyRecorder recorder, final Future<?> consumed, final PassControl control)
    {
        while (!recorder.isWarmedUp() && !consumed.isDone() && !control.isAborted() &&
            !control.isPastDeadline(System.nanoTime()))
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    static void await(final Future<?> task, final PassControl control, final LatencyWorkload workload)
    {
        try
        {
            ClientThread.await(task, workload.timeoutS() + JOIN_GRACE_S);
        }
        catch (final IllegalStateException ex)
        {
            control.fail(ex);
        }
    }

    static void requireSuccess(final PassControl control, final String what)
    {
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException(what + " failed: " + failure.getMessage(), failure);
        }
    }
}
