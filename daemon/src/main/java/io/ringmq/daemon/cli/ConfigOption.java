package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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
}
