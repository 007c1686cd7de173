package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.daemon.replication.PairIdentity;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A witness and two data nodes ({@code a}, {@code b}) as {@code bin/ringmq} processes on loopback, each with its own
 * Aeron and data directories, for the fault-injection suite: start them, kill one (kill -9, SIGSTOP), bring a killed
 * node back as the standby, and ask a node for its status in process ({@link NodeAdminClient}, no CLI JVM per ask).
 * It stops only the processes it started. Not thread-safe: owned by the test thread.
 */
final class FaultPair implements AutoCloseable
{
    static final Duration START = Duration.ofSeconds(60);
    /**
     * Longer than a node waits to read its state for a status (ringmq.client.connect.timeout, 5 s): a slow read is
     * answered, with its error, rather than asked again behind it.
     */
    private static final long STATUS_ANSWER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(8);
    /**
     * The suite's clients' connect timeout, which is also their Aeron client's driver timeout: on the shared two-core
     * machine (load average 20-27) a live node's driver kept alive 2 s late, which failed following clients and, in a
     * one-shot probe (Aeron's default error handler), ended the test JVM; a killed node is known at once from its CnC
     * pid whatever this is.
     */
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /** One data node: its config, its Aeron directory and its current process (null while it is down). */
    static final class Node
    {
        final String name;
        final Path aeronDir;
        Path config;
        DaemonProcess process;

