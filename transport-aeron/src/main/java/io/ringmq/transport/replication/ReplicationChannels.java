package io.ringmq.transport.replication;

/**
 * The Aeron UDP channels of a pair where they differ from {@link ReplicationFrames#channel}: what a node subscribes to at
 * its own endpoint, and the catch-up publication's datagram size.
 * <p>
 * Catch-up moves a journal's worth of records in one direction as fast as the rate bound lets it: per datagram, both
 * media drivers pay a system call, a wake-up and a status message, so its datagrams are as large as UDP takes (Aeron's
 * largest MTU, 65,504 bytes; the default 1,408 cut a 33 KB batch into 24 datagrams), and the standby lets the primary
 * run further ahead of what it has read ({@link #CATCHUP_RECEIVER_WINDOW} instead of Aeron's 128 KiB), so the sender
 * does not stall between the standby's status messages. Measured with {@code CatchUpRateBenchmark} on loopback (one
 * run each, load average 8-11 on 2 vCPUs): the CPU per caught-up command fell from 8.5 us to 5.2 us with the MTU alone
 * and to 3.5-3.7 us with the window too (see the README's Catch-up for the figures since).
 * <p>
 * Every subscription at a node's own endpoint shares one socket, and Aeron refuses a second subscription that names
 * another socket buffer than the first: so each of them names the same one ({@link #RECEIVE_SOCKET_BUFFER}).
 */
public final class ReplicationChannels
{
    /** Aeron's largest MTU: a multiple of 32 that, with the IP and UDP headers, fits a 64 KiB datagram. */
    public static final int CATCHUP_MTU = 65_504;
    /**
     * The kernel's receive buffer of a node's endpoint: as large as the catch-up window, so a window's worth of
     * datagrams sent while the standby's driver is descheduled is buffered, not dropped (and asked for again). The
     * kernel caps it at {@code net.core.rmem_max}; below this, a burst may be dropped and resent (nothing is lost).
     */
    public static final int RECEIVE_SOCKET_BUFFER = 2 * 1024 * 1024;
    /** How far ahead of the standby's reading catch-up may send (Aeron clamps it to half the term). */
    public static final int CATCHUP_RECEIVER_WINDOW = RECEIVE_SOCKET_BUFFER;

    private ReplicationChannels()
    {
    }

    /** A subscription at this node's own endpoint (HOST:PORT): acks, requests, heartbeats, the live stream. */
    public static String receiving(final String ownEndpoint)
    {
        return ReplicationFrames.channel(ownEndpoint, 0) + "|so-rcvbuf=" + RECEIVE_SOCKET_BUFFER;
    }

    /** The standby's catch-up subscription at its own endpoint: the shared socket, a wider window. */
    public static String catchUpReceiving(final String ownEndpoint)
    {
        return receiving(ownEndpoint) + "|rcv-wnd=" + CATCHUP_RECEIVER_WINDOW;
    }

    /**
     * The primary's catch-up publication to the standby's endpoint: its term (see
     * {@link ReplicationPublisher#termLengthFor}) and the largest MTU that term allows (Aeron: at most an eighth of it).
     */
    public static String catchUpSending(final String peerEndpoint, final int termLength)
    {
        return catchUpSending(peerEndpoint, termLength, CATCHUP_MTU);
    }

    /**
     * As {@link #catchUpSending(String, int)} with at most {@code mtu} ({@code ringmq.replication.catchup.mtu}, a
     * multiple of 32 up to {@link #CATCHUP_MTU}): smaller datagrams where the network fragments large ones.
     */
    public static String catchUpSending(final String peerEndpoint, final int termLength, final int mtu)
    {
        return ReplicationFrames.channel(peerEndpoint, termLength) + "|mtu=" + catchUpMtu(termLength, mtu);
    }

    /** The catch-up MTU for a term: {@code mtu}, or an eighth of a smaller term (a power of two, >= 8 KiB). */
    static int catchUpMtu(final int termLength, final int mtu)
    {
        return Math.min(Math.min(CATCHUP_MTU, mtu), termLength / 8);
    }
}
