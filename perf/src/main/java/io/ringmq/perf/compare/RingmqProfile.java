package io.ringmq.perf.compare;

import io.ringmq.config.ConfigException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.perf.process.DaemonLauncher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A daemon profile for {@code perf compare --ringmq-profile FILE} (e.g. {@code config/low-latency.properties}): its
 * {@code ringmq.*} keys go to ringmq's daemon in both shapes, over the comparison's own (in this JVM) and over the
 * daemon's defaults (the process shape, as {@code -D} options of {@code bin/ringmq daemon}). The raw broker idles as
 * the profile's {@code ringmq.idle.strategy} where it can, so raw and ringmq spin or yield alike. Checked when loaded,
 * as the daemon would check it.
 */
public record RingmqProfile(Path file, Map<String, String> settings)
{
    private static final Set<String> RAW_IDLES = Set.of("BACKOFF", "YIELDING", "BUSY_SPIN");

    /**
     * @throws IllegalArgumentException (a usage error: no stack trace) naming each key or value of the file the daemon
     *                                  would refuse, or the file that is missing.
     */
    public static RingmqProfile load(final Path file)
    {
        final Properties environment = new Properties(); // for the defaults' ${user.home} and the like, no -Dringmq.*
        for (final String key : List.of("user.home", "user.name", "java.io.tmpdir"))
        {
            environment.setProperty(key, System.getProperty(key));
        }
        try
        {
            RingmqConfig.load(file, environment); // refuses what the daemon would, naming the key and the file
        }
        catch (final ConfigException ex)
        {
            throw new IllegalArgumentException("--ringmq-profile " + file + ":\n" + ex.getMessage(), ex);
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read --ringmq-profile " + file, ex);
        }
        final Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().stream().filter((key) -> key.startsWith("ringmq."))
            .forEach((key) -> settings.put(key, properties.getProperty(key).strip()));
        return new RingmqProfile(file, Map.copyOf(settings));
    }

    /** The raw broker's idle strategy: the profile's ringmq.idle.strategy when raw has it, else the comparison's. */
    public String rawIdle(final String otherwise)
    {
        final String idle = settings.getOrDefault("ringmq.idle.strategy", "").toUpperCase(Locale.ROOT);
        return RAW_IDLES.contains(idle) ? idle : otherwise;
    }

    /** The process shape's launcher, starting the daemon with the profile's keys as {@code -D} options. */
    public DaemonLauncher launcher(final DaemonLauncher launcher)
    {
        final List<String> options = new ArrayList<>();
        settings.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return new DaemonLauncher()
        {
            public ProcessBuilder daemon(final List<String> jvmOptions)
            {
                final List<String> all = new ArrayList<>(options);
                all.addAll(jvmOptions);
                return launcher.daemon(all);
            }

            public String describe()
            {
                return launcher.describe() + " with the profile " + file;
            }
        };
    }

    /** One line for the report's setup list. */
    public String describe()
    {
        return file + ": " + settings;
    }
}