        Node(final String name, final Path aeronDir)
        {
            this.name = name;
            this.aeronDir = aeronDir;
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path tempDir;
    private final Path witnessAeronDir = DaemonProcess.uniqueAeronDir("ringmq-faults-witness-");
    private final Map<String, String> pairKeys = new LinkedHashMap<>();
    /** Keys one node gets over the pair's (a node's view of the other's endpoint, when a relay is between them). */
    private final Map<String, Map<String, String>> nodeKeys = new LinkedHashMap<>();
    /** Between the two nodes when asked for ({@link #relayed}); null otherwise. */
    private DroppingUdpProxy relay;
    private final List<DaemonProcess> started = new ArrayList<>();
    private DaemonProcess witness;
    private Path witnessConfig;
    final Node a = new Node("a", DaemonProcess.uniqueAeronDir("ringmq-faults-a-"));
    final Node b = new Node("b", DaemonProcess.uniqueAeronDir("ringmq-faults-b-"));

    FaultPair(final Path tempDir)
    {
        this.tempDir = tempDir;
        pairKeys.put("ringmq.replication.primary.endpoint", "localhost:" + TestDaemons.freeUdpPorts(1));
        pairKeys.put("ringmq.replication.standby.endpoint", "localhost:" + TestDaemons.freeUdpPorts(1));
        pairKeys.put("ringmq.replication.witness.endpoint", "localhost:" + TestDaemons.freeUdpPorts(5));
        // Availability: the promoted node receipts before its old primary has rejoined (README, Automatic failover).
        pairKeys.put("ringmq.replication.standby.lost", "continue");
    }

    /** The same pair with {@code keys} over the defaults (each node, and the witness, gets them). */
    FaultPair(final Path tempDir, final Map<String, String> keys)
    {
        this(tempDir);
        pairKeys.putAll(keys);
    }

    /**
     * Puts a {@link DroppingUdpProxy} between the two nodes (call before {@link #start}): each node keeps its own
     * endpoint and names the relay as the other's (its data directory records its own, so it stays that node).
     */
    FaultPair relayed()
    {
        relay = new DroppingUdpProxy();
        final String primaryEndpoint = pairKeys.get("ringmq.replication.primary.endpoint");
        final String standbyEndpoint = pairKeys.get("ringmq.replication.standby.endpoint");
        final int toB = relay.relayTo(port(primaryEndpoint));
        final int toA = relay.relayTo(port(standbyEndpoint));
        nodeKeys.put(a.name, Map.of("ringmq.replication.primary.endpoint", "localhost:" + toB));
        nodeKeys.put(b.name, Map.of("ringmq.replication.standby.endpoint", "localhost:" + toA));
        relay.start();
        return this;
    }

    /** The relay between the nodes ({@link #relayed}). */
    DroppingUdpProxy relay()
    {
        return relay;
    }

    private static int port(final String endpoint)
    {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** The nodes as a following client lists them ({@code ringmq.client.nodes}). */
    String nodes()
    {
        return a.aeronDir + "," + b.aeronDir;
    }

    /** Starts the witness, then {@code a} as standby and {@code b} as primary, and waits until b names a in sync. */
    void start() throws IOException
    {
        witnessConfig = writeConfig("witness", witnessAeronDir);
        witness = track(DaemonProcess.command(repoRoot, witnessConfig, "witness"));
        witness.awaitStdout((line) -> line.contains("ringmq witness running"), START);
        a.config = writeConfig(a.name, a.aeronDir);
        b.config = writeConfig(b.name, b.aeronDir);
        startAs(a, "standby");
        startAs(b, "primary");
        awaitHealthy(b, a, 1);
    }

    void startAs(final Node node, final String role)
    {
        node.process = track(DaemonProcess.start(repoRoot, node.config, "--role", role));
        node.process.awaitReady(START);
    }

    /**
     * Rebuilds a killed node's data, as an operator may: its data directory goes (the node catches up from the new
     * primary from the start) except its pair identity (the endpoint its data directory stands for). A node that
     * comes back over its own journal sets aside what it journaled after the point of divergence by itself.
     */
    void rebuildData(final Node node) throws IOException
    {
        final Path data = tempDir.resolve(node.name);
        final byte[] identity = Files.readAllBytes(data.resolve(PairIdentity.FILE));
        DaemonProcess.deleteRecursively(data);
        Files.createDirectories(data);
        Files.write(data.resolve(PairIdentity.FILE), identity);
    }

    void kill9(final Node node)
    {
        node.process.kill9();
        node.process = null;
    }

    void killWitness()
    {
        witness.kill9();
    }

    void restartWitness()
    {
        witness = track(DaemonProcess.command(repoRoot, witnessConfig, "witness"));
        witness.awaitStdout((line) -> line.contains("ringmq witness running"), START);
    }

    /** SIGSTOP or SIGCONT to a node's JVM ({@code bin/ringmq} execs java, so the process is the JVM). */
    void signal(final Node node, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid()))
                .inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    Node other(final Node node)
    {
        return node == a ? b : a;
    }

    /**
     * Between two status polls that did not pass. Each poll connects a client to the node's media driver (a conductor
     * thread, the CnC file mapped): polled back to back, that took the CPU the starting and rejoining daemons needed
     * on a 2-vCPU machine.
     */
    static IdleStrategy statusPause()
    {
        return new SleepingMillisIdleStrategy(10);
    }

    /** The node's status, or null if it does not answer (down, starting, paused). */
    NodeStatus statusOrNull(final Node node)
    {
        if (null == node.process || !node.process.isAlive())
        {
            return null;
        }
        try (NodeAdminClient admin = NodeAdminClient.connect(new ClientContext()
            .aeronDirectoryName(node.aeronDir.toString())
            .connectTimeoutNs(CONNECT_TIMEOUT_NS)
            .responseTimeoutNs(STATUS_ANSWER_TIMEOUT_NS)
            .clientName("faults-status")))
        {
            return admin.status();
        }
        catch (final RuntimeException ex) // a driver that is gone, not yet up or paused: no answer
        {
            return null;
        }
    }

    /** Asks the node until its status passes {@code check}; fails with the last status past the deadline. */
    NodeStatus awaitStatus(final Node node, final String what, final Predicate<NodeStatus> check)
    {
        final long deadlineNs = System.nanoTime() + START.toNanos();
        final IdleStrategy pause = statusPause();
        NodeStatus status = null;
        while (System.nanoTime() < deadlineNs)
        {
            status = statusOrNull(node);
            if (null != status && check.test(status))
            {
                return status;
            }
            pause.idle();
        }
        return fail(node + " never " + what + "; last status " + status + "\n--- " + node + " ---\n" +
            node.process.output() + "\n--- " + other(node) + " ---\n" +
            (null == other(node).process ? "(down)" : other(node).process.output()));
    }

    /**
     * Waits until {@code primary} is the primary in {@code epoch} or later and names {@code standby} in sync, both see
     * the witness and the standby follows the same epoch: the pair can fail over again.
     */
    NodeStatus awaitHealthy(final Node primary, final Node standby, final long epoch)
    {
        final NodeStatus onPrimary = awaitStatus(primary, "primary with its standby in sync at epoch >= " + epoch,
            (s) -> s.isPrimary() && s.epoch() >= epoch && s.inSync() && s.witnessReachable() && s.peerAlive());
        awaitStatus(standby, "an in-sync standby at epoch " + onPrimary.epoch(),
            (s) -> !s.isPrimary() && s.epoch() == onPrimary.epoch() && s.inSync() && s.witnessReachable());
        return onPrimary;
    }

    @Override
    public void close() throws IOException
    {
        for (final DaemonProcess process : started)
        {
            if (process.isAlive())
            {
                process.kill9();
            }
        }
        if (null != relay)
        {
            relay.close();
        }
        DaemonProcess.deleteRecursively(witnessAeronDir);
        DaemonProcess.deleteRecursively(a.aeronDir);
        DaemonProcess.deleteRecursively(b.aeronDir);
    }

    private DaemonProcess track(final DaemonProcess process)
    {
        started.add(process);
        return process;
    }

    private Path writeConfig(final String name, final Path aeronDir) throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", tempDir.resolve(name).toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        values.putAll(pairKeys);
        values.putAll(nodeKeys.getOrDefault(name, Map.of()));
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }
}
