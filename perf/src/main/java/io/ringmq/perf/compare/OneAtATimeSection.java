package io.ringmq.perf.compare;

import io.ringmq.perf.DeviceFlushCost;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.OneAtATimeResult;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's one-at-a-time section: each system's publishes, each waiting for its receipt (msg/s and the round
 * trip's percentiles), ringmq's ratios to raw and to Artemis, and the floor: what one device flush costs on this disk.
 */
final class OneAtATimeSection
{
    private OneAtATimeSection()
    {
    }

    static void render(final StringBuilder md, final CompareResults results)
    {
        if (results.oneAtATime.isEmpty())
        {
            return;
        }
        md.append("### one at a time: publish, wait for the receipt, publish the next; µs per round trip\n\n");
        md.append(MarkdownReport.header("fsync | system | msg/s | p50 ÷ one msync")
            .replace("|---|---|---|---|", "|---|---|---:|---:|"));
        final DeviceFlushCost floor = results.flushFloor;
        final long msyncP50 = null == floor ? 0 : LatencyResult.percentilesNs(floor.msyncNs())[0];
        for (final FsyncMode fsync : results.fsyncs)
        {
            for (final OneAtATimeResult result : results.oneAtATime(fsync))
            {
                final long p50 = LatencyResult.percentilesNs(result.roundTrips().deliverNs())[0];
                final String overFloor = FsyncMode.NONE == fsync || 0 == msyncP50 ? "" :
                    MarkdownReport.ratio(p50 / (double)msyncP50);
                md.append(MarkdownReport.row(String.format(Locale.ROOT, "%s | %s | %,.0f | %s", fsync.label(),
                    result.system(), result.messagesPerSecond(), overFloor), result.roundTrips().deliverNs()));
            }
            for (final String ringmq : List.of(MarkdownReport.RINGMQ, MarkdownReport.RINGMQ_PROCESS))
            {
                for (final String other : List.of(MarkdownReport.RAW, MarkdownReport.ARTEMIS_PROCESS))
                {
                    ratioRow(md, results, fsync, ringmq, other);
                }
            }
        }
        if (null != floor)
        {
            final long forceP50 = LatencyResult.percentilesNs(floor.forceNs())[0];
            md.append(MarkdownReport.row(String.format(Locale.ROOT, "floor | one `FileChannel.force(false)` of a " +
                "4 KiB write | %,.0f | %s", 1e9 / Math.max(1.0, floor.forceNs().getMean()),
                MarkdownReport.ratio(forceP50 / (double)Math.max(1, msyncP50))), floor.forceNs()));
            md.append(MarkdownReport.row(String.format(Locale.ROOT, "floor | one msync of a mapped 4 KiB page | " +
                "%,.0f | 1x", 1e9 / Math.max(1.0, floor.msyncNs().getMean())), floor.msyncNs()));
        }
        md.append("\nringmq: `publishAndWait` in a loop to a queue nobody consumes; raw: a publish, then its receipt " +
            "frame; Artemis: a blocking durable send (the broker confirms once it has journalled the message, synced " +
            "when sync is on). With fsync per batch each receipt waits for its own sync: one message in flight makes " +
            "every batch one message. msg/s: recorded publishes ÷ the time from the first one's send to the last " +
            "one's receipt. The ratio rows divide msg/s (first column: ringmq's ÷ the other's) and the round trips' " +
            "percentiles (ringmq's ÷ the other's). ");
        if (null != floor)
        {
            md.append(String.format(Locale.ROOT, "Floor: %,d device flushes timed alone in %s (a temp directory, " +
                "where the runs keep their journals), each after changing the page; its msg/s is 1 ÷ the mean " +
                "flush, " +
                "the most one-at-a-time durable publishes per second a journal that flushes once per publish can " +
                "make here. ", floor.forceNs().getTotalCount(), floor.directory().getParent()));
        }
        md.append(MarkdownReport.processNote(results)).append("\n\n");
    }

    private static void ratioRow(
        final StringBuilder md, final CompareResults results, final FsyncMode fsync, final String ringmq,
        final String other)
    {
        final Optional<OneAtATimeResult> mine = results.oneAtATime(ringmq, fsync);
        final Optional<OneAtATimeResult> theirs = results.oneAtATime(other, fsync);
        if (mine.isPresent() && theirs.isPresent())
        {
            md.append(MarkdownReport.ratioRow(String.format(Locale.ROOT, "%s | *%s ÷ %s* | *%s* | ", fsync.label(),
                ringmq, other, MarkdownReport.ratio(mine.get().messagesPerSecond() /
                theirs.get().messagesPerSecond())), mine.get().roundTrips().deliverNs(),
                theirs.get().roundTrips().deliverNs()));
        }
    }
}
