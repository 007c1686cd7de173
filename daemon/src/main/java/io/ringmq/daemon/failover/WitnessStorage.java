package io.ringmq.daemon.failover;

/**
 * The lengths the witness's log and archive are cut in.
 *
 * @param termLength    the term length of its publications (cluster log, ingress, archive control, snapshots): the
 *                      witness's messages are a few dozen bytes each.
 * @param segmentLength the archive's segment file length: compaction deletes the log in whole segments, so up to one
 *                      segment of log before the kept snapshots stays; each snapshot recording takes one (sparse) file
 *                      of this length. A power of two, at least {@code termLength}.
 */
record WitnessStorage(int termLength, int segmentLength)
{
    /** 256 KiB terms; 1 MiB segments: about ten thousand lease renewals (some 13 minutes at the default lease). */
    static final WitnessStorage DEFAULT = new WitnessStorage(256 * 1024, 1024 * 1024);
}
