package io.ringmq.perf.compare;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line describing where a comparison ran, for the report: CPU, cores, memory, OS, JVM, load. */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    static String describe()
    {
        final Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %s RAM, %s %s, JDK %s (%s), load " +
            "average %.2f at start", cpuModel(), runtime.availableProcessors(), totalMemory(),
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
            System.getProperty("java.vm.name"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static double loadAverage()
    {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: say what the JVM knows
        }
        return System.getProperty("os.arch");
    }

    private static String totalMemory()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun)
        {
            return String.format(Locale.ROOT, "%.0f GiB", sun.getTotalMemorySize() / (double)(1L << 30));
        }
        return "?";
    }
}
