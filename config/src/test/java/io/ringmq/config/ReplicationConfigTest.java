package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The replication keys: off by default, both endpoints or none, a standby only with both, ack modes. */
class ReplicationConfigTest {

    private static final String SYS = " (from system property)";
    private static final String PRIMARY = "ringmq.replication.primary.endpoint";
    private static final String STANDBY = "ringmq.replication.standby.endpoint";

    @Test
    void offByDefaultAsAPrimaryWaitingForJournaledAcks() {
        RingmqConfig config = TestEnv.load();
        assertFalse(config.replicationEnabled());
        assertEquals(ReplicationRole.PRIMARY, config.replicationRole());
        assertEquals(ReplicationAck.JOURNALED, config.replicationAck());
        assertEquals(2001, config.replicationStreamId());
        assertEquals(5_000_000_000L, config.replicationAckTimeoutNs());
        assertEquals(ReplicationStandbyLost.HOLD, config.replicationStandbyLost(), "a receipt means on both nodes");
    }

    @Test
    void theCatchUpMtuIsAeronsLargestByDefaultAndAMultipleOf32UpToIt() {
        assertEquals(65_504, TestEnv.load().replicationCatchUpMtu());
        assertEquals(1408, TestEnv.load("ringmq.replication.catchup.mtu", "1408").replicationCatchUpMtu());
        assertEquals(8192, TestEnv.load("ringmq.replication.catchup.mtu", "8k").replicationCatchUpMtu());
        assertEquals("ringmq.replication.catchup.mtu=1500 is invalid: must be a multiple of 32 between 1024 and 65504"
                + SYS, TestEnv.problems("ringmq.replication.catchup.mtu", "1500"));
        assertEquals("ringmq.replication.catchup.mtu=64k is invalid: must be a multiple of 32 between 1024 and 65504"
                + SYS, TestEnv.problems("ringmq.replication.catchup.mtu", "64k"));
    }

    @Test
    void theLostStandbyPolicyIsContinueOrHold() {
        assertEquals(ReplicationStandbyLost.CONTINUE,
                TestEnv.load("ringmq.replication.standby.lost", "continue").replicationStandbyLost());
        assertEquals(ReplicationStandbyLost.HOLD,
                TestEnv.load("ringmq.replication.standby.lost", "hold").replicationStandbyLost());
        assertEquals("ringmq.replication.standby.lost=wait is invalid: must be one of CONTINUE, HOLD" + SYS,
                TestEnv.problems("ringmq.replication.standby.lost", "wait"));
    }

    @Test
    void bothEndpointsMakeAPairAndTheRoleIsReadLoosely() {
        RingmqConfig config = TestEnv.load(PRIMARY, "localhost:40501", STANDBY, "127.0.0.1:40502",
                "ringmq.replication.role", "standby", "ringmq.replication.ack", "received");
        assertTrue(config.replicationEnabled());
        assertEquals(ReplicationRole.STANDBY, config.replicationRole());
        assertEquals(ReplicationAck.RECEIVED, config.replicationAck());
        assertEquals("127.0.0.1:40502", config.replicationStandbyEndpoint());
    }

    @Test
    void oneEndpointAloneIsRefused() {
        assertEquals(STANDBY + "=localhost:40502 is invalid: must be set together with " + PRIMARY
                + " (both empty = replication off)" + SYS, TestEnv.problems(STANDBY, "localhost:40502"));
    }

    @Test
    void aStandbyNeedsBothEndpoints() {
        assertEquals("ringmq.replication.role=STANDBY is invalid: must be PRIMARY while " + PRIMARY + " and " + STANDBY
                        + " are not both set (a standby follows the primary at those endpoints)" + SYS,
                TestEnv.problems("ringmq.replication.role", "standby"));
    }

    @Test
    void anEndpointIsHostAndPort() {
        assertEquals(PRIMARY + "=localhost is invalid: must be empty (off) or HOST:PORT" + SYS,
                TestEnv.problems(PRIMARY, "localhost", STANDBY, "localhost:40502"));
        assertEquals(PRIMARY + "=localhost:70000 is invalid: must be empty (off) or HOST:PORT" + SYS,
                TestEnv.problems(PRIMARY, "localhost:70000", STANDBY, "localhost:40502"));
    }

    @Test
    void syncedNeedsTheJournalSyncedEveryBatch() {
        assertEquals(ReplicationAck.SYNCED, TestEnv.load("ringmq.replication.ack", "synced").replicationAck());
        assertEquals("ringmq.replication.ack=SYNCED is invalid: must be NONE, RECEIVED or JOURNALED while "
                + "ringmq.journal.fsync=NONE (SYNCED acks after the standby's per-batch sync, which only BATCH makes)"
                + SYS, TestEnv.problems("ringmq.replication.ack", "synced", "ringmq.journal.fsync", "none"));
    }
}
