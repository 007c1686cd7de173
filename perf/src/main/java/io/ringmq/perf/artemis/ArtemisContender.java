package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.PeerContender;

/**
 * ActiveMQ Artemis as a {@link io.ringmq.perf.Contender}: an {@link EmbeddedArtemis} broker per run (the warm-up on
 * another queue of it), a durable anycast queue per pass, each producer ({@link ArtemisProducer}) and each consumer
 * ({@link ArtemisConsumer}, competing on the queue) with a connection of its own, core client over the in-VM
 * transport.
 */
public final class ArtemisContender extends PeerContender
{
    public String name()
    {
        return "artemis";
    }

    public String setup(final FsyncMode fsync)
    {
        return "ActiveMQ Artemis 2.56.0 embedded, NIO journal, journal sync " + (FsyncMode.BATCH == fsync ?
            "on (datasync, buffer timeout group commit)" : "off") + ", durable messages, core client in-VM, " +
            "async sends confirmed by a confirmation window, auto-commit acks; N x M: a connection per producer and " +
            "per consumer, consumers competing on one anycast queue";
    }

    protected Broker start(final FsyncMode fsync, final int producers, final int consumers)
    {
        return new EmbeddedArtemis(fsync);
    }

    protected boolean sequenced()
    {
        return false;
    }
}
