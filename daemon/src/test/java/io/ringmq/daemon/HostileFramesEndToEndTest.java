package io.ringmq.daemon;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.core.testing.FrameFuzzer;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million hostile frames of every client template (random bytes, and well-formed commands mutated: enum and range
 * values the schema does not allow, boundary values, flipped bytes, cut short, run long, garbled lengths and counts,
 * changed versions) from one client, through the real ingress path (Aeron IPC, validator, ring, journal, state
 * machine), while a well-behaved client publishes among them: every one of its publishes is receipted and delivered,
 * the hostile frames are refused and counted, and the daemon goes on serving. {@code -Dringmq.fuzz.frames=N} runs
 * more (the {@code soak} profile: 20 million).
 */
class HostileFramesEndToEndTest
{
    private static final long TIMEOUT_MS = 120_000;
    private static final int FUZZ_RESPONSE_STREAM = 7007;
    private static final String FUZZ_RESPONSE_CHANNEL = "aeron:ipc?term-length=1m";
    private static final String GOOD_QUEUE = "clean.good";
    private static final int GOOD_EVERY = 500;

    @TempDir
    Path tempDir;

    @Test
    void aMillionHostileFramesAreRefusedOrAnsweredAndEveryGoodPublishIsReceiptedAndDelivered()
    {
        final int frames = Integer.getInteger("ringmq.fuzz.frames", 1_000_000);
        final long seed = Long.getLong("ringmq.fuzz.seed", 20261206L);
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.sparse.terms", "true",
            "ringmq.egress.session.buffer", "512k",
            "ringmq.journal.fsync", "NONE"));
        final Set<Long> receipted = new HashSet<>();
        final List<String> refusedGood = new ArrayList<>();
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient good = TestDaemons.connect(config);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(config.aeronDir().toString()));
            ExclusivePublication hostile =
                aeron.addExclusivePublication(config.ingressChannel(), config.ingressStreamId());
            Subscription hostileResponses = aeron.addSubscription(FUZZ_RESPONSE_CHANNEL, FUZZ_RESPONSE_STREAM))
        {
            // Outside every name and pattern the fuzzer sends (its fuzz.* subscriptions attach to any fuzz.X queue: a
            // hostile group there could settle good messages before the check group below exists).
            final Publisher publisher = good.publisher(GOOD_QUEUE, new ReceiptListener()
            {
                public void onReceipt(final long correlationId, final long sequence)
                {
                    receipted.add(sequence);
                }

                public void onError(final long correlationId, final ErrorCode code, final String message)
                {
                    refusedGood.add(code + ": " + message);
                }
            });
            final HostileSessions sessions = new HostileSessions(new Random(seed));
            final FrameFuzzer fuzzer =
                new FrameFuzzer(seed, sessions::pick, FUZZ_RESPONSE_CHANNEL, FUZZ_RESPONSE_STREAM);
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            int published = 0;
            for (int i = 0; i < frames; i++)
            {
                final int length = fuzzer.next(frame, 0, 3);
                if (0 == length)
                {
                    continue; // Aeron sends no empty message
                }
                offer(hostile, frame, length, deadlineNs);
                if (0 == i % GOOD_EVERY)
                {
                    publisher.publish("good-" + published++);
                    good.poll();
                    hostileResponses.poll(sessions, 64);
                }
            }
            final int goodPublishes = published;
            pollUntil(good, () -> receipted.size() + refusedGood.size() == goodPublishes, TIMEOUT_MS,
                "an answer to every good publish");
            assertEquals(List.of(), refusedGood, "seed " + seed);

            final Set<String> delivered = new HashSet<>();
            good.consumer(GOOD_QUEUE, "check", 256, (delivery) ->
            {
                delivered.add(delivery.payloadAsString());
                delivery.ack();
            });
            pollUntil(good, () -> delivered.size() == goodPublishes, TIMEOUT_MS, "every good publish delivered");
            assertTrue(daemon.rejectedFrames() > frames / 5,
                "the ingress refused and counted many: " + daemon.rejectedFrames() + " (seed " + seed + ")");
            final long sessionsDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (0 == sessions.opened && System.nanoTime() - sessionsDeadlineNs < 0)
            {
                if (0 == hostileResponses.poll(sessions, 64))
                {
                    Thread.yield();
                }
            }
            assertTrue(sessions.opened > 0, "hostile sessions opened, so their frames reached the state machine");
            assertEquals(null, daemon.fatalError(), "seed " + seed);
            System.out.printf("fuzz: %,d frames (seed %d), %,d refused, %,d hostile sessions, %,d good publishes%n",
                frames, seed, daemon.rejectedFrames(), sessions.opened, goodPublishes);
        }
    }

    private static void offer(
        final ExclusivePublication publication, final DirectBuffer frame, final int length, final long deadlineNs)
    {
        long result;
        while ((result = publication.offer(frame, 0, length)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("ingress publication unusable: " + result);
            }
            assertTrue(System.nanoTime() - deadlineNs < 0, "the ingress took the frames in time");
            Thread.yield();
        }
    }

    /**
     * The sessions the hostile client's Connects opened (their Connected frames come back on its response stream):
     * most hostile commands name one of them, so they pass the session check and reach deep into the state machine.
     */
    private static final class HostileSessions implements FragmentHandler
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final ConnectedDecoder connected = new ConnectedDecoder();
        private final List<Long> ids = new ArrayList<>();
        private final Random random;
        int opened;

        HostileSessions(final Random random)
        {
            this.random = random;
        }

        long pick()
        {
            return ids.isEmpty() || 0 == random.nextInt(10) ? random.nextInt(16) : ids.get(random.nextInt(ids.size()));
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
        {
            // A response message carries one or more length-prefixed frames; a session's Connected is its first.
            final int frame = offset + EgressFraming.LENGTH_PREFIX;
            header.wrap(buffer, frame);
            if (ConnectedDecoder.TEMPLATE_ID == header.templateId())
            {
                connected.wrap(buffer, frame + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
                ids.add(connected.sessionId());
                opened++;
                if (ids.size() > 32)
                {
                    ids.remove(0);
                }
            }
        }
    }
}
