package io.ringmq.config;

/**
 * Chronicle Queue roll cycle of the journal ({@code ringmq.journal.roll.cycle}). The names match
 * Chronicle's {@code RollCycles} constants so the journal can map them with {@code valueOf}.
 */
public enum JournalRollCycle {
    MINUTELY,
    HOURLY,
    DAILY,
    FAST_HOURLY,
    FAST_DAILY,
    LARGE_DAILY,
    /** A file a second: for tests that need retention to delete whole cycles within seconds; never in production. */
    TEST_SECONDLY
}
