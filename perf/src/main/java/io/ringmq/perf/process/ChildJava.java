package io.ringmq.perf.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code java} child with this JVM's classpath and the module flags it was started with
 * ({@code --add-opens}, {@code --add-exports}, ... from {@code bin/jvm-options} or surefire's argLine) and its
 * {@code -D} properties, but a heap of its own: the harness's pre-touched 2 GiB heap is not copied into each child.
 */
public final class ChildJava
{
    private ChildJava()
    {
    }

    public static List<String> command(final List<String> heapOptions, final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (option.startsWith("--add-") || option.startsWith("--enable-native-access") ||
                option.startsWith("--sun-misc-unsafe") || option.startsWith("-D"))
            {
                command.add(option);
            }
        }
        command.addAll(heapOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
