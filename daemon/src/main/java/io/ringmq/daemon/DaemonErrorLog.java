package io.ringmq.daemon;

import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon's distinct error log: each distinct error (same type, message and stack) recorded once with a count and
 * its first and last time, in a memory-mapped file, {@code <ringmq.data.dir>/errors.dat} (Agrona's
 * {@link DistinctErrorLog}, the format of Aeron's own CnC error log). A flood of one error costs a counter increment,
 * not a log line each, and what a stopped or crashed daemon met stays readable from the file ({@link #read}).
 * <p>
 * Each run starts an empty log; the previous run's, if it recorded anything, is kept as {@code errors-previous.dat}.
 * An error that does not fit the log ({@value #LENGTH} bytes) is written to the process log instead.
 * <p>
 * Thread-safe: any thread may record.
 */
public final class DaemonErrorLog implements ErrorHandler, AutoCloseable
{
    public static final String FILE_NAME = "errors.dat";
    public static final String PREVIOUS_FILE_NAME = "errors-previous.dat";
    /** As Aeron's driver error buffer: room for hundreds of distinct stack traces. */
    static final int LENGTH = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DaemonErrorLog.class);

    private final MappedByteBuffer mapped;
    private final DistinctErrorLog log;

    private DaemonErrorLog(final MappedByteBuffer mapped, final EpochClock clock)
    {
        this.mapped = mapped;
        this.log = new DistinctErrorLog(new UnsafeBuffer(mapped), clock);
    }

    /** Maps a new, empty log in {@code dataDir}, keeping the previous run's if it holds anything. */
    static DaemonErrorLog map(final Path dataDir, final EpochClock clock)
    {
        final Path file = dataDir.resolve(FILE_NAME);
        try
        {
            Files.createDirectories(dataDir);
            if (Files.exists(file) && read(file, (count, first, last, text) -> {}) > 0)
            {
                Files.move(file, dataDir.resolve(PREVIOUS_FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the error log " + file, ex);
        }
        return new DaemonErrorLog(IoUtil.mapNewFile(file.toFile(), LENGTH), clock);
    }

    /** Records the error; past the log's room, writes it to the process log instead. */
    public void onError(final Throwable throwable)
    {
        if (!log.record(throwable))
        {
            LOG.error("the error log {} is full; not recorded there:", FILE_NAME, throwable);
        }
    }

    /**
     * Hands each distinct error of a log file to {@code consumer}: its count, first and last time (epoch ms) and text.
     *
     * @return how many distinct errors the file holds.
     */
    public static int read(final Path file, final ErrorConsumer consumer)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), FILE_NAME);
        try
        {
            final AtomicBuffer buffer = new UnsafeBuffer(mapped);
            return ErrorLogReader.read(buffer, consumer);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
