package io.ringmq.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whether two HOST:PORT endpoints of a pair's keys (already checked by {@link Rule#hostPort()}) name the same socket.
 * <p>
 * Only what needs no name lookup is resolved: an IP literal, and {@code localhost} as this host's loopback (127.0.0.1
 * or ::1). Any other host name is compared as written, case aside: the configuration is loaded by every CLI call
 * too, and a DNS lookup there could stall it (the daemon resolves the names when it binds).
 */
final class Endpoints {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private Endpoints() {
    }

    static String host(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** Both endpoints are the same port of the same host. */
    static boolean same(String a, String b) {
        return port(a) == port(b) && sameHost(host(a), host(b));
    }

    /** The endpoint's port is one of {@code count} ports from {@code first}'s, on the same host. */
    static boolean within(String endpoint, String first, int count) {
        int port = port(endpoint);
        return port >= port(first) && port < port(first) + count && sameHost(host(endpoint), host(first));
    }

    static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        boolean aLocal = "localhost".equalsIgnoreCase(a);
        boolean bLocal = "localhost".equalsIgnoreCase(b);
        InetAddress aAddress = literal(a);
        InetAddress bAddress = literal(b);
        if (aLocal && null != bAddress) {
            return isLocalhost(bAddress);
        }
        if (bLocal && null != aAddress) {
            return isLocalhost(aAddress);
        }
        return null != aAddress && aAddress.equals(bAddress);
    }

    /** What {@code localhost} resolves to on any usual host. */
    private static boolean isLocalhost(InetAddress address) {
        return address.isLoopbackAddress()
                && ("127.0.0.1".equals(address.getHostAddress()) || address.getAddress().length == 16);
    }

    /** The address of an IP literal (parsed, never looked up), else null. */
    private static InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
