package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.PeerContender;

/**
 * ActiveMQ Artemis as a {@link io.ringmq.perf.Contender}: an {@link EmbeddedArtemis} broker per run (the warm-up on
 * another queue of it), a durable anycast queue per pass, each producer ({@link ArtemisProducer}) and each consumer
 * ({@link ArtemisConsumer}, competing on the queue) with a connection of its own, core client over the in-VM
 * transport. {@link #process()}: the same passes against a broker that runs as its own process
 * ({@link ArtemisProcess}, {@code artemis-process}), the core client over TCP on loopback.
 */
public final class ArtemisContender extends PeerContender
{
    private final boolean process;

    public ArtemisContender()
    {
        this(false);
    }

    private ArtemisContender(final boolean process)
    {
        this.process = process;
    }

    /** Artemis as its own process, the deployment shape. */
    public static ArtemisContender process()
    {
        return new ArtemisContender(true);
    }

    public String name()
    {
        return process ? "artemis-process" : "artemis";
    }

    public String setup(final FsyncMode fsync)
    {
        if (process)
        {
            return "ActiveMQ Artemis 2.56.0 as its own process (`java " + ArtemisServerMain.class.getSimpleName() +
                "`, 1 GiB heap), NIO journal, journal sync " + (FsyncMode.BATCH == fsync ? "on" : "off") +
                ", durable messages, core client over TCP on loopback, async sends confirmed by a confirmation " +
                "window, auto-commit acks";
        }
        return "ActiveMQ Artemis 2.56.0 embedded, NIO journal, journal sync " + (FsyncMode.BATCH == fsync ?
            "on (datasync, buffer timeout group commit)" : "off") + ", durable messages, core client in-VM, " +
            "async sends confirmed by a confirmation window, auto-commit acks; N x M: a connection per producer and " +
            "per consumer, consumers competing on one anycast queue";
    }

    protected Broker start(final FsyncMode fsync, final int producers, final int consumers)
    {
        return process ? new ArtemisProcess(fsync, false) : new EmbeddedArtemis(fsync);
    }

    protected boolean sequenced()
    {
        return false;
    }
}
