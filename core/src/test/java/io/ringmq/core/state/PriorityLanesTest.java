package io.ringmq.core.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PriorityLanesTest
{
    private final PriorityLanes lanes = new PriorityLanes();

    @Test
    void eachPriorityNumbersItsMessagesFromOneInPublishOrder()
    {
        assertEquals(1, lanes.add(4, 1));
        assertEquals(1, lanes.add(9, 2));
        assertEquals(2, lanes.add(4, 3));

        assertEquals(1, lanes.sequenceAt(4, 1));
        assertEquals(3, lanes.sequenceAt(4, 2));
        assertEquals(2, lanes.sequenceAt(9, 1));
        assertEquals(3, lanes.end(4));
        assertEquals(2, lanes.end(9));
        assertEquals(1, lanes.end(0), "an unused lane is empty");
        assertEquals(1, lanes.first(0));
    }

    @Test
    void aMessageThatLeftIsGoneFromItsLaneAndTheFirstHeldMovesOn()
    {
        lanes.add(4, 1);
        lanes.add(4, 2);
        lanes.add(4, 3);

        lanes.remove(4, 2);
        assertEquals(0, lanes.sequenceAt(4, 2), "a hole: skipped by the groups");
        assertEquals(1, lanes.first(4));
        lanes.remove(4, 1);
        assertEquals(3, lanes.first(4));
        lanes.remove(4, 3);
        assertEquals(4, lanes.first(4), "none held: the end");
        assertEquals(4, lanes.add(4, 9), "positions never repeat");
    }

    @Test
    void aRestoredLaneKeepsItsPositionsAndItsEnd()
    {
        lanes.restore(7, 5, 40);
        lanes.restore(7, 8, 44);
        lanes.restoreEnd(7, 10);

        assertEquals(5, lanes.first(7));
        assertEquals(44, lanes.sequenceAt(7, 8));
        assertEquals(0, lanes.sequenceAt(7, 6));
        assertEquals(10, lanes.add(7, 50));
    }
}
