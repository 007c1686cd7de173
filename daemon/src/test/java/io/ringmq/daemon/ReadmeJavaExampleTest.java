package io.ringmq.daemon;

import io.ringmq.client.DefaultAeronDirectory;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java example, as written: extracted from the "Java client" section, compiled against the client's
 * classpath and run against a daemon, so an example that no longer compiles or runs fails the build.
 */
class ReadmeJavaExampleTest
{
    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    private static final Pattern CLASS_NAME = Pattern.compile("public final class (\\w+)");

    @TempDir
    Path tempDir;

    @Test
    void theJavaClientExampleCompilesAndRunsAsWritten() throws Exception
    {
        final String source = javaClientExample(Files.readString(README));
        final Matcher name = CLASS_NAME.matcher(source);
        assertTrue(name.find(), "the example is a whole class");
        final Path sources = Files.createDirectories(tempDir.resolve("src"));
        final Path classes = Files.createDirectories(tempDir.resolve("classes"));
        final Path file = Files.writeString(sources.resolve(name.group(1) + ".java"), source);

        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int compiled = compiler.run(null, diagnostics, diagnostics, "-d", classes.toString(),
            "-classpath", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, compiled, () -> "the README's example does not compile:\n" + diagnostics);

        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeJavaExampleTest.class.getClassLoader()))
        {
            final Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            final String output = runCapturingOutput(config, main);
            assertTrue(output.contains("order-123 is message 1") && output.contains("billing order-123") &&
                output.contains("billing order-124") && output.contains("receipt for message 2"),
                () -> "what the example printed:\n" + output);
        }
    }

    /** Runs it as an application with -Dringmq.aeron.dir pointing at the test's daemon, printing to a buffer. */
    private static String runCapturingOutput(final RingmqConfig config, final Method main)
    {
        final String directoryBefore = System.getProperty(DefaultAeronDirectory.PROPERTY);
        final PrintStream outBefore = System.out;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        System.setProperty(DefaultAeronDirectory.PROPERTY, config.aeronDir().toString());
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try
        {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> main.invoke(null, (Object)new String[0]));
        }
        finally
        {
            System.setOut(outBefore);
            if (null == directoryBefore)
            {
                System.clearProperty(DefaultAeronDirectory.PROPERTY);
            }
            else
            {
                System.setProperty(DefaultAeronDirectory.PROPERTY, directoryBefore);
            }
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    private static String javaClientExample(final String readme)
    {
        final int section = readme.indexOf("## Java client");
        final int start = readme.indexOf("```java\n", section);
        final int end = readme.indexOf("```\n", start + 8);
        assertTrue(section >= 0 && start > section && end > start, "README's Java client section has a java block");
        return readme.substring(start + "```java\n".length(), end);
    }
}
