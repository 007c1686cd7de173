package io.ringmq.daemon.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes one test starts through {@code bin/ringmq}, its unique Aeron directory and its config files; after each
 * test every process still alive is killed and the Aeron directory removed. Register it with {@code @RegisterExtension}
 * (a field per test instance). What the copies of this in older ITs did, in one place.
 */
final class DaemonProcesses implements AfterEachCallback
{
    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path aeronDir;
    private final List<DaemonProcess> started = new ArrayList<>();

    DaemonProcesses(final String aeronDirPrefix)
    {
        aeronDir = DaemonProcess.uniqueAeronDir(aeronDirPrefix);
    }

    /** Starts {@code bin/ringmq daemon --config config}; killed after the test if still alive. */
    DaemonProcess daemon(final Path config)
    {
        return track(DaemonProcess.start(repoRoot, config));
    }

    /** Starts {@code bin/ringmq ARGS --config config}, with {@code input} on its stdin; killed after the test if alive. */
    DaemonProcess command(final Path config, final String input, final String... args)
    {
        return track(DaemonProcess.commandWithInput(repoRoot, config, input, args));
    }

    /**
     * Writes a config file: data under {@code dataDir}, this test's Aeron directory, small terms and ring (a quick
     * start on a small machine), then {@code overrides}.
     */
    Path writeConfig(final Path file, final Path dataDir, final Map<String, String> overrides) throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", dataDir.toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        values.putAll(overrides);
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }

    private DaemonProcess track(final DaemonProcess process)
    {
        started.add(process);
        return process;
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        for (final DaemonProcess process : started)
        {
            if (process.isAlive())
            {
                process.kill9();
            }
        }
        started.clear();
        DaemonProcess.deleteRecursively(aeronDir);
    }
}
