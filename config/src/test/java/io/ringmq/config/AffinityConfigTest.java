package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The pinning keys (ringmq.affinity.*) and the driver's threading mode: what they accept and refuse. */
class AffinityConfigTest {

    private static final String SYS = " (from system property)";
    private static final String CPU_LIST = "empty (not pinned) or CPU numbers and ranges separated by commas "
            + "(e.g. 2 or 2,4-5), each CPU once, at most 1023";

    @Test
    void nothingIsPinnedByDefault() {
        RingmqConfig config = TestEnv.load();
        config.affinities().forEach((key, cpus) -> assertTrue(cpus.isEmpty(), key));
        assertEquals(AeronThreadingMode.SHARED, config.aeronThreadingMode());
    }

    @Test
    void listsTakeNumbersAndRangesInTheOrderWritten() {
        CpuList cpus = TestEnv.load("ringmq.affinity.ring", "3, 1-2,7").affinityRing();
        assertEquals("3,1,2,7", cpus.toString());
        assertEquals(4, cpus.size());
        BitSet mask = cpus.mask();
        assertEquals("{1, 2, 3, 7}", mask.toString());
    }

    @Test
    void eachThreadOfARoleTakesTheNextCpuRoundTheList() {
        CpuList cpus = CpuList.parse("4,6");
        assertEquals(4, cpus.cpuFor(0));
        assertEquals(6, cpus.cpuFor(1));
        assertEquals(4, cpus.cpuFor(2));
        assertEquals(9, CpuList.parse("9").cpuFor(5));
    }

    @Test
    void badListsAreRefusedNamingTheKeyAndTheGrammar() {
        for (String bad : new String[] {"1-0", "a", "1,,2", "-1", "1,1", "0-2,2", "1024", "1.5", "1 2"}) {
            assertEquals("ringmq.affinity.ring=" + bad + " is invalid: must be " + CPU_LIST + SYS,
                    TestEnv.problems("ringmq.affinity.ring", bad), bad);
        }
    }

    @Test
    void theParserSaysWhatIsWrong() {
        assertEquals("the range 3-1 runs backwards in 3-1",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1")).getMessage());
        assertEquals("CPU 2 is listed twice in 0-2,2",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0-2,2")).getMessage());
        assertEquals("'x' is not a CPU number in 1,x",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("1,x")).getMessage());
        assertEquals("CPU 4096 is over 1023 in 4096",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("4096")).getMessage());
    }

    @Test
    void aSharedDriverHasNoSenderOrReceiverToPin() {
        assertEquals("ringmq.affinity.driver.sender=2 is invalid: must be empty while ringmq.aeron.threading.mode=SHARED "
                        + "(the driver has no thread of that name; pin its one thread with "
                        + "ringmq.affinity.driver.conductor)" + SYS,
                TestEnv.problems("ringmq.affinity.driver.sender", "2"));
        assertEquals("ringmq.affinity.driver.receiver=3 is invalid: must be empty while ringmq.aeron.threading.mode=SHARED "
                        + "(the driver has no thread of that name; pin its one thread with "
                        + "ringmq.affinity.driver.conductor)" + SYS,
                TestEnv.problems("ringmq.affinity.driver.receiver", "3"));
        RingmqConfig dedicated = TestEnv.load("ringmq.aeron.threading.mode", "dedicated",
                "ringmq.affinity.driver.conductor", "1", "ringmq.affinity.driver.sender", "2",
                "ringmq.affinity.driver.receiver", "3");
        assertEquals(AeronThreadingMode.DEDICATED, dedicated.aeronThreadingMode());
        assertEquals("2", dedicated.affinityDriverSender().toString());
    }
}
