package io.ringmq.perf.idle;

import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PerfArgs;
import io.ringmq.perf.PerfMain;
import io.ringmq.perf.process.DaemonLauncher;
import io.ringmq.perf.process.DaemonProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What an idle daemon costs: starts {@code bin/ringmq daemon} as its own process, the way users run it (its own fresh
 * data and Aeron directories, removed afterwards), waits until it is running and has settled (start-up, JIT), then
 * reads its threads' CPU time from {@code /proc} twice, {@code --seconds} apart, with no client connected, and prints
 * each thread's share of one core and the total. Linux only.
 * <p>
 * {@code bin/ringmq perf idle [--seconds N] [--settle-s N] [--java-opts "-Dringmq.key=value ..."]} runs it.
 */
public final class IdleCpuHarness
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: ringmq perf idle [options]",
        "  --seconds N        measure over N seconds (20)",
        "  --settle-s N       after the daemon says it runs, wait N seconds before measuring (10)",
        "  --java-opts OPTS   extra JVM options for the daemon, e.g. \"-Dringmq.ring.wait.strategy=SLEEPING\"",
        "  --ringmq PATH      the launcher to start the daemon with (bin/ringmq)",
        "  --start-timeout-s N  give up when the daemon has not started after N seconds (120: a first run builds it)");

    private IdleCpuHarness()
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final PerfArgs options = PerfArgs.parse(args,
                List.of("--seconds", "--settle-s", "--java-opts", "--ringmq", "--start-timeout-s"),
                List.of("--help"), USAGE);
            if (options.has("--help"))
            {
                System.out.println(USAGE);
                return;
            }
            final int seconds = options.integer("--seconds", 20);
            final int settleS = options.integer("--settle-s", 10);
            if (seconds < 1 || settleS < 0)
            {
                throw new IllegalArgumentException("--seconds must be >= 1 and --settle-s >= 0\n" + USAGE);
            }
            final String javaOpts = options.string("--java-opts", "");
            System.out.println(measure(Path.of(options.string("--ringmq", "bin/ringmq")), javaOpts, settleS, seconds,
                options.integer("--start-timeout-s", 120)));
        });
    }

    static String measure(
        final Path launcher, final String javaOpts, final int settleS, final int seconds, final int startTimeoutS)
    {
        final List<String> options = Arrays.stream(javaOpts.trim().split("\\s+")).filter((o) -> !o.isEmpty()).toList();
        try (DaemonProcess daemon = DaemonProcess.launch(DaemonLauncher.script(launcher), Map.of(), options,
            TimeUnit.SECONDS.toNanos(startTimeoutS)))
        {
            pause(TimeUnit.SECONDS.toNanos(settleS));
            final Path proc = Path.of("/proc");
            final ThreadCpuTimes before = ThreadCpuTimes.read(proc, daemon.pid());
            pause(TimeUnit.SECONDS.toNanos(seconds));
            final ThreadCpuTimes after = ThreadCpuTimes.read(proc, daemon.pid());
            daemon.requireAlive();
            final IdleCpuReport report = new IdleCpuReport(before, after, clockTicksPerSecond());
            return "idle ringmq daemon (pid " + daemon.pid() + ", no client), % of one core per thread, " + seconds +
                " s after " + settleS + " s settling" + (javaOpts.isBlank() ? ", defaults" : ", " + javaOpts) +
                ":" + System.lineSeparator() + report.format();
        }
    }

    /** The measuring window itself: nothing to wait for but time. */
    private static void pause(final long ns)
    {
        final long deadlineNs = System.nanoTime() + ns;
        long leftNs;
        while ((leftNs = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(leftNs);
        }
    }

    /** The kernel's USER_HZ, which /proc's utime and stime count in; 100 where getconf cannot tell. */
    public static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return 100;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
