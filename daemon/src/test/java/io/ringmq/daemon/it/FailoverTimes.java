package io.ringmq.daemon.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the fault suite leaves its failover times for {@code perf compare --failover DIR}: one file per fault,
 * {@code target/failover-times/<fault>.txt} under the module failsafe runs in, one time in milliseconds per line.
 */
final class FailoverTimes
{
    static final Path DIR = Path.of("target", "failover-times");

    private FailoverTimes()
    {
    }

    static void write(final String fault, final long[] valuesMs)
    {
        try
        {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve(fault + ".txt"), Arrays.stream(valuesMs).mapToObj(Long::toString).toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
