package io.ringmq.perf;

import java.lang.management.ManagementFactory;

/**
 * Says on stderr when a harness's measured pass starts, as the JVM's uptime: {@code perf/bin/flamegraph} starts the
 * profile with the JVM and keeps only the samples from that moment on (warm-up and JIT left out). Called once per
 * pass, off the timed part of it.
 */
final class MeasuredPassMark
{
    private MeasuredPassMark()
    {
    }

    static void announce(final String pass)
    {
        System.err.printf("%s: measured pass starts (JVM uptime %d ms)%n", pass,
            ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
