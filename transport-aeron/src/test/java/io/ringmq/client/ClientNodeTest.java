package io.ringmq.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grammar of ringmq.client.nodes, and how a standby's redirect is matched to a listed node. */
class ClientNodeTest
{
    @Test
    void entriesAreDirectoriesOrEndpoints()
    {
        final List<ClientNode> nodes = ClientNode.parseList(" /dev/shm/ringmq-a , Node-B.example:40456,~/ringmq-c");
        assertEquals(List.of(new ClientNode("/dev/shm/ringmq-a", null), new ClientNode(null, "node-b.example:40456"),
            new ClientNode("~/ringmq-c", null)), nodes);
        assertEquals("aeron:udp?endpoint=node-b.example:40456", nodes.get(1).ingressChannel(new ClientContext()));
        assertEquals(List.of(), ClientNode.parseList(" "));
        assertEquals(new ClientNode(null, "[::1]:9000"), ClientNode.parse("[::1]:9000"));
        assertEquals(new ClientNode("/tmp/a:1", null), ClientNode.parse("/tmp/a:1"), "a path with a / is a directory");
    }

    @Test
    void emptyEntriesAndBadPortsAreRefusedByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientNode.parseList("/a,,/b")).getMessage()
            .contains("ringmq.client.nodes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientNode.parse("host:70000")).getMessage()
            .contains("70000"));
    }

    @Test
    void aRedirectNamesAListedEndpointWithLoopbackSpelledEitherWay()
    {
        final String redirect = PrimaryFinder.namedPrimary("NOT_PRIMARY: this node is the standby of a pair and " +
            "takes no clients: connect to the primary at 127.0.0.1:40601");
        assertEquals("127.0.0.1:40601", redirect);
        assertTrue(ClientNode.parse("localhost:40601").isNamedIn(redirect));
        assertFalse(ClientNode.parse("localhost:40602").isNamedIn(redirect));
        assertFalse(ClientNode.parse("/dev/shm/ringmq-a").isNamedIn(redirect));
        assertEquals("", PrimaryFinder.namedPrimary("some other refusal"));
    }

    @Test
    void aRedirectNamesThePrimarysClientAddressesItsHeartbeatsAdvertise()
    {
        final String redirect = PrimaryFinder.namedPrimary("NOT_PRIMARY: this node is the standby of a pair and " +
            "takes no clients: connect to the primary at 127.0.0.1:40501, /dev/shm/ringmq-a");
        assertTrue(ClientNode.parse("localhost:40501").isNamedIn(redirect), "its UDP ingress");
        assertTrue(ClientNode.parse("/dev/shm/ringmq-a").isNamedIn(redirect), "its Aeron directory");
        assertFalse(ClientNode.parse("/dev/shm/ringmq-b").isNamedIn(redirect));
        assertFalse(ClientNode.parse("localhost:40601").isNamedIn(redirect));
    }
}
