package io.ringmq.daemon.counters;

import io.aeron.CncFileDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The counters of a media driver's CnC file, mapped read-only from another process: reading them is memory reads,
 * with no call into the driver or the daemon, so it works while the daemon's ring is full.
 */
public final class CncCounters implements AutoCloseable
{
    private final MappedByteBuffer cnc;
    private final CountersReader reader;

    private CncCounters(final MappedByteBuffer cnc, final CountersReader reader)
    {
        this.cnc = cnc;
        this.reader = reader;
    }

    /**
     * Maps {@code <aeronDir>/cnc.dat}; the caller has checked that a live driver owns it.
     *
     * @throws IllegalStateException if there is no CnC file, or one of another Aeron version.
     */
    public static CncCounters open(final Path aeronDir)
    {
        final File file = aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!file.isFile())
        {
            throw new IllegalStateException(
                "no ringmq daemon is running: no media driver in ringmq.aeron.dir=" + aeronDir);
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(file, CncFileDescriptor.CNC_FILE);
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            CncFileDescriptor.checkVersion(metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0)));
            return new CncCounters(cnc, new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData)));
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(cnc);
            throw new IllegalStateException("cannot read the counters in ringmq.aeron.dir=" + aeronDir + ": " +
                ex.getMessage(), ex);
        }
    }

    public CountersReader reader()
    {
        return reader;
    }

    public void close()
    {
        IoUtil.unmap(cnc);
    }
}
