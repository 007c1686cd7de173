package io.ringmq.transport.server;

import io.ringmq.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3: a Connect could name any UDP endpoint as its response channel (the daemon then sent its traffic to
 * a host of the client's choosing) and any term-length (768 MB of publication for one Connect). A response channel is
 * now IPC, the sender's own address, or an allowed host, with a term of at most the cap.
 */
class ResponseChannelsTest
{
    private static final int CAP = 16 << 20;
    private static final String REMOTE_SENDER = "10.0.0.1:50123";
    private final ResponseChannels channels = new ResponseChannels(CAP, List.of("gateway.example", "10.9.9.9"));

    @Test
    void ipcIsAnsweredWhoeverAsks()
    {
        assertNull(channels.check("aeron:ipc", "aeron:ipc"));
        assertNull(channels.check("aeron:ipc?term-length=16m", REMOTE_SENDER));
        assertNull(channels.check("aeron:ipc", null));
    }

    @Test
    void udpIsAnsweredAtTheAddressTheConnectCameFromOnly()
    {
        assertNull(channels.check("aeron:udp?endpoint=10.0.0.1:40000", REMOTE_SENDER));
        assertNull(channels.check("aeron:udp?endpoint=localhost:40000", "127.0.0.1:50123"));
        assertNull(channels.check("aeron:udp?endpoint=[0:0:0:0:0:0:0:1]:40000", "[::1]:50123"));

        final ResponseChannels.Refusal elsewhere = channels.check("aeron:udp?endpoint=10.0.0.2:40000", REMOTE_SENDER);
        assertNull(elsewhere.code(), "not answered: publishing there is what is refused");
        assertTrue(elsewhere.reason().contains("10.0.0.2") && elsewhere.reason().contains(REMOTE_SENDER),
            elsewhere.reason());
        assertNull(channels.check("aeron:udp?endpoint=localhost:40000", REMOTE_SENDER).code(),
            "localhost is the sender's machine only when the sender is on this one");
        assertNull(channels.check("aeron:udp?endpoint=0.0.0.0:40000", REMOTE_SENDER).code());
    }

    @Test
    void aSenderOnThisMachineMayNameALoopbackEndpoint()
    {
        for (final String sender : new String[]{"aeron:ipc", null})
        {
            assertNull(channels.check("aeron:udp?endpoint=127.0.0.1:40000", sender));
            assertNull(channels.check("aeron:udp?endpoint=localhost:40000", sender));
            assertNull(channels.check("aeron:udp?endpoint=[::1]:40000", sender));
            assertNull(channels.check("aeron:udp?endpoint=10.0.0.2:40000", sender).code());
        }
    }

    @Test
    void hostNamesAreNeverResolvedButTheAllowedHostsAreTakenAsWritten()
    {
        assertNull(channels.check("aeron:udp?endpoint=client.example:40000", REMOTE_SENDER).code());
        assertNull(channels.check("aeron:udp?endpoint=Gateway.Example:40000", REMOTE_SENDER));
        assertNull(channels.check("aeron:udp?endpoint=10.9.9.9:40000", REMOTE_SENDER));
        assertNull(new ResponseChannels(CAP, List.of("[::1]")).check("aeron:udp?endpoint=[::1]:1", REMOTE_SENDER));
    }

    @Test
    void whatIsNotAnIpcOrUdpChannelWithADestinationIsNotAnswered()
    {
        for (final String channel : List.of("", "not a channel", "aeron:tcp?endpoint=10.0.0.1:1", "aeron-spy:aeron:ipc",
            "aeron:udp", "aeron:udp?control=10.0.0.1:1|control-mode=dynamic", "aeron:udp?endpoint=256.0.0.1:1",
            "aeron:ipc?x=" + "y".repeat(5000)))
        {
            final ResponseChannels.Refusal refusal = channels.check(channel, REMOTE_SENDER);
            assertNull(refusal.code(), channel);
        }
    }

    @Test
    void aChannelAskingForWhatTheDaemonDoesNotGiveIsRefusedAndAnswered()
    {
        for (final String channel : List.of("aeron:ipc?linger=1h", "aeron:udp?endpoint=10.0.0.1:1|control=10.0.0.1:2",
            "aeron:udp?endpoint=10.0.0.1:1|control-mode=response", "aeron:udp?endpoint=10.0.0.1:1|linger=0",
            "aeron:udp?endpoint=10.0.0.1:1|response-endpoint=10.0.0.3:1", "aeron:ipc?term-length=lots"))
        {
            assertEquals(ErrorCode.RESPONSE_CHANNEL_REFUSED, channels.check(channel, REMOTE_SENDER).code(), channel);
        }
    }

    @Test
    void aTermOverTheCapIsRefusedWithItsOwnCode()
    {
        assertNull(channels.check("aeron:ipc?term-length=16m", "aeron:ipc"));
        final ResponseChannels.Refusal refusal = channels.check("aeron:ipc?term-length=256m", "aeron:ipc");
        assertEquals(ErrorCode.RESPONSE_TERM_TOO_LARGE, refusal.code());
        assertTrue(refusal.reason().contains("ringmq.response.max.term.length"), refusal.reason());
        assertEquals(ErrorCode.RESPONSE_TERM_TOO_LARGE,
            channels.check("aeron:udp?endpoint=10.0.0.1:1|term-length=32m", REMOTE_SENDER).code());
    }

    @Test
    void aRefusalIsAnsweredAtTheSameDestinationWithTheSmallestTermAndNothingElse()
    {
        assertEquals("aeron:ipc?term-length=64k", ResponseChannels.answerChannel("aeron:ipc?term-length=256m"));
        assertEquals("aeron:udp?endpoint=10.0.0.1:40000|term-length=64k",
            ResponseChannels.answerChannel("aeron:udp?endpoint=10.0.0.1:40000|term-length=1g|linger=1h|mtu=8k"));
        assertNull(ResponseChannels.answerChannel("aeron:udp?control=10.0.0.1:1"), "no destination: no answer");
        assertNull(ResponseChannels.answerChannel("not a channel"));
    }
}
