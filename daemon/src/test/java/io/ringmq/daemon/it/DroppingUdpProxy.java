package io.ringmq.daemon.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that can drop everything for a while: the fault suite puts it between the two nodes of a
 * pair (each node ships to the other's relay port instead of its endpoint), so replication, acks, heartbeats and
 * catch-up all cross it, and {@link #dropping(boolean)} cuts the pair apart without touching the witness or the
 * clients.
 * <p>
 * Each relay port forwards to one target. A datagram from a sender goes out to the target from a socket of the relay
 * kept for that sender, so what the target sends back (Aeron's status messages and NAKs go to the source address)
 * reaches the relay, which hands it to the sender from the relay port, as if the target had sent it. Only loopback
 * addresses are bound or sent to.
 * <p>
 * One thread of its own; {@link #dropping} and the counts may be used from any thread.
 */
final class DroppingUdpProxy implements AutoCloseable
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Selector selector;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean dropping;
    private volatile boolean running = true;

    /** One relay port: where it forwards, and the socket it keeps per sender. */
    private final class Relay
    {
        final DatagramChannel front;
        final InetSocketAddress target;
        final Map<SocketAddress, DatagramChannel> backBySender = new HashMap<>();

        Relay(final DatagramChannel front, final InetSocketAddress target)
        {
            this.front = front;
            this.target = target;
        }
    }

    /** The way back: datagrams the target sends to the socket kept for {@code sender}. */
    private record Back(Relay relay, SocketAddress sender)
    {
    }

    DroppingUdpProxy()
    {
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        thread = new Thread(this::run, "faults-udp-proxy");
        thread.setDaemon(true);
    }

    /** Opens a relay port on loopback forwarding to {@code targetPort} on loopback; returns its port. */
    int relayTo(final int targetPort)
    {
        try
        {
            final DatagramChannel front = open();
            final Relay relay = new Relay(front, new InetSocketAddress(LOOPBACK, targetPort));
            front.register(selector, SelectionKey.OP_READ, relay);
            return ((InetSocketAddress)front.getLocalAddress()).getPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    void start()
    {
        thread.start();
    }

    /** While true, every datagram either way is dropped (counted). */
    void dropping(final boolean dropping)
    {
        this.dropping = dropping;
    }

    long forwarded()
    {
        return forwarded.get();
    }

    long dropped()
    {
        return dropped.get();
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final DatagramChannel channel : channels)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // closing: nothing to keep
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            // closing
        }
    }

    private DatagramChannel open() throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        channel.configureBlocking(false);
        channels.add(channel);
        return channel;
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(100);
                for (final SelectionKey key : selector.selectedKeys())
                {
                    final DatagramChannel channel = (DatagramChannel)key.channel();
                    if (key.attachment() instanceof Relay relay)
                    {
                        SocketAddress sender;
                        while (null != (sender = receive(channel)))
                        {
                            pass(backFor(relay, sender), relay.target);
                        }
                    }
                    else
                    {
                        final Back back = (Back)key.attachment();
                        while (null != receive(channel))
                        {
                            pass(back.relay().front, back.sender());
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private SocketAddress receive(final DatagramChannel channel) throws IOException
    {
        buffer.clear();
        final SocketAddress from = channel.receive(buffer);
        buffer.flip();
        return from;
    }

    private void pass(final DatagramChannel out, final SocketAddress to) throws IOException
    {
        if (dropping)
        {
            dropped.incrementAndGet();
            return;
        }
        out.send(buffer, to);
        forwarded.incrementAndGet();
    }

    private DatagramChannel backFor(final Relay relay, final SocketAddress sender) throws IOException
    {
        DatagramChannel back = relay.backBySender.get(sender);
        if (null == back)
        {
            back = open();
            back.register(selector, SelectionKey.OP_READ, new Back(relay, sender));
            relay.backBySender.put(sender, back);
        }
        return back;
    }
}
