package io.ringmq.daemon.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel on a disk that fills up: writes go through to the real file until {@code room} bytes have been
 * written, then fail as a full disk does (the write that crosses the limit writes what fits first); {@code force}
 * fails too if told. Everything else goes to the real channel.
 */
final class FillingDiskChannel extends FileChannel
{
    private final FileChannel file;
    private final boolean forceFails;
    private long room;

    FillingDiskChannel(final FileChannel file, final long room, final boolean forceFails)
    {
        this.file = file;
        this.room = room;
        this.forceFails = forceFails;
    }

    public int write(final ByteBuffer source) throws IOException
    {
        return file.write(fitting(source));
    }

    public int write(final ByteBuffer source, final long position) throws IOException
    {
        return file.write(fitting(source), position);
    }

    public long write(final ByteBuffer[] sources, final int offset, final int length) throws IOException
    {
        throw new UnsupportedOperationException("not used by snapshots");
    }

    public void force(final boolean metaData) throws IOException
    {
        if (forceFails)
        {
            throw new IOException("Input/output error (injected at force)");
        }
        file.force(metaData);
    }

    /** What of {@code source} still fits; throws once nothing does. */
    private ByteBuffer fitting(final ByteBuffer source) throws IOException
    {
        if (0 == room && source.hasRemaining())
        {
            throw new IOException("No space left on device (injected)");
        }
        final int fits = (int)Math.min(room, source.remaining());
        room -= fits;
        final ByteBuffer part = source.duplicate();
        part.limit(part.position() + fits);
        source.position(source.position() + fits);
        return part;
    }

    public int read(final ByteBuffer destination) throws IOException
    {
        return file.read(destination);
    }

    public long read(final ByteBuffer[] destinations, final int offset, final int length) throws IOException
    {
        return file.read(destinations, offset, length);
    }

    public int read(final ByteBuffer destination, final long position) throws IOException
    {
        return file.read(destination, position);
    }

    public long position() throws IOException
    {
        return file.position();
    }

    public FileChannel position(final long newPosition) throws IOException
    {
        file.position(newPosition);
        return this;
    }

    public long size() throws IOException
    {
        return file.size();
    }

    public FileChannel truncate(final long size) throws IOException
    {
        file.truncate(size);
        return this;
    }

    public long transferTo(final long position, final long count, final WritableByteChannel target) throws IOException
    {
        return file.transferTo(position, count, target);
    }

    public long transferFrom(final ReadableByteChannel source, final long position, final long count)
        throws IOException
    {
        return file.transferFrom(source, position, count);
    }

    public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException
    {
        return file.map(mode, position, size);
    }

    public FileLock lock(final long position, final long size, final boolean shared) throws IOException
    {
        return file.lock(position, size, shared);
    }

    public FileLock tryLock(final long position, final long size, final boolean shared) throws IOException
    {
        return file.tryLock(position, size, shared);
    }

    protected void implCloseChannel() throws IOException
    {
        file.close();
    }
}
