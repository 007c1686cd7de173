package io.ringmq.daemon.it;

import io.ringmq.client.RingmqClient;
import io.ringmq.daemon.it.FaultPair.Node;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults beyond kill -9 of the primary (issue 14), each a kind of round over the same witnessed pair, traffic
 * and checks as {@link FailoverFaultIT}: kill -9 of the standby, kill and restart of the witness, a paused primary
 * (SIGSTOP until the standby took over, then SIGCONT), and dropped replication traffic (a {@link DroppingUdpProxy}
 * between the nodes cuts them apart for a while). The fault comes at a random number of receipts into the round (the
 * seed is printed). See {@link PairFaultRounds} for what each kind injects and checks.
 * <p>
 * After every round: zero receipted messages lost, zero stored twice, each producer's order in the queue and in each
 * group, every receipt in an epoch a primary was granted and no two primaries receipting in overlapping epochs
 * ({@link ReceiptEpochs}), and both nodes' digests equal at one log sequence.
 * <p>
 * Rounds of each kind: {@code -Dringmq.pairfaults.rounds} (default {@value #DEFAULT_ROUNDS}; the soak runs more);
 * seed: {@code -Dringmq.pairfaults.seed}; kinds: {@code -Dringmq.pairfaults.kinds=PAUSE,DROP} to repeat some only.
 */
@Timeout(value = 90, unit = TimeUnit.MINUTES) // the soak's bound; the CI run is bounded by its rounds
class PairFaultsIT
{
    static final int DEFAULT_ROUNDS = 2;
    /** Publishes each producer may make in a round: the fault comes within them. */
    private static final int BUDGET = 30;
    /**
     * The ack timeout of these pairs: shorter than the 5 s default, so a round sees what standby.lost does within a
     * second or two; the heartbeat timeout stays the default 500 ms.
     */
    static final long ACK_TIMEOUT_MS = 1_000;

    @TempDir
    Path tempDir;

    /** Under standby.lost=continue (availability): every kind of fault. */
    @Test
    void underContinueEveryFaultKindLosesAndDuplicatesNothingAndEpochsNeverOverlap() throws IOException
    {
        rounds("continue", List.of(Kind.STANDBY_KILL, Kind.WITNESS, Kind.PAUSE, Kind.DROP));
    }

    /** Under standby.lost=hold (the default): the faults that cut the standby off hold receipts until it is back. */
    @Test
    void underHoldALostStandbyHoldsReceiptsUntilItIsBack() throws IOException
    {
        rounds("hold", List.of(Kind.STANDBY_KILL, Kind.DROP));
    }

    /** A kind of round: its fault, as {@link PairFaultRounds} injects it. */
    enum Kind
    {
        STANDBY_KILL, WITNESS, PAUSE, DROP
    }

    private void rounds(final String standbyLost, final List<Kind> kinds) throws IOException
    {
        final int rounds = Integer.getInteger("ringmq.pairfaults.rounds", DEFAULT_ROUNDS);
        final long seed = Long.getLong("ringmq.pairfaults.seed", System.nanoTime());
        final List<Kind> chosen = chosen(kinds);
        System.out.println("PairFaultsIT " + standbyLost + ": " + rounds + " rounds of " + chosen +
            ", -Dringmq.pairfaults.seed=" + seed);
        final Random random = new Random(seed);
        final Map<Kind, long[]> times = new LinkedHashMap<>();
        chosen.forEach((kind) -> times.put(kind, new long[rounds]));

        final Map<String, String> keys = Map.of(
            "ringmq.replication.standby.lost", standbyLost,
            "ringmq.replication.ack.timeout", ACK_TIMEOUT_MS + "ms");
        try (FaultPair pair = new FaultPair(tempDir, keys).relayed();
             FaultTraffic traffic = new FaultTraffic(pair.nodes()))
        {
            pair.start();
            traffic.start();
            final PairFaultRounds faults = new PairFaultRounds(pair, traffic, "hold".equals(standbyLost));
            Node primary = pair.b;
            long epoch = 1;
            final Set<Long> grantedEpochs = new TreeSet<>(Set.of(epoch));
            for (int round = 1; round <= rounds; round++)
            {
                for (final Kind kind : chosen)
                {
                    final long roundStartNs = System.nanoTime();
                    final String where = standbyLost + " " + kind + " round " + round + " (seed " + seed + ")";
                    final int faultAfter = 1 + random.nextInt(BUDGET * FaultTraffic.PRODUCER_IDS.length - 1);
                    traffic.allowPublishes(BUDGET);
                    traffic.awaitReceiptedAtLeast(traffic.receiptedTotal() + faultAfter);

                    final PairFaultRounds.Outcome outcome = faults.inject(kind, primary, pair.other(primary), epoch);
                    times.get(kind)[round - 1] = outcome.ms();
                    final NodeStatus healthy = pair.awaitHealthy(outcome.primary(), pair.other(outcome.primary()),
                        outcome.epoch());
                    assertEquals(outcome.epoch(), healthy.epoch(), where + ": the epoch");
                    epoch = healthy.epoch();
                    grantedEpochs.add(epoch);

                    traffic.awaitQuiet();
                    assertEquals(List.of(), traffic.failures(), where);
                    try (RingmqClient auditor = RingmqClient.connect(FailoverFaultIT.direct(outcome.primary())))
                    {
                        assertEquals(List.of(), traffic.audit(auditor), where);
                    }
                    assertEquals(List.of(), traffic.receiptEpochs().problems(grantedEpochs,
                        FaultTraffic.PRODUCER_IDS), where + ": receipts' epochs");
                    final NodeStatus digests = FailoverFaultIT.awaitEqualDigests(pair, outcome.primary(),
                        pair.other(outcome.primary()));
                    System.out.printf("%s: %s was the primary, fault after %d receipts, %s %d ms, epoch %d, " +
                        "%d receipted (epochs %s), digests %s at %d, round %d ms%n", where, primary, faultAfter,
                        outcome.what(), outcome.ms(), epoch, traffic.receiptedTotal(),
                        traffic.receiptEpochs().epochsSeen(), digests.digestHex(), digests.logSequence(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStartNs));
                    primary = outcome.primary();
                }
            }
            assertTrue(traffic.receiptEpochs().epochsSeen().size() > 1 || !chosen.contains(Kind.PAUSE),
                "receipts of more than one epoch: " + traffic.receiptEpochs().epochsSeen());
        }
        times.forEach((kind, ms) ->
        {
            System.out.println("PairFaultsIT " + standbyLost + " " + kind + " -> " + FailoverFaultIT.percentiles(ms));
            FailoverTimes.write(fileName(standbyLost, kind), ms);
        });
    }

    private static List<Kind> chosen(final List<Kind> kinds)
    {
        final String only = System.getProperty("ringmq.pairfaults.kinds", "");
        if (only.isBlank())
        {
            return kinds;
        }
        final List<Kind> chosen = new ArrayList<>();
        Arrays.stream(only.split(",")).map(String::trim).map(Kind::valueOf).filter(kinds::contains)
            .forEach(chosen::add);
        return chosen;
    }

    /** e.g. {@code pause-continue}: what {@code perf compare --failover} shows as the row's name. */
    private static String fileName(final String standbyLost, final Kind kind)
    {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + standbyLost;
    }
}
