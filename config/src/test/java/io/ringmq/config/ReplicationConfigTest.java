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
    void theStandbysEndpointIsNotThePrimarys() {
        String refused = STANDBY + "=127.0.0.1:28450 is invalid: must be another endpoint than " + PRIMARY
                + "=%s (each node of a pair takes its own: with the same one a node would take itself for its peer)"
                + SYS;
        assertEquals(String.format(refused, "127.0.0.1:28450"),
                TestEnv.problems(PRIMARY, "127.0.0.1:28450", STANDBY, "127.0.0.1:28450"));
        assertEquals(String.format(refused, "localhost:28450"),
                TestEnv.problems(PRIMARY, "localhost:28450", STANDBY, "127.0.0.1:28450"));
        assertEquals(STANDBY + "=[::1]:28450 is invalid: must be another endpoint than " + PRIMARY
                + "=LOCALHOST:28450 (each node of a pair takes its own: with the same one a node would take itself "
                + "for its peer)" + SYS, TestEnv.problems(PRIMARY, "LOCALHOST:28450", STANDBY, "[::1]:28450"));
        assertTrue(TestEnv.problems(PRIMARY, "node-a:28450", STANDBY, "NODE-A:28450").contains(STANDBY));

        // Another port, or another address on the same port (two hosts, as in production), is a pair.
        assertTrue(TestEnv.load(PRIMARY, "127.0.0.1:28450", STANDBY, "127.0.0.1:28451").replicationEnabled());
        assertTrue(TestEnv.load(PRIMARY, "127.0.0.1:28450", STANDBY, "127.0.0.2:28450").replicationEnabled());
        assertTrue(TestEnv.load(PRIMARY, "10.0.0.1:28450", STANDBY, "10.0.0.2:28450").replicationEnabled());
        assertTrue(TestEnv.load(PRIMARY, "node-a:28450", STANDBY, "node-b:28450").replicationEnabled());
    }

    @Test
    void theWitnessPortsAreClearOfBothNodes() {
        String witness = "ringmq.replication.witness.endpoint";
        assertEquals(witness + "=127.0.0.1:28420 is invalid: must be clear of " + STANDBY + "=localhost:28424 (the "
                + "witness takes ports 28420 to 28424 on its host)" + SYS,
                TestEnv.problems(PRIMARY, "127.0.0.1:28411", STANDBY, "localhost:28424", witness, "127.0.0.1:28420"));
        assertEquals(witness + "=127.0.0.1:28420 is invalid: must be clear of " + PRIMARY + "=127.0.0.1:28420 (the "
                + "witness takes ports 28420 to 28424 on its host)" + SYS,
                TestEnv.problems(PRIMARY, "127.0.0.1:28420", STANDBY, "127.0.0.1:28412", witness, "127.0.0.1:28420"));

        assertTrue(TestEnv.load(PRIMARY, "127.0.0.1:28411", STANDBY, "127.0.0.1:28425",
                witness, "127.0.0.1:28420").witnessEnabled());
        assertTrue(TestEnv.load(PRIMARY, "10.0.0.1:28420", STANDBY, "10.0.0.2:28420",
                witness, "10.0.0.3:28420").witnessEnabled());
        assertTrue(TestEnv.load(witness, "127.0.0.1:28420").witnessEnabled(), "a witness's own config names no nodes");
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
