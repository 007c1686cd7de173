package io.ringmq.daemon;

import io.ringmq.core.protocol.Priority;
import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.DeclareQueueEncoder;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.ExtendEncoder;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.GrantEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.RawClient;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client cannot hurt another without its credentials (issue 18, item 4): frames that name another client's session
 * are answered to no one. They used to be answered to the session they named: a flood of them closed the victim's
 * session, and one carrying the victim's next correlation id failed its publishAndWait although the publish was
 * journaled.
 */
class ClientIsolationEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int FORGED_FRAMES = 10_000;

    @TempDir
    Path tempDir;

    @RegisterExtension
    final Closer closer = new Closer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @Test
    void tenThousandForgedFramesNeitherCloseTheVictimsSessionNorTellItAnything()
    {
        // A small egress buffer: the errors the forged frames used to cause filled it and closed the victim's session.
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.aeron.ipc.term.length", "64k",
            "ringmq.max.message.bytes", "8k", "ringmq.egress.session.buffer", "64k"));
        final Daemon daemon = closer.track(Daemon.launch(new DaemonContext().settings(config)));
        final List<RingmqException> victimErrors = new ArrayList<>();
        final RingmqClient victim =
            closer.track(TestDaemons.connect(config, new ClientContext().errorHandler(victimErrors::add)));
        final List<String> received = new ArrayList<>();
        victim.consumer("orders", "billing", 16, (delivery) ->
        {
            received.add(delivery.payloadAsString());
            delivery.ack();
        });
        final Publisher publisher = victim.publisher("orders");
        publisher.publishAndWait("before");
        pollUntil(victim, () -> received.size() == 1, TIMEOUT_MS, "the first delivery");
        final RawClient attacker = closer.track(RawClient.connect(config, 7777));

        // The victim does not poll meanwhile: whatever the daemon sends it waits in its egress.
        for (int i = 0; i < FORGED_FRAMES; i++)
        {
            forge(attacker, i, victim.sessionId(), i);
        }
        awaitForged(daemon, attacker, FORGED_FRAMES);

        assertEquals(2, publisher.publishAndWait("after"), "the victim's session is open and its own");
        pollUntil(victim, () -> received.size() == 2, TIMEOUT_MS, "the delivery after the forged frames");
        assertEquals(List.of("before", "after"), received);
        assertEquals(List.of(), victimErrors, "the victim was told nothing of frames it did not send");
        assertEquals(List.of(), attacker.errors(), "nor was the attacker: the correlation ids were not its own");
        assertEquals(0, daemon.framesNotSent());
    }

    @Test
    void aForgedFrameWithTheVictimsNextCorrelationIdCannotFailItsPublishAndWait()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final Daemon daemon = closer.track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient victim = closer.track(TestDaemons.connect(config));
        final RawClient attacker = closer.track(RawClient.connect(config, 7778));
        final Publisher publisher = victim.publisher("orders");
        // Ids are random per client now; this test hands the attacker the id anyway, so only routing protects.
        final long nextCorrelationId = publisher.publish("first") + 1;

        for (int template = 0; template < 10; template++)
        {
            forge(attacker, template, victim.sessionId(), nextCorrelationId);
        }
        awaitForged(daemon, attacker, 10);

        assertEquals(2, publisher.publishAndWait("second"), "journaled and receipted, not failed by a forged error");
    }

    /**
     * Waits until the daemon has applied everything the attacker sent: the commands, each counted as naming another's
     * session, and the truncated frames, each refused by the ingress and, unless its ring was full at that moment (a
     * refusal never waits), journaled as a FrameRejected that is counted the same way.
     */
    private static void awaitForged(final Daemon daemon, final RawClient attacker, final int frames)
    {
        attacker.awaitApplied();
        final int truncated = frames / 10;
        assertEquals(truncated, daemon.rejectedFrames());
        final long foreign = daemon.foreignCommands();
        assertTrue(foreign >= frames - truncated && foreign <= frames, foreign + " of " + frames);
    }

    /**
     * Sends one of ten forged frames, by {@code kind}, naming the victim's session: a command of each kind a client
     * sends that names a session, and a truncated Publish (refused by the ingress, which names the session too).
     */
    private void forge(final RawClient attacker, final int kind, final long victimSession, final long correlationId)
    {
        final MutableDirectBuffer frame = attacker.frame();
        frame.setMemory(0, 256, (byte)0); // fields left unset are zero (DEFAULT), not what the last frame left
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + switch (kind % 10)
        {
            case 0, 9 -> new PublishEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).correlationId(correlationId).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
                .queue("bad name").putPayload(frame, 0, 8)
                .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength();
            case 1 -> new SubscribeEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).correlationId(correlationId).prefetch(1).visibilityTimeoutMs(0)
                .createQueue(BooleanType.TRUE).queue("orders").group("billing").encodedLength();
            case 2 -> new AckEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).consumerId(1).sequence(correlationId).attempt(1).encodedLength();
            case 3 -> new NackEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).consumerId(1).sequence(correlationId).attempt(1).action(NackAction.REJECT)
                .delayMs(0).encodedLength();
            case 4 -> new ExtendEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).consumerId(1).sequence(correlationId).attempt(1).visibilityTimeoutMs(0)
                .encodedLength();
            case 5 -> new GrantEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).consumerId(1).credits(-1).mode(CreditMode.ADD).encodedLength();
            case 6 -> new QueueAdminEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).correlationId(correlationId).action(AdminAction.PURGE).count(0)
                .force(BooleanType.FALSE).queue("orders").group("").encodedLength();
            case 7 -> new DisconnectEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).releaseInFlight(BooleanType.TRUE).encodedLength();
            default -> new DeclareQueueEncoder().wrapAndApplyHeader(frame, 0, header)
                .sessionId(victimSession).correlationId(correlationId).queue("orders").encodedLength();
        };
        attacker.send(9 == kind % 10 ? length - 3 : length); // cut short: its payload length no longer fits
    }
}
