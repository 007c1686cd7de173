package io.ringmq.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;

/**
 * Heap bytes allocated so far by the in-process daemon's hot-path threads: the ingress agent ({@code ringmq-ingress})
 * and the ring's handlers ({@code ringmq-ring}: journal and dispatch, egress included). Read from the JVM's
 * per-thread allocation counters, so it costs the measured threads nothing. The snapshot writer is left out: it
 * allocates for snapshots by design, off the message path.
 * <p>
 * The difference of two readings over a steady workload is the "0 B per message" figure of the daemon's hot path.
 */
public final class HotPathAllocation
{
    private static final String[] HOT_PATH_THREAD_PREFIXES = {"ringmq-ingress", "ringmq-ring"};

    private final com.sun.management.ThreadMXBean threads;
    private final long[] threadIds;

    private HotPathAllocation(final com.sun.management.ThreadMXBean threads, final long[] threadIds)
    {
        this.threads = threads;
        this.threadIds = threadIds;
    }

    /**
     * The daemon's hot-path threads alive now (start the daemon first).
     *
     * @throws IllegalStateException if the JVM cannot count allocation per thread, or no such thread runs.
     */
    public static HotPathAllocation ofRunningDaemon()
    {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) ||
            !threads.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        final long[] ids = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
            .filter((info) -> null != info && isHotPath(info))
            .mapToLong(ThreadInfo::getThreadId)
            .toArray();
        if (0 == ids.length)
        {
            throw new IllegalStateException("no daemon hot-path thread (" +
                String.join(", ", HOT_PATH_THREAD_PREFIXES) + ") is running");
        }
        return new HotPathAllocation(threads, ids);
    }

    /** Bytes the hot-path threads have allocated since they started; a thread that has ended counts 0. */
    public long allocatedBytes()
    {
        long total = 0;
        for (final long bytes : threads.getThreadAllocatedBytes(threadIds))
        {
            total += Math.max(0, bytes);
        }
        return total;
    }

    private static boolean isHotPath(final ThreadInfo info)
    {
        for (final String prefix : HOT_PATH_THREAD_PREFIXES)
        {
            if (info.getThreadName().startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /** What the hot path allocated while {@code messages} were recorded. */
    public record Measured(long bytes, long messages)
    {
        public double bytesPerMessage()
        {
            return messages > 0 ? (double)bytes / messages : 0;
        }

        /** {@code 0 bytes over 300,000 messages (0.00 B/message)}. */
        public String describe()
        {
            return String.format("%,d bytes over %,d messages (%.2f B/message)", bytes, messages, bytesPerMessage());
        }
    }
}
