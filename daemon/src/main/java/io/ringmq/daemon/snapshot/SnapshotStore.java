package io.ringmq.daemon.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
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
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files in one directory: {@code snapshot-<log sequence>.rqs}, each the state machine's state after that
 * journal record, behind a header with its length and a CRC-32C.
 * <p>
 * A snapshot is streamed into a temporary file (a chunk at a time, never a whole copy of the state in memory), forced
 * to disk, then renamed into place and the directory forced, so a crash leaves either the whole new file or none of
 * it; a write that fails deletes the temporary file. Loading maps the file instead of reading it onto the heap. Loading takes the newest file that checks out; a damaged one
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
    /** Bytes of an in-memory state handed to the channel per write. */
    private static final int WRITE_CHUNK = 1 << 20;

    private final Path directory;
    private final int keep;
    private final Opener opener;

    /** Opens a snapshot's temporary file for writing: a seam for tests of a disk that fails part-way. */
    @FunctionalInterface
    interface Opener
    {
        FileChannel open(Path temp) throws IOException;
    }

    /** A snapshot read back and checked. */
    public record Loaded(long logSequence, Path file, DirectBuffer state)
    {
    }

    /**
     * @param keep how many snapshots to keep (the newest); older ones are deleted after each write.
     */
    public SnapshotStore(final Path directory, final int keep)
    {
        this(directory, keep, (temp) -> FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING));
    }

    SnapshotStore(final Path directory, final int keep, final Opener opener)
    {
        this.opener = opener;
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
     * Writes the state after journal record {@code logSequence} atomically and durably, then prunes old snapshots: a
     * state already in memory ({@link #begin} and {@link #finish} stream one instead).
     *
     * @return the file written.
     */
    public Path write(final long logSequence, final long writtenAtEpochNs, final byte[] state, final int length)
    {
        final SnapshotFileWriter file = begin(logSequence, writtenAtEpochNs, Runnable::run,
            SnapshotFileWriter.inFlightBuffers(Math.min(WRITE_CHUNK, Math.max(1, length))));
        try
        {
            final UnsafeBuffer bytes = new UnsafeBuffer(state);
            for (int offset = 0; offset < length; offset += WRITE_CHUNK)
            {
                // In chunks, each copied into a direct buffer of a chunk on its way to the file.
                final int chunk = Math.min(WRITE_CHUNK, length - offset);
                bytes.wrap(state, offset, chunk);
                file.onChunk(bytes, chunk);
            }
            return finish(file);
        }
        catch (final RuntimeException ex)
        {
            file.abandon();
            throw ex;
        }
    }

    /**
     * Starts the snapshot of the state after journal record {@code logSequence}: a temporary file, for the state to be
     * streamed into ({@link SnapshotFileWriter#onChunk}), then {@link #finish finished} or
     * {@link SnapshotFileWriter#abandon abandoned}.
     *
     * @param writer   runs the file writes, one at a time and in order.
     * @param inFlight the buffers chunks wait in while they are written (see {@link SnapshotFileWriter}).
     */
    SnapshotFileWriter begin(
        final long logSequence, final long writtenAtEpochNs, final Executor writer, final ByteBuffer[] inFlight)
    {
        final Path temp = directory.resolve(fileName(logSequence) + ".tmp");
        FileChannel channel = null;
        try
        {
            Files.createDirectories(directory);
            channel = opener.open(temp);
            return new SnapshotFileWriter(temp, channel, logSequence, writtenAtEpochNs, writer, inFlight);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot start snapshot " + logSequence + " in " + directory, ex);
        }
    }

    /**
     * Makes a streamed snapshot whole and durable (header, fsync), renames it into place, forces the directory and
     * prunes old snapshots. On a failure before the rename the caller abandons it.
     *
     * @return the file written.
     */
    Path finish(final SnapshotFileWriter file)
    {
        final Path target = directory.resolve(fileName(file.logSequence()));
        try
        {
            file.finish();
            moveIntoPlace(file.temp(), target);
            forceDirectory();
            prune();
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + file.logSequence() + " in " + directory, ex);
        }
    }

    /**
     * Where a snapshot file received whole from elsewhere (the primary's, for its standby) is written before
     * {@link #install}: beside the snapshots, never under a name {@link #loadNewest} would take.
     */
    public Path incomingFile(final long logSequence)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the snapshot directory " + directory, ex);
        }
        return directory.resolve(fileName(logSequence) + ".incoming");
    }

    /**
     * Makes a received snapshot file (the bytes of another node's snapshot file, header and checksum included,
     * written to {@link #incomingFile} and forced) this store's snapshot at {@code logSequence}: renamed into place
     * only once its header and checksum check out, the directory forced.
     *
     * @return false if it does not check out (it is deleted: the sender is asked again).
     */
    public boolean install(final Path incoming, final long logSequence)
    {
        final Path target = directory.resolve(fileName(logSequence));
        final Path checking = directory.resolve(fileName(logSequence) + ".checking");
        try
        {
            Files.move(incoming, checking, StandardCopyOption.REPLACE_EXISTING);
            final Loaded loaded = read(checking.resolveSibling(target.getFileName()), checking);
            if (null == loaded)
            {
                Files.deleteIfExists(checking);
                return false;
            }
            IoUtil.unmap(loaded.state().byteBuffer()); // checked: nothing reads it here
            moveIntoPlace(checking, target);
            forceDirectory();
            prune();
            return true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot install received snapshot " + incoming + " in " + directory, ex);
        }
    }

    /** The snapshot header: magic, version, log sequence, written-at, body length, body CRC-32C. */
    static ByteBuffer header(final long logSequence, final long writtenAtEpochNs, final int length, final int crc)
    {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(logSequence).putLong(writtenAtEpochNs).putInt(length).putInt(crc);
        return header.flip();
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
        return logSequenceOf(snapshots.get(snapshots.size() - 1));
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

    /**
     * Maps the file rather than reading it onto the heap: loading a large snapshot takes the state being built, not a
     * second copy of it as bytes.
     *
     * @return the snapshot, or null if its header or checksum is wrong.
     */
    static Loaded read(final Path file) throws IOException
    {
        return read(file, file);
    }

    /** @param named the name the file goes by (its log sequence); {@code file} holds its bytes. */
    private static Loaded read(final Path named, final Path file) throws IOException
    {
        final Matcher name = NAME.matcher(named.getFileName().toString());
        final MappedByteBuffer bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() < HEADER_LENGTH || channel.size() > Integer.MAX_VALUE || !name.matches())
            {
                return null;
            }
            bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        final ByteBuffer header = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final int magic = header.getInt();
        final int version = header.getInt();
        final long logSequence = header.getLong();
        header.getLong(); // written at: for people reading the file
        final int length = header.getInt();
        final int checksum = header.getInt();
        if (magic != MAGIC || version != VERSION || length != bytes.capacity() - HEADER_LENGTH ||
            logSequence != Long.parseLong(name.group(1)))
        {
            IoUtil.unmap(bytes);
            return null;
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(HEADER_LENGTH));
        if ((int)crc.getValue() != checksum)
        {
            IoUtil.unmap(bytes);
            return null;
        }
        return new Loaded(logSequence, file, new UnsafeBuffer(bytes, HEADER_LENGTH, length));
    }

    /** The log sequence a snapshot file's name says it holds the state after, or 0 if it is not a snapshot's name. */
    public static long logSequenceOf(final Path file)
    {
        final Matcher name = NAME.matcher(file.getFileName().toString());
        return name.matches() ? Long.parseLong(name.group(1)) : 0;
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

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            if (null != channel)
            {
                channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // already failing: the first exception is the one to report
        }
    }

    static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /** At {@code position}, leaving the channel's own position where it is. */
    static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }
}
