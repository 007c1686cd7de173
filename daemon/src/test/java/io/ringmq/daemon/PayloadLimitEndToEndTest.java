package io.ringmq.daemon;

import io.ringmq.core.protocol.Priority;
import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.GroupOptions;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.Names;
import io.ringmq.core.protocol.PayloadLimit;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.RawClient;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that is receipted can always be delivered, browsed and dead-lettered (issue 18, item 5). A payload that
 * filled the Publish frame on a short queue name used to be receipted, and its Deliver, larger than the response
 * channel takes, closed the session of every consumer it went to. The payload limit is now what the largest frame the
 * message can travel in leaves of {@code ringmq.max.message.bytes}, and a publish over it is refused.
 */
class PayloadLimitEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int MAX_MESSAGE_BYTES = 8192;
    private static final int MAX_PAYLOAD = PayloadLimit.maxPayloadLength(MAX_MESSAGE_BYTES, 4096);
    /** The payload that fills a Publish to a one-character queue name: what the ingress used to take. */
    private static final int FILLS_THE_PUBLISH = MAX_MESSAGE_BYTES - (MessageHeaderEncoder.ENCODED_LENGTH +
        PublishEncoder.BLOCK_LENGTH + PublishEncoder.queueHeaderLength() + 1 + PublishEncoder.payloadHeaderLength() +
        PublishEncoder.headersHeaderLength() + PublishEncoder.messageIdHeaderLength() +
        PublishEncoder.replyToHeaderLength());

    @TempDir
    Path tempDir;

    @RegisterExtension
    final Closer closer = new Closer();

    private RingmqConfig config()
    {
        return TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.ipc.term.length", "64k", "ringmq.max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    @Test
    void aPayloadThatFillsThePublishOnAShortQueueNameIsRefusedAtPublishByTheClientAndByTheDaemon()
    {
        final RingmqConfig config = config();
        final Daemon daemon = closer.track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = closer.track(TestDaemons.connect(config));
        final List<Integer> delivered = new ArrayList<>();
        client.consumer("q", "g", 4, (delivery) ->
        {
            delivered.add(delivery.payloadLength());
            delivery.ack();
        });
        assertEquals(MAX_PAYLOAD, client.maxPayloadLength(), "the daemon says what it takes");

        final Publisher publisher = client.publisher("q");
        final RingmqException refused =
            assertThrows(RingmqException.class, () -> publisher.publishAndWait(new byte[FILLS_THE_PUBLISH]));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, refused.code());
        assertTrue(refused.getMessage().contains("a " + FILLS_THE_PUBLISH + "-byte payload is larger than " +
            MAX_PAYLOAD + " bytes, the most the daemon takes"), refused.getMessage());

        // A client that does not check is refused by the daemon, with the limit and why, and nothing is journaled.
        final RawClient raw = closer.track(RawClient.connect(config, 7779));
        raw.send(MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(raw.frame(), 0, new MessageHeaderEncoder())
            .sessionId(raw.sessionId()).correlationId(42).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("q")
            .putPayload(new byte[FILLS_THE_PUBLISH], 0, FILLS_THE_PUBLISH)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
        raw.awaitApplied();
        assertEquals(List.of("MESSAGE_TOO_LARGE corr=42: publish refused: its payload is larger than " + MAX_PAYLOAD +
            " bytes, the most a message may carry: every frame a message can travel in must fit " +
            "ringmq.max.message.bytes, and the largest, a dead letter browsed with its queue and group names, adds " +
            "more to the payload than the publish does"), raw.errors());

        assertEquals(1, publisher.publishAndWait(new byte[MAX_PAYLOAD]), "the largest payload allowed is taken");
        pollUntil(client, () -> delivered.size() == 1, TIMEOUT_MS, "its delivery");
        assertEquals(List.of(MAX_PAYLOAD), delivered);
        assertEquals(0, daemon.framesNotSent());
    }

    @Test
    void theLargestPayloadIsDeliveredDeadLetteredAndBrowsedWithTheLongestNamesWithoutClosingAnyConsumer()
    {
        final RingmqConfig config = config();
        final Daemon daemon = closer.track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = closer.track(TestDaemons.connect(config));
        final String queue = "q".repeat(Names.MAX_LENGTH) + Names.DEAD_LETTER_SUFFIX;
        final String group = "g".repeat(Names.MAX_LENGTH) + Names.DEAD_LETTER_SUFFIX;
        client.declareGroup(queue, group, GroupOptions.unset().deadLetterQueue("poison"));
        final List<Integer> rejected = new ArrayList<>();
        client.consumer(queue, group, 4, (delivery) ->
        {
            rejected.add(delivery.payloadLength());
            delivery.reject();
        });

        client.publisher(queue).publishAndWait(new byte[MAX_PAYLOAD]);
        pollUntil(client, () -> rejected.size() == 1, TIMEOUT_MS, "the delivery");

        final List<BrowsedMessage> browsed = new ArrayList<>();
        // Browse goes after the reject on the same publication: by its answer the letter is in "poison". Its frame is
        // the largest there is: exactly ringmq.max.message.bytes.
        client.browse("poison", "", 0, browsed::add);
        assertEquals(1, browsed.size());
        assertEquals(DeadLetterReason.REJECTED, browsed.get(0).reason());
        assertEquals(queue, browsed.get(0).sourceQueue());
        assertEquals(group, browsed.get(0).sourceGroup());
        assertEquals(MAX_PAYLOAD, browsed.get(0).payload().length);

        final List<Integer> deadLetters = new ArrayList<>();
        client.consumer("poison", "audit", 4, (delivery) ->
        {
            deadLetters.add(delivery.payloadLength());
            delivery.ack();
        });
        pollUntil(client, () -> deadLetters.size() == 1, TIMEOUT_MS, "the dead letter's delivery");
        assertEquals(List.of(MAX_PAYLOAD), rejected);
        assertEquals(List.of(MAX_PAYLOAD), deadLetters);
        assertEquals(0, daemon.framesNotSent(), "no frame was too large for its client, so no session was closed");
        assertEquals(2, client.publisher(queue).publishAndWait("still connected"));
    }
}
