package io.ringmq.perf.raw;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.PeerContender;
import io.ringmq.perf.PerfPinning;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The raw pipeline's plumbing, set up like ringmq's daemon (embedded media driver, SHARED threading with a backoff
 * idle strategy, the same IPC term length, a Chronicle Queue with the same roll cycle), with a
 * {@link RawJournalBroker} on its own thread, with a receipt stream per producer and a delivery stream per consumer.
 * Fresh directories, removed at close. Makes the raw producers and consumers of a pass.
 */
final class RawPipeline implements PeerContender.Broker
{
    private static final String SPARSE_TERMS_KEY = "ringmq.aeron.sparse.terms";

    private final Path dataRoot;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final SingleChronicleQueue queue;
    private final AgentRunner brokerRunner;

    /**
     * @param brokerIdle {@code BACKOFF} or {@code YIELDING}: the broker's idle strategy, matched to ringmq's
     *                   {@code ringmq.idle.strategy}.
     */
    RawPipeline(
        final FsyncMode fsync, final int ipcTermLength, final String brokerIdle, final int producers,
        final int consumers)
    {
        if (FsyncMode.INTERVAL == fsync)
        {
            throw new IllegalArgumentException("the raw pipeline matches fsync NONE and BATCH only, not INTERVAL");
        }
        dataRoot = InProcessDaemon.createTempDirectory("ringmq-raw-");
        MediaDriver driver = null;
        Aeron aeron = null;
        SingleChronicleQueue queue = null;
        try
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(InProcessDaemon.aeronDir("ringmq-raw-"))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy("BACKOFF")) // as the daemon's driver
                .ipcTermBufferLength(ipcTermLength)
                .ipcPublicationTermWindowLength(ipcTermLength)
                .termBufferSparseFile(sparseTermsAsTheDaemon()));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder
                .binary(dataRoot.resolve("journal"))
                .rollCycle(RollCycles.FAST_DAILY);
            if (FsyncMode.BATCH == fsync)
            {
                builder.syncMode(SyncMode.SYNC); // appender.sync() then waits for the disk (MS_SYNC)
            }
            queue = builder.build();
            final ExclusivePublication[] receipts = new ExclusivePublication[producers];
            for (int i = 0; i < producers; i++)
            {
                receipts[i] = aeron.addExclusivePublication(RawFrames.CHANNEL, RawFrames.RECEIPT_STREAM_ID + i);
            }
            final ExclusivePublication[] deliveries = new ExclusivePublication[consumers];
            for (int i = 0; i < consumers; i++)
            {
                deliveries[i] = aeron.addExclusivePublication(RawFrames.CHANNEL, RawFrames.DELIVERY_STREAM_ID + i);
            }
            final RawJournalBroker broker = new RawJournalBroker(
                aeron.addSubscription(RawFrames.CHANNEL, RawFrames.INGRESS_STREAM_ID),
                receipts,
                deliveries,
                queue,
                FsyncMode.BATCH == fsync);
            this.driver = driver;
            this.aeron = aeron;
            this.queue = queue;
            this.brokerRunner = new AgentRunner(idleStrategy(brokerIdle), Throwable::printStackTrace, null, broker);
            AgentRunner.startOnThread(brokerRunner, PerfPinning.rawBroker());
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(queue, aeron, driver);
            InProcessDaemon.deleteRecursively(dataRoot);
            throw ex;
        }
    }

    /** ringmq's {@code ringmq.aeron.sparse.terms}: from {@code -D} as the in-process daemon takes it, else default. */
    private static boolean sparseTermsAsTheDaemon()
    {
        final String value = System.getProperty(SPARSE_TERMS_KEY);
        return null == value ? RingmqConfig.defaults().aeronSparseTerms() : Boolean.parseBoolean(value);
    }

    static IdleStrategy idleStrategy(final String name)
    {
        return switch (name.toUpperCase(Locale.ROOT))
        {
            // as the daemon's BACKOFF (io.ringmq.daemon.Strategies): parks at most 100 us, not Agrona's 1 ms
            case "BACKOFF" -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(100));
            case "YIELDING" -> new YieldingIdleStrategy();
            // the low-latency profile's: only on a core of its own (-Dperf.raw.broker.cpus)
            case "BUSY_SPIN" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException("raw broker idle '" + name + "' must be BACKOFF, YIELDING or " +
                "BUSY_SPIN");
        };
    }

    public PeerContender.Producer producer(final PeerContender.ProducerPlan plan)
    {
        return new RawProducer(plan, this);
    }

    public PeerContender.Consumer consumer(final PeerContender.ConsumerPlan plan)
    {
        return new RawConsumer(plan, this);
    }

    ExclusivePublication addIngressPublication()
    {
        return aeron.addExclusivePublication(RawFrames.CHANNEL, RawFrames.INGRESS_STREAM_ID);
    }

    Subscription addReceiptSubscription(final int producer)
    {
        return aeron.addSubscription(RawFrames.CHANNEL, RawFrames.RECEIPT_STREAM_ID + producer);
    }

    Subscription addDeliverySubscription(final int consumer)
    {
        return aeron.addSubscription(RawFrames.CHANNEL, RawFrames.DELIVERY_STREAM_ID + consumer);
    }

    /** Offers until accepted; back-pressure is waited out, a closed publication or an aborted pass fails. */
    static void offer(
        final PassControl control,
        final Publication publication,
        final DirectBuffer buffer,
        final int length,
        final IdleStrategy idleStrategy)
    {
        idleStrategy.reset();
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("raw publication refused an offer: " + Publication.errorString(result));
            }
            if (control.isAborted() || control.isPastDeadline(System.nanoTime()))
            {
                throw new IllegalStateException("raw offer still back-pressured at the deadline");
            }
            idleStrategy.idle();
        }
    }

    static void awaitConnected(final PassControl control, final BooleanSupplier... connections)
    {
        final IdleStrategy idle = new YieldingIdleStrategy();
        for (final BooleanSupplier connected : connections)
        {
            while (!connected.getAsBoolean())
            {
                if (control.isAborted() || control.isPastDeadline(System.nanoTime()))
                {
                    throw new IllegalStateException("raw pipeline: a publication or subscription never connected");
                }
                idle.idle();
            }
        }
    }

    public void close()
    {
        CloseHelper.quietCloseAll(brokerRunner, aeron, queue, driver);
        InProcessDaemon.deleteRecursively(dataRoot);
    }
}
