package io.ringmq.daemon;

import io.ringmq.config.ConfigException;
import io.ringmq.config.CpuList;
import io.ringmq.config.RingmqConfig;
import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pins the daemon's threads to the CPUs the {@code ringmq.affinity.*} keys list (issue 19's low-latency profile), with
 * OpenHFT's affinity library (on the classpath through Chronicle; it calls {@code sched_setaffinity} through JNA).
 * Each thread pins itself as its first act, before it runs its loop, so it never runs a duty cycle elsewhere; the i-th
 * thread of a role takes the i-th CPU listed ({@link CpuList#cpuFor}). In-process rather than {@code taskset} per thread id:
 * the threads exist only once the daemon has started them, and a role change (a promotion) starts new ones.
 * <p>
 * A CPU the process may not run on (outside its {@code taskset}, or past the machine's last) is refused at start, as a
 * configuration problem naming the key. A pin the kernel did not take (read back different) is logged and the thread
 * runs unpinned: the daemon still serves.
 * <p>
 * Thread-safe: each factory counts its threads atomically; pinning acts on the calling thread only.
 */
public final class ThreadAffinity
{
    private static final Logger LOG = LoggerFactory.getLogger(ThreadAffinity.class);

    private ThreadAffinity()
    {
    }

    /**
     * @throws ConfigException naming each pinning key that lists a CPU this process may not run on, or, when any key
     *                         is set, that threads cannot be pinned here at all.
     */
    public static void requireAvailable(final RingmqConfig config)
    {
        final boolean anyPinned = config.affinities().values().stream().anyMatch((cpus) -> !cpus.isEmpty());
        if (anyPinned)
        {
            requireAvailable(config, Affinity.isJNAAvailable() ? Affinity.getAffinity() : null);
        }
    }

    /**
     * @param allowed the CPUs this process may run on; null when threads cannot be pinned here (no JNA, not Linux).
     */
    static void requireAvailable(final RingmqConfig config, final BitSet allowed)
    {
        final List<String> problems = new ArrayList<>();
        for (final Map.Entry<String, CpuList> entry : config.affinities().entrySet())
        {
            final CpuList cpus = entry.getValue();
            if (cpus.isEmpty())
            {
                continue;
            }
            if (null == allowed)
            {
                problems.add(config.invalidValue(entry.getKey(), "empty: threads cannot be pinned on this platform " +
                    "(pinning needs Linux and JNA)"));
                continue;
            }
            final BitSet outside = cpus.mask();
            outside.andNot(allowed);
            if (!outside.isEmpty())
            {
                problems.add(config.invalidValue(entry.getKey(), "CPUs this process may run on (" +
                    format(allowed) + "); " + format(outside) + " is not"));
            }
        }
        if (!problems.isEmpty())
        {
            throw new ConfigException(problems);
        }
    }

    /**
     * A thread factory whose threads pin themselves to the next CPU of the list as they start; an empty list makes
     * plain threads. The thread's name is the caller's to set (Agrona's {@code AgentRunner.startOnThread} names it).
     */
    public static ThreadFactory factory(final String role, final CpuList cpus)
    {
        final AtomicInteger started = new AtomicInteger();
        return (runnable) -> new Thread(pinning(role, cpus, started.getAndIncrement(), runnable));
    }

    /** The runnable, first pinning the thread that runs it to the {@code index}-th CPU of the list (none if empty). */
    public static Runnable pinning(final String role, final CpuList cpus, final int index, final Runnable runnable)
    {
        if (cpus.isEmpty())
        {
            return runnable;
        }
        final int cpu = cpus.cpuFor(index);
        return () ->
        {
            pinCurrentThread(role, cpu);
            runnable.run();
        };
    }

    /**
     * The CPUs the calling thread may run on, for {@link #onCpus}: null where threads cannot be pinned (no JNA, not
     * Linux). Read it on a thread that is not pinned, e.g. where the daemon starts.
     */
    public static BitSet currentCpus()
    {
        return Affinity.isJNAAvailable() ? Affinity.getAffinity() : null;
    }

    /**
     * The runnable, first giving the thread that runs it these CPUs. A thread inherits the affinity of the thread that
     * starts it, so one started by a pinned thread (a standby's restart, started by its pinned follower) would share
     * that thread's one CPU; this gives it back the CPUs the daemon started with. Null CPUs: the runnable as it is.
     */
    public static Runnable onCpus(final BitSet cpus, final Runnable runnable)
    {
        if (null == cpus || cpus.isEmpty())
        {
            return runnable;
        }
        return () ->
        {
            try
            {
                if (!cpus.equals(Affinity.getAffinity()))
                {
                    Affinity.setAffinity(cpus);
                }
            }
            catch (final RuntimeException ex) // the library throws when sched_setaffinity fails
            {
                LOG.error("{} could not be given CPUs {}: {}; it runs where it started", Thread.currentThread().getName(),
                    format(cpus), ex.toString());
            }
            runnable.run();
        };
    }

    /** Pins the calling thread to one CPU, reads the kernel's mask back, and says (in the log) if it did not take. */
    static boolean pinCurrentThread(final String role, final int cpu)
    {
        final BitSet wanted = new BitSet();
        wanted.set(cpu);
        try
        {
            Affinity.setAffinity(wanted);
        }
        catch (final RuntimeException ex) // the library throws when sched_setaffinity fails
        {
            LOG.error("{} ({}) could not be pinned to CPU {}: {}; it runs unpinned", role,
                Thread.currentThread().getName(), cpu, ex.toString());
            return false;
        }
        final BitSet actual = Affinity.getAffinity();
        if (!wanted.equals(actual))
        {
            LOG.error("{} ({}) asked for CPU {} but runs on {}; it runs unpinned", role,
                Thread.currentThread().getName(), cpu, format(actual));
            return false;
        }
        LOG.info("{} ({}) pinned to CPU {}", role, Thread.currentThread().getName(), cpu);
        return true;
    }

    /** A mask as Linux lists CPUs, e.g. 0-1,4. */
    static String format(final BitSet cpus)
    {
        final StringBuilder out = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; )
        {
            final int to = cpus.nextClearBit(from) - 1;
            out.append(out.length() > 0 ? "," : "").append(from);
            if (to > from)
            {
                out.append('-').append(to);
            }
            from = cpus.nextSetBit(to + 1);
        }
        return out.toString();
    }
}
