package io.ringmq.transport.server;

import org.agrona.DirectBuffer;

/**
 * Where the {@link IngressAdapter} writes the commands it takes. In the daemon it is the command ring's single
 * producer, which stamps each command with its log sequence and the duty cycle's time; the transport knows nothing of
 * the ring, the journal or the daemon behind it.
 * <p>
 * Not thread-safe: called on the thread that polls the adapter.
 */
public interface CommandSink
{
    /** @return whether one more command fits now. */
    boolean hasCapacity();

    /**
     * Takes one command, copied from {@code frame[offset, offset + length)}.
     *
     * @param transportSessionId the Aeron session it came on; {@link IngressAdapter#INTERNAL} for the daemon's own.
     * @return false if there is no room: nothing was taken, and the caller offers it again later.
     */
    boolean offer(int transportSessionId, DirectBuffer frame, int offset, int length);

    /** @return whether Publishes are refused for now with STORAGE_FULL (the journal's disk is below its floor). */
    boolean publishesRefused();
}
