package io.ringmq.daemon;

import io.ringmq.config.ConfigKeys;
import io.ringmq.config.ConfigReference;
import io.ringmq.core.protocol.PayloadLimit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README and the launcher must say what the code does. */
class DocsMatchCodeTest
{
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void readmeCarriesTheConfigReferenceOfTheCode() throws IOException
    {
        final String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains(ConfigReference.markdownTable().strip()),
            "README.md's configuration table differs from ConfigReference.markdownTable(); paste the new one");
        for (final String key : ConfigKeys.names())
        {
            assertTrue(readme.contains("`" + key + "`"), "README.md does not document " + key);
        }
    }

    @Test
    void readmeStatesThePayloadLimitOfTheCodecs() throws IOException
    {
        final String readme = Files.readString(ROOT.resolve("README.md"));
        final String limit = "`ringmq.max.message.bytes` less " + PayloadLimit.OUTBOUND_OVERHEAD + " bytes";
        assertTrue(readme.contains(limit), "README.md does not say: " + limit);
        assertTrue(readme.contains(PayloadLimit.maxPayloadLength(1 << 20, 4096) + " bytes with the default `1m`"),
            "README.md's payload limit under the default ringmq.max.message.bytes differs from PayloadLimit's");
    }

    @Test
    void launcherPassesTheSameModuleFlagsAsTheBuild() throws IOException
    {
        final List<String> launcherFlags = Files.readAllLines(ROOT.resolve("bin/jvm-options")).stream()
            .map(String::strip)
            .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.toList());
        // Surefire starts this JVM with the parent pom's jvmFlags: the flags the tests prove work.
        final List<String> buildFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter((arg) -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle."))
            .collect(Collectors.toList());

        assertTrue(buildFlags.size() >= 10, "test JVM was not started with the pom's jvmFlags: " + buildFlags);
        assertEquals(buildFlags, launcherFlags, "bin/jvm-options and the parent pom's jvmFlags differ");
    }
}
