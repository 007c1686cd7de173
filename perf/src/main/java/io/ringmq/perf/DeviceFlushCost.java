package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floor under every durable receipt: what one device flush costs on the filesystem the journals live on, timed
 * alone, with nothing else in flight. Two ways a journal can make a write durable:
 * <ul>
 *   <li>{@code FileChannel.force(false)} (fdatasync) after a 4 KiB {@code write} at the start of a file;</li>
 *   <li>{@code MappedByteBuffer.force()} (msync) of one 4 KiB mapped page after a store into it, what Chronicle
 *   Queue's sync does for its mapped files.</li>
 * </ul>
 * Each sample changes the data first, so that every flush has a dirty page to write. The file is removed afterwards.
 *
 * @param directory where it was measured (a temp directory beside the runs' data directories).
 * @param forceNs   one {@code force(false)}, ns.
 * @param msyncNs   one {@code MappedByteBuffer.force()}, ns.
 */
public record DeviceFlushCost(Path directory, Histogram forceNs, Histogram msyncNs)
{
    private static final int PAGE = 4096;

    public static DeviceFlushCost measure(final int samples)
    {
        final Path dir = InProcessDaemon.createTempDirectory("ringmq-flush-");
        try
        {
            return new DeviceFlushCost(dir, timeForce(dir.resolve("force.dat"), samples),
                timeMsync(dir.resolve("msync.dat"), samples));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot measure a device flush in " + dir, ex);
        }
        finally
        {
            InProcessDaemon.deleteRecursively(dir);
        }
    }

    private static Histogram timeForce(final Path file, final int samples) throws IOException
    {
        final Histogram histogram = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        final ByteBuffer page = ByteBuffer.allocateDirect(PAGE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            for (int i = 0; i < samples; i++)
            {
                page.clear();
                page.putLong(0, i);
                while (page.hasRemaining())
                {
                    channel.write(page, page.position());
                }
                final long startNs = System.nanoTime();
                channel.force(false);
                LatencyRecorder.record(histogram, System.nanoTime() - startNs);
            }
        }
        return histogram;
    }

    private static Histogram timeMsync(final Path file, final int samples) throws IOException
    {
        final Histogram histogram = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            final MappedByteBuffer page = channel.map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            for (int i = 0; i < samples; i++)
            {
                page.putLong(0, i);
                final long startNs = System.nanoTime();
                page.force();
                LatencyRecorder.record(histogram, System.nanoTime() - startNs);
            }
        }
        Files.deleteIfExists(file);
        return histogram;
    }

    public String format()
    {
        return "device flush floor in " + directory + System.lineSeparator() +
            LatencyResult.percentileLine("force(false) 4 KiB", forceNs) + System.lineSeparator() +
            LatencyResult.percentileLine("msync 4 KiB page", msyncNs);
    }
}
