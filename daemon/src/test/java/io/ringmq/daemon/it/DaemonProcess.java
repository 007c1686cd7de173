package io.ringmq.daemon.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@code bin/ringmq daemon} child process for process-level tests: started through the launcher script (which
 * execs the JVM, so the process is the daemon itself and a signal reaches it directly), its output collected as it
 * comes, with deadline waits on lines and exit. Nothing sleeps.
 */
final class DaemonProcess
{
    static final String READY_LINE = "ringmq daemon running";

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private DaemonProcess(final Process process)
    {
        this.process = process;
        stdoutReader = read(process.getInputStream(), stdout, "stdout");
        stderrReader = read(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts {@code bin/ringmq daemon --config configFile [extraArgs]} from {@code repoRoot}. */
    static DaemonProcess start(final Path repoRoot, final Path configFile, final String... extraArgs)
    {
        final List<String> command = new ArrayList<>(List.of(
            "bash", repoRoot.resolve("bin/ringmq").toString(), "daemon", "--config", configFile.toString()));
        command.addAll(List.of(extraArgs));
        return start(repoRoot, command);
    }

    /** Starts the daemon as {@link #start(Path, Path, String...)} does, with these JVM options (a heap bound). */
    static DaemonProcess startWithJavaOpts(final Path repoRoot, final Path configFile, final String javaOpts)
    {
        return start(repoRoot, List.of(
            "bash", repoRoot.resolve("bin/ringmq").toString(), "daemon", "--config", configFile.toString()), javaOpts);
    }

    /** Starts a tool, {@code bin/ringmq ARGS --config configFile}, from {@code repoRoot}. */
    static DaemonProcess command(final Path repoRoot, final Path configFile, final String... args)
    {
        return commandWithInput(repoRoot, configFile, "", args);
    }

    /** Starts a tool as {@link #command} does, with {@code input} on its stdin (then closed), as from a pipe. */
    static DaemonProcess commandWithInput(
        final Path repoRoot, final Path configFile, final String input, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("bash", repoRoot.resolve("bin/ringmq").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", configFile.toString()));
        return start(repoRoot, command, "-Xms64m -Xmx512m", input);
    }

    /**
     * Starts the daemon with no file it writes allowed past {@code kib} KiB ({@code ulimit -f}): how a test meets a
     * full file system without filling a shared one. The JVM ignores SIGXFSZ, so a write past the limit fails with
     * an IOException as a write to a full disk does.
     */
    static DaemonProcess startWithFileSizeLimit(final Path repoRoot, final Path configFile, final long kib)
    {
        return start(repoRoot, List.of("bash", "-c", "ulimit -f \"$0\" && exec bash \"$1\" daemon --config \"$2\"",
            Long.toString(kib), repoRoot.resolve("bin/ringmq").toString(), configFile.toString()));
    }

    private static DaemonProcess start(final Path repoRoot, final List<String> command)
    {
        return start(repoRoot, command, "-Xms64m -Xmx512m");
    }

    private static DaemonProcess start(final Path repoRoot, final List<String> command, final String javaOpts)
    {
        return start(repoRoot, command, javaOpts, "");
    }

    private static DaemonProcess start(
        final Path repoRoot, final List<String> command, final String javaOpts, final String input)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("RINGMQ_JAVA_OPTS", javaOpts);
        try
        {
            final Process process = builder.start();
            try (var stdin = process.getOutputStream())
            {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            return new DaemonProcess(process);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The repository root (holding {@code bin/ringmq}), from the module directory failsafe runs in. */
    static Path findRepoRoot()
    {
        final Path cwd = Path.of("").toAbsolutePath();
        for (Path candidate = cwd; null != candidate; candidate = candidate.getParent())
        {
            if (Files.isRegularFile(candidate.resolve("bin/ringmq")))
            {
                return candidate;
            }
        }
        return fail("cannot find bin/ringmq from " + cwd);
    }

    /** A fresh Aeron directory under /dev/shm (tmpfs) when it exists, else the temp directory. */
    static Path uniqueAeronDir(final String prefix)
    {
        final Path shm = Path.of("/dev/shm");
        return (Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
            .resolve(prefix + UUID.randomUUID());
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static Thread read(final InputStream in, final List<String> sink, final String name)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = lines.readLine()))
                {
                    sink.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // the process died; what was read is kept
            }
        }, "daemon " + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** Waits for a stdout line that matches; fails if the process exits first or the deadline passes. */
    void awaitStdout(final Predicate<String> matching, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (stdout.stream().noneMatch(matching))
        {
            if (!process.isAlive())
            {
                waitFor(Duration.ofSeconds(5)); // let the readers take the last lines
                if (stdout.stream().anyMatch(matching))
                {
                    return;
                }
                fail("the daemon exited (" + process.exitValue() + ") before the expected line\n" + output());
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no expected line within " + timeout.toMillis() + " ms\n" + output());
            }
            waitFor(Duration.ofMillis(20));
        }
    }

    void awaitReady(final Duration timeout)
    {
        awaitStdout((line) -> line.contains(READY_LINE), timeout);
    }

    /** SIGKILL, as {@code kill -9}: no handler runs, nothing is flushed by the process. Waits until it is gone. */
    void kill9()
    {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (through the handle, which leaves our end of its output open). */
    void sigterm()
    {
        process.toHandle().destroy();
    }

    /**
     * SIGTERM and SIGINT back to back, from one shell (microseconds apart): sent one by one, the second waited for a
     * {@code kill} process to start, and a daemon that stops fast had exited by then.
     */
    void sigtermThenSigint()
    {
        final String pid = Long.toString(process.pid());
        try
        {
            new ProcessBuilder("sh", "-c", "kill -TERM " + pid + "; kill -INT " + pid).inheritIO().start().waitFor();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Waits for exit; fails (and kills it) after the timeout. */
    int awaitExit(final Duration timeout)
    {
        if (!waitFor(timeout))
        {
            final String output = output();
            process.destroyForcibly();
            fail("the daemon still runs after " + timeout.toMillis() + " ms\n" + output);
        }
        waitForReaders();
        return process.exitValue();
    }

    /** Waits until the process exits or the timeout passes; true if it exited. */
    boolean waitFor(final Duration timeout)
    {
        try
        {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private void waitForReaders()
    {
        // The streams end when the process (and any child holding them) is gone; the readers then finish the last
        // lines. Bounded: a grandchild that kept the pipes open must not hang the test.
        try
        {
            stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
            stderrReader.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    List<String> stdout()
    {
        return stdout;
    }

    /** Whether stderr shows a stack trace: the operator is to get one sentence (the trace is logged at debug only). */
    boolean printedStackTrace()
    {
        return stderr.stream().anyMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
    }

    List<String> stderr()
    {
        return stderr;
    }

    String output()
    {
        return "--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n" + String.join("\n", stderr);
    }
}
