package io.ringmq.transport.server;

import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.ringmq.codecs.ErrorCode;
import org.agrona.SystemUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which response channels the daemon publishes to. A Connect names the channel the daemon answers on; without a check
 * any client could point the daemon's egress at any UDP host (traffic the daemon sends for it to someone else), or
 * make it hold a publication of any size (a 256m term is 768 MB for one Connect).
 * <p>
 * A response channel is taken when its destination is one the sender may name: IPC, or a UDP endpoint whose host is
 * the address the Connect came from (an IP literal; {@code localhost} for a sender on this machine), or a host in
 * {@code ringmq.response.allowed.hosts}. Host names are never resolved here: a lookup would stall the ingress. A
 * channel naming any other destination is refused and <em>not answered</em>: publishing the refusal there would be the very
 * thing refused. A channel to an allowed destination that asks for what the daemon does not give (a control endpoint
 * or mode, which would let others join or redirect it; a linger, which keeps its memory after it closes; a term-length
 * it cannot read, or one over {@code ringmq.response.max.term.length}) is refused with its own code, answered on
 * {@link #answerChannel}: the same destination with the smallest term.
 * <p>
 * Allocates (parses the channel): for Connects only. Thread-safe: immutable.
 */
final class ResponseChannels
{
    /** The smallest term Aeron allows: what a refusal is answered on (its frame is small). */
    static final int ANSWER_TERM_LENGTH = 64 * 1024;
    /** Parameters that change where the daemon's publication goes or how long it lives after closing. */
    private static final List<String> REFUSED_PARAMS = List.of(CommonContext.MDC_CONTROL_PARAM_NAME,
        CommonContext.MDC_CONTROL_MODE_PARAM_NAME, CommonContext.RESPONSE_ENDPOINT_PARAM_NAME,
        CommonContext.LINGER_PARAM_NAME);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** What an IPv6 literal may hold; one that starts so is parsed by InetAddress without a lookup, or refused. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String LOCALHOST = "localhost";

    /** Why a Connect is refused; {@code code} null: not answered (its channel must not be published to). */
    record Refusal(ErrorCode code, String reason)
    {
        boolean answered()
        {
            return null != code;
        }

        /** The same refusal, not answered. */
        Refusal unanswered()
        {
            return new Refusal(null, reason);
        }
    }

    private final int maxTermLength;
    private final List<String> allowedHosts;

    /**
     * @param allowedHosts hosts a UDP response channel may name besides its sender's address, in lower case
     *                     (brackets around an IPv6 address optional).
     */
    ResponseChannels(final int maxTermLength, final List<String> allowedHosts)
    {
        this.maxTermLength = maxTermLength;
        this.allowedHosts = allowedHosts.stream().map(ResponseChannels::unbracketed).toList();
    }

    /**
     * @param sender the Aeron source identity of the Connect's image: {@code aeron:ipc}, or {@code address:port} for
     *               UDP; null if not known (then it counts as this machine, as IPC).
     * @return null if the daemon may open the channel, else why not.
     */
    Refusal check(final String channel, final String sender)
    {
        final ChannelUri uri = parse(channel);
        if (null == uri)
        {
            return new Refusal(null, "not a channel Aeron accepts");
        }
        if (!uri.prefix().isEmpty() || !(uri.isIpc() || uri.isUdp()))
        {
            return new Refusal(null, "only aeron:ipc and aeron:udp channels are answered");
        }
        if (uri.isUdp())
        {
            final String destinationProblem = udpDestinationProblem(uri.get(CommonContext.ENDPOINT_PARAM_NAME), sender);
            if (null != destinationProblem)
            {
                return new Refusal(null, destinationProblem);
            }
        }
        for (final String param : REFUSED_PARAMS)
        {
            if (uri.containsKey(param))
            {
                return new Refusal(ErrorCode.RESPONSE_CHANNEL_REFUSED, "a response channel may not set " + param +
                    ": the daemon decides where its responses go and how long their publication lives");
            }
        }
        return termLengthRefusal(uri.get(CommonContext.TERM_LENGTH_PARAM_NAME));
    }

    /**
     * The channel a refused Connect is answered on: the destination it named, with the smallest term and nothing else.
     * For a channel {@link #check} found a destination the daemon may publish to.
     *
     * @return the channel, or null if this one names no destination it can be built from.
     */
    static String answerChannel(final String channel)
    {
        final ChannelUri uri = parse(channel);
        final String endpoint = null == uri ? null : uri.get(CommonContext.ENDPOINT_PARAM_NAME);
        if (null == uri || !(uri.isIpc() || (uri.isUdp() && null != endpoint)))
        {
            return null;
        }
        final ChannelUriStringBuilder answer = new ChannelUriStringBuilder().media(uri.media())
            .termLength(ANSWER_TERM_LENGTH);
        return uri.isUdp() ? answer.endpoint(endpoint).build() : answer.build();
    }

    private static ChannelUri parse(final String channel)
    {
        if (channel.length() > ChannelUri.MAX_URI_LENGTH)
        {
            return null;
        }
        try
        {
            return ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }

    private String udpDestinationProblem(final String endpoint, final String sender)
    {
        if (null == endpoint)
        {
            return "a UDP response channel needs an endpoint";
        }
        final String host = unbracketed(hostOf(endpoint)).toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host))
        {
            return null;
        }
        final boolean local = null == sender || sender.startsWith(CommonContext.IPC_CHANNEL);
        final InetAddress senderAddress = local ? null : literal(unbracketed(hostOf(sender)));
        if (local ? isLoopback(host) : null != senderAddress && (senderAddress.equals(literal(host)) ||
            (LOCALHOST.equals(host) && senderAddress.isLoopbackAddress())))
        {
            return null;
        }
        return "endpoint host " + host + " is neither the address the Connect came from (" +
            (local ? "this machine" : sender) + ") nor in ringmq.response.allowed.hosts";
    }

    private Refusal termLengthRefusal(final String termLength)
    {
        if (null == termLength)
        {
            return null; // the media driver's default, which the daemon's configuration sets
        }
        final long length;
        try
        {
            length = SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength);
        }
        catch (final RuntimeException ex)
        {
            return new Refusal(ErrorCode.RESPONSE_CHANNEL_REFUSED, "term-length=" + termLength + " is not a size");
        }
        if (length > maxTermLength)
        {
            return new Refusal(ErrorCode.RESPONSE_TERM_TOO_LARGE, "term-length=" + termLength + " is over " +
                maxTermLength + " bytes (ringmq.response.max.term.length): the daemon's publication to a client " +
                "holds 3 terms");
        }
        return null;
    }

    private static boolean isLoopback(final String host)
    {
        final InetAddress address = literal(host);
        return LOCALHOST.equals(host) || (null != address && address.isLoopbackAddress());
    }

    /** The host of {@code host:port} or {@code [v6]:port}, as written. */
    private static String hostOf(final String endpoint)
    {
        final int close = endpoint.startsWith("[") ? endpoint.indexOf(']') : -1;
        if (close > 0)
        {
            return endpoint.substring(0, close + 1);
        }
        final int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    private static String unbracketed(final String host)
    {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address an IP literal names, without any lookup; null for anything else (a host name included). */
    private static InetAddress literal(final String host)
    {
        try
        {
            if (IPV4.matcher(host).matches())
            {
                final String[] parts = host.split("\\.");
                final byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++)
                {
                    final int part = Integer.parseInt(parts[i]);
                    if (part > 255)
                    {
                        return null;
                    }
                    bytes[i] = (byte)part;
                }
                return InetAddress.getByAddress(bytes);
            }
            return IPV6.matcher(host).matches() ? InetAddress.getByName(host) : null;
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }
}
