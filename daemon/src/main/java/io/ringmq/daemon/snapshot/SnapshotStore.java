package io.ringmq.daemon.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files in one directory: {@code snapshot-<log sequence>.rqs}, each the state machine's state after that
 * journal record, behind a header with its length and a CRC-32C.
 * <p>
 * A snapshot is written to a temporary file, forced to disk, then renamed into place and the directory forced, so a
 * crash leaves either the whole new file or none of it. Loading takes the newest file that checks out; a damaged one
 * is renamed {@code .corrupt} (kept for inspection, never deleted) with a warning, and the next older is tried.
 */
public final class SnapshotStore
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.rqs");
    private static final int MAGIC = 0x52_51_53_4E; // "RQSN"
    private static final int VERSION = 1;
    /** magic, version, log sequence, written-at, body length, body CRC-32C. */
    static final int HEADER_LENGTH = 4 + 4 + 8 + 8 + 4 + 4;
    /** Bytes handed to the channel per write; see {@link #writeInChunks}. */
    private static final int WRITE_CHUNK = 1 << 20;

    private final Path directory;
    private final int keep;

    /** A snapshot read back and checked. */
    public record Loaded(long logSequence, Path file, DirectBuffer state)
    {
    }

    /**
     * @param keep how many snapshots to keep (the newest); older ones are deleted after each write.
     */
    public SnapshotStore(final Path directory, final int keep)
    {
        if (keep < 1)
        {
            throw new IllegalArgumentException("keep=" + keep + " must be at least 1");
        }
        this.directory = directory;
        this.keep = keep;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Writes the state after journal record {@code logSequence} atomically and durably, then prunes old snapshots.
     *
     * @return the file written.
     */
    public Path write(final long logSequence, final long writtenAtEpochNs, final byte[] state, final int length)
    {
        try
        {
            Files.createDirectories(directory);
            final Path target = directory.resolve(fileName(logSequence));
            final Path temp = directory.resolve(fileName(logSequence) + ".tmp");

            final CRC32C crc = new CRC32C();
            crc.update(state, 0, length);
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(VERSION).putLong(logSequence).putLong(writtenAtEpochNs)
                .putInt(length).putInt((int)crc.getValue()).flip();

            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                writeFully(channel, header);
                writeInChunks(channel, state, length);
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            forceDirectory();
            prune();
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + logSequence + " in " + directory, ex);
        }
    }

    /** The newest snapshot that checks out, if any; damaged ones on the way are set aside with a warning. */
    public Optional<Loaded> loadNewest()
    {
        for (final Path file : snapshotsNewestFirst())
        {
            final String problem;
            try
            {
                final Loaded loaded = read(file);
                if (null != loaded)
                {
                    return Optional.of(loaded);
                }
                problem = "bad header or checksum";
            }
            catch (final IOException ex)
            {
                setAside(file, ex.toString());
                continue;
            }
            setAside(file, problem);
        }
        return Optional.empty();
    }

    /**
     * The log sequence the oldest snapshot file here holds the state after (from its name, unchecked), or 0 if there
     * is none. No snapshot recovery can fall back to is older: every journal record at or before it is redundant.
     */
    public long oldestLogSequence()
    {
        final List<Path> snapshots = snapshotsNewestFirst();
        if (snapshots.isEmpty())
        {
            return 0;
        }
        final Matcher name = NAME.matcher(snapshots.get(snapshots.size() - 1).getFileName().toString());
        return name.matches() ? Long.parseLong(name.group(1)) : 0;
    }

    /** Snapshot files in this directory, newest (highest log sequence) first. */
    public List<Path> snapshotsNewestFirst()
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            final List<Path> snapshots = new ArrayList<>();
            files.filter((path) -> NAME.matcher(path.getFileName().toString()).matches()).forEach(snapshots::add);
            snapshots.sort(Comparator.comparing((Path path) -> path.getFileName().toString()).reversed());
            return snapshots;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list snapshots in " + directory, ex);
        }
    }

    /** @return the snapshot, or null if its header or checksum is wrong. */
    static Loaded read(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final Matcher name = NAME.matcher(file.getFileName().toString());
        if (bytes.length < HEADER_LENGTH || !name.matches())
        {
            return null;
        }
        final ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int magic = header.getInt();
        final int version = header.getInt();
        final long logSequence = header.getLong();
        header.getLong(); // written at: for people reading the file
        final int length = header.getInt();
        final int checksum = header.getInt();
        if (magic != MAGIC || version != VERSION || length != bytes.length - HEADER_LENGTH ||
            logSequence != Long.parseLong(name.group(1)))
        {
            return null;
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER_LENGTH, length);
        if ((int)crc.getValue() != checksum)
        {
            return null;
        }
        return new Loaded(logSequence, file, new UnsafeBuffer(bytes, HEADER_LENGTH, length));
    }

    static String fileName(final long logSequence)
    {
        return String.format("snapshot-%020d.rqs", logSequence);
    }

    private void prune() throws IOException
    {
        final List<Path> snapshots = snapshotsNewestFirst();
        for (int i = keep; i < snapshots.size(); i++)
        {
            Files.deleteIfExists(snapshots.get(i));
        }
    }

    private void setAside(final Path file, final String why)
    {
        final Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        LOG.warn("snapshot {} is damaged ({}): kept as {}, trying an older one", file, why, aside.getFileName());
        try
        {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set damaged snapshot " + file + " aside", ex);
        }
    }

    private static void moveIntoPlace(final Path temp, final Path target) throws IOException
    {
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("the file system of " + target.getParent() + " cannot rename atomically", ex);
        }
    }

    /** Makes the rename itself durable (POSIX: fsync the directory). */
    private void forceDirectory() throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * A heap buffer handed to {@link FileChannel#write} is first copied into a temporary direct buffer of its whole
     * size, which the JDK allocates (and zeroes) anew whenever it outgrows the thread's cached one: for a growing
     * backlog, that was 90% of the snapshot writer's time. Chunks reuse one cached buffer of {@link #WRITE_CHUNK}.
     */
    private static void writeInChunks(final FileChannel channel, final byte[] state, final int length)
        throws IOException
    {
        for (int offset = 0; offset < length; offset += WRITE_CHUNK)
        {
            writeFully(channel, ByteBuffer.wrap(state, offset, Math.min(WRITE_CHUNK, length - offset)));
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }
}
