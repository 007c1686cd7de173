package io.ringmq.perf;

import io.ringmq.config.CpuList;
import io.ringmq.daemon.ThreadAffinity;

import java.util.concurrent.ThreadFactory;

/**
 * Where the harnesses' own threads run, for a comparison with the daemon's threads pinned (the low-latency profile):
 * {@code -Dperf.client.cpus=LIST} pins the client threads (ringmq's {@link ClientThread}s, the raw ping-pong's
 * requester and responder), {@code -Dperf.raw.broker.cpus=LIST} the raw pipeline's broker thread, each thread taking
 * the next CPU listed. Unset: not pinned, as before. Read once, at the first thread made.
 */
public final class PerfPinning
{
    public static final String CLIENT_CPUS = "perf.client.cpus";
    public static final String RAW_BROKER_CPUS = "perf.raw.broker.cpus";

    private PerfPinning()
    {
    }

    /** A client thread of that name, pinned to the next of {@code perf.client.cpus} if set. */
    public static Thread clientThread(final Runnable runnable, final String name)
    {
        final Thread thread = Factories.CLIENTS.newThread(runnable);
        thread.setName(name);
        return thread;
    }

    /** For the raw broker's AgentRunner (which names the thread). */
    public static ThreadFactory rawBroker()
    {
        return Factories.RAW_BROKER;
    }

    /** What the report's setup says about the harness's own threads. */
    public static String describe()
    {
        final CpuList clients = cpus(CLIENT_CPUS);
        final CpuList broker = cpus(RAW_BROKER_CPUS);
        return (clients.isEmpty() ? "clients not pinned" : "clients pinned to CPUs " + clients) + ", " +
            (broker.isEmpty() ? "raw broker not pinned" : "raw broker pinned to CPUs " + broker);
    }

    /** Made at the first pinned thread, so that {@link #describe} reports a bad list as a usage error first. */
    private static final class Factories
    {
        static final ThreadFactory CLIENTS = ThreadAffinity.factory("a perf client", cpus(CLIENT_CPUS));
        static final ThreadFactory RAW_BROKER = ThreadAffinity.factory("the raw broker", cpus(RAW_BROKER_CPUS));
    }

    private static CpuList cpus(final String property)
    {
        try
        {
            return CpuList.parse(System.getProperty(property, ""));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("-D" + property + ": " + ex.getMessage(), ex);
        }
    }
}
