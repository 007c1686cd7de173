package io.ringmq.daemon.replication;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rule a primary answers a standby's catch-up request by: a log of the epoch before this primary's that reaches
 * this epoch's first log sequence diverged there; one that stops before it is behind, not divergent; a log of this
 * epoch follows it; a log further behind cannot be matched record for record and diverges from its first record.
 */
class EpochDivergenceTest
{
    /** This primary: epoch 4, which began at log sequence 101 (its EpochStarted). */
    private static final long EPOCH = 4;
    private static final long FIRST = 101;

    @Test
    void aLogOfThePreviousEpochThatReachesThisEpochsStartDivergedThere()
    {
        assertEquals(101, EpochDivergence.divergedFrom(3, 101, EPOCH, FIRST));
        assertEquals(101, EpochDivergence.divergedFrom(3, 150, EPOCH, FIRST), "further than this primary, too");
    }

    @Test
    void aLogOfThePreviousEpochThatStopsBeforeThisEpochsStartIsOnlyBehind()
    {
        assertEquals(EpochDivergence.NONE, EpochDivergence.divergedFrom(3, 100, EPOCH, FIRST));
        assertEquals(EpochDivergence.NONE, EpochDivergence.divergedFrom(3, 0, EPOCH, FIRST));
    }

    @Test
    void aLogOfThisEpochOrANewerOneIsNotJudgedHere()
    {
        assertEquals(EpochDivergence.NONE, EpochDivergence.divergedFrom(4, 500, EPOCH, FIRST));
        assertEquals(EpochDivergence.NONE, EpochDivergence.divergedFrom(5, 500, EPOCH, FIRST),
            "a newer epoch's node refuses this primary's frames by its fence");
    }

    @Test
    void aLogTwoOrMoreEpochsBehindIsRebuiltFromThePrimaryAlone()
    {
        assertEquals(1, EpochDivergence.divergedFrom(2, 50, EPOCH, FIRST));
        assertEquals(EpochDivergence.NONE, EpochDivergence.divergedFrom(1, 0, EPOCH, FIRST), "an empty log");
    }
}
