package io.ringmq.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node a client may connect to: the Aeron directory of a daemon on this host (reached over its IPC ingress), or
 * {@code HOST:PORT}, the UDP ingress of a daemon elsewhere (reached through this client's own media driver). The
 * grammar of {@code ringmq.client.nodes} and {@link ClientContext#nodes(String)}: comma-separated entries; an entry
 * without a {@code /} that ends in {@code :PORT} is an endpoint, any other a directory.
 *
 * @param aeronDirectory the daemon's Aeron directory, or null for an endpoint.
 * @param endpoint       {@code host:port} of the daemon's UDP ingress, or null for a directory.
 */
public record ClientNode(String aeronDirectory, String endpoint)
{
    private static final Pattern ENDPOINT = Pattern.compile("([^/:\\s]+|\\[[0-9A-Fa-f:.]+]):(\\d{1,5})");

    /** Parses one entry. */
    public static ClientNode parse(final String entry)
    {
        final String text = entry.trim();
        if (text.isEmpty())
        {
            throw new IllegalArgumentException("an empty node in ringmq.client.nodes: each entry is an Aeron " +
                "directory or HOST:PORT");
        }
        final Matcher matcher = ENDPOINT.matcher(text);
        if (matcher.matches())
        {
            final int port = Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("node " + text + ": port " + port + " is not 1 to 65535");
            }
            return new ClientNode(null, matcher.group(1).toLowerCase(Locale.ROOT) + ":" + port);
        }
        return new ClientNode(text, null);
    }

    /** Parses a comma-separated list; blank gives none. */
    public static List<ClientNode> parseList(final String list)
    {
        final List<ClientNode> nodes = new ArrayList<>();
        if (null != list && !list.isBlank())
        {
            for (final String entry : list.split(","))
            {
                nodes.add(parse(entry));
            }
        }
        return List.copyOf(nodes);
    }

    public boolean isEndpoint()
    {
        return null != endpoint;
    }

    /** The ingress channel to this node: the context's (IPC by default) for a directory, UDP for an endpoint. */
    String ingressChannel(final ClientContext ctx)
    {
        return isEndpoint() ? "aeron:udp?endpoint=" + endpoint : ctx.ingressChannel();
    }

    /** The Aeron directory whose media driver carries the connection: the node's own, or this client's. */
    String driverDirectory(final ClientContext ctx)
    {
        return isEndpoint() ? ctx.aeronDirectoryName() : aeronDirectory;
    }

    /**
     * Whether a standby's redirect text names this node: an endpoint by {@code host:port} (or {@code localhost} and
     * {@code 127.0.0.1} for each other), a directory by its path.
     */
    boolean isNamedIn(final String redirect)
    {
        if (!isEndpoint())
        {
            return redirect.contains(aeronDirectory);
        }
        final String text = redirect.toLowerCase(Locale.ROOT);
        if (text.contains(endpoint))
        {
            return true;
        }
        final String port = endpoint.substring(endpoint.lastIndexOf(':'));
        final boolean loopback = endpoint.startsWith("localhost:") || endpoint.startsWith("127.0.0.1:");
        return loopback && (text.contains("localhost" + port) || text.contains("127.0.0.1" + port));
    }

    public String toString()
    {
        return isEndpoint() ? endpoint : aeronDirectory;
    }
}
