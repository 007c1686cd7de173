package io.ringmq.perf.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a harness starts {@code ringmq daemon} as a process of its own: through the launcher users run
 * ({@code bin/ringmq daemon}, JVM options in {@code RINGMQ_JAVA_OPTS}), or, where there is no built daemon jar (the
 * perf module's tests), as a {@code java} child of this JVM's classpath running the same command-line entry point.
 */
public interface DaemonLauncher
{
    /** The daemon's command-line entry point, the main class of the daemon jar {@code bin/ringmq} runs. */
    String DAEMON_MAIN = "io.ringmq.daemon.cli.RingmqCli";

    /** @param jvmOptions {@code -Dringmq.key=value} settings and any other JVM options, each without spaces. */
    ProcessBuilder daemon(List<String> jvmOptions);

    /** One line for reports: how the daemon was started. */
    String describe();

    /** {@code <script> daemon}, the JVM options added to {@code RINGMQ_JAVA_OPTS}. */
    static DaemonLauncher script(final Path script)
    {
        return new DaemonLauncher()
        {
            public ProcessBuilder daemon(final List<String> jvmOptions)
            {
                final ProcessBuilder builder = new ProcessBuilder(script.toString(), "daemon");
                builder.environment().merge("RINGMQ_JAVA_OPTS", String.join(" ", jvmOptions),
                    (old, mine) -> old + " " + mine);
                return builder;
            }

            public String describe()
            {
                return "`" + script + " daemon`";
            }
        };
    }

    /** {@code java ... RingmqCli daemon} with this JVM's classpath and flags, a 1 GiB heap. */
    static DaemonLauncher thisJvm()
    {
        return new DaemonLauncher()
        {
            public ProcessBuilder daemon(final List<String> jvmOptions)
            {
                final List<String> options = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseParallelGC"));
                options.addAll(jvmOptions);
                return new ProcessBuilder(ChildJava.command(options, DAEMON_MAIN, "daemon"));
            }

            public String describe()
            {
                return "`java " + DAEMON_MAIN + " daemon` on this JVM's classpath";
            }
        };
    }
}
