package io.ringmq.daemon.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/ringmq} starts its JVM from the build's class-data-sharing archive while the archive is newer than the
 * jar, and without it when told so ({@code RINGMQ_CDS=off}) or when the jar is newer (an archive of other classes
 * would make the JVM share none at all). Read from the JVM's own class-loading log: where it loaded ringmq's CLI
 * class from. Runs where the build made the archive (it leaves none when its training run fails).
 */
class CdsArchiveIT
{
    private static final String CLI_CLASS = "io.ringmq.daemon.cli.RingmqCli";
    private static final String SHARED = "shared objects file";
    private static final long RUN_TIMEOUT_S = 60;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path archive = repoRoot.resolve("daemon/target/cds/ringmq.jsa");
    private final Path jar = repoRoot.resolve("daemon/target/ringmq-daemon.jar");

    @TempDir
    Path tempDir;

    @BeforeEach
    void theBuildMadeTheArchive() throws IOException
    {
        assumeTrue(Files.isRegularFile(archive) &&
            Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0,
            "the build made a current archive (it skips it when its training run fails)");
    }

    @Test
    void aCommandLoadsRingmqsClassesFromTheArchive() throws Exception
    {
        assertEquals(SHARED, sourceOf(CLI_CLASS, versionClassLoads(repoRoot, Map.of())));
    }

    @Test
    void offStartsWithoutIt() throws Exception
    {
        assertEquals("file:" + jar, sourceOf(CLI_CLASS, versionClassLoads(repoRoot, Map.of("RINGMQ_CDS", "off"))));
    }

    @Test
    void aJarNewerThanTheArchiveStartsWithoutIt() throws Exception
    {
        final Path root = tempDir.resolve("checkout");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("daemon/target/cds"));
        for (final String file : List.of("bin/ringmq", "bin/jvm-options"))
        {
            Files.copy(repoRoot.resolve(file), root.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.copy(jar, root.resolve("daemon/target/ringmq-daemon.jar")); // a fresh copy: newer than the archive
        Files.createSymbolicLink(root.resolve("daemon/target/lib"), repoRoot.resolve("daemon/target/lib"));
        Files.createSymbolicLink(root.resolve("daemon/target/cds/ringmq.jsa"), archive);

        final List<String> loads = versionClassLoads(root, Map.of());

        assertEquals("file:" + root.resolve("daemon/target/ringmq-daemon.jar"), sourceOf(CLI_CLASS, loads));
        assertEquals(SHARED, sourceOf("java.lang.Object", loads),
            "the JDK's own archive still serves: the JVM was not handed one it refuses (it would then share nothing)");
    }

    /** Runs {@code bin/ringmq --version} of that checkout with class-load logging; returns its output's lines. */
    private List<String> versionClassLoads(final Path root, final Map<String, String> env) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin/ringmq").toString(), "--version")
            .redirectErrorStream(true)
            .redirectOutput(tempDir.resolve("out.txt").toFile());
        builder.environment().putAll(env);
        builder.environment().put("RINGMQ_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        final Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("bin/ringmq --version did not end within " + RUN_TIMEOUT_S + " s");
        }
        final List<String> lines = Files.readAllLines(tempDir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join("\n", lines));
        return lines;
    }

    /** Where the class-load log says the class came from ("shared objects file", "file:/...jar", "jrt:/..."). */
    private static String sourceOf(final String className, final List<String> lines)
    {
        final String marker = "] " + className + " source: ";
        return lines.stream()
            .filter((line) -> line.contains(marker))
            .map((line) -> line.substring(line.indexOf(marker) + marker.length()).strip())
            .findFirst()
            .orElseThrow(() -> new AssertionError(className + " never loaded:\n" + String.join("\n", lines)));
    }
}
