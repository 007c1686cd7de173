package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The {@code --config FILE} option every command shares, so the tools find the daemon the way it was started. */
final class ConfigOption
{
    @Option(names = "--config", paramLabel = "FILE",
        description = "Properties file with ringmq.* keys (each overridable by -Dkey=value). Default: built-in defaults.")
    Path file;

    RingmqConfig load()
    {
        return RingmqConfig.loadFromSystem(file);
    }

    /**
     * The configuration with some keys set by command-line options, which win over the file and -D (validated the
     * same way: a bad value names the key).
     */
    RingmqConfig load(final Map<String, String> optionOverrides)
    {
        final Properties properties = new Properties();
        properties.putAll(System.getProperties());
        optionOverrides.forEach(properties::setProperty);
        return RingmqConfig.load(file, properties);
    }
}
