package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CollapsedStacksTest
{
    @Test
    void countsOnlyStacksThroughTheFrameSelfAtTheLeafAndInclusiveBelowIt()
    {
        final String summary = CollapsedStacks.summarise(List.of(
            "[ringmq-ring];run;DispatchHandler.onEvent;apply;poll 6",
            "[ringmq-ring];run;DispatchHandler.onEvent;apply 2",
            "[ringmq-ring];run;DispatchHandler.onEvent;send;poll 2",
            "[ringmq-ring];run;JournalHandler.onEvent;append 90",
            "not a stack line"), "DispatchHandler.onEvent", 5);

        assertTrue(summary.startsWith("10 of 100 samples (10.0%) pass through DispatchHandler.onEvent"), summary);
        assertTrue(summary.contains(" 80.0%  poll"), "poll is the leaf of 8 of 10: " + summary);
        assertTrue(summary.contains(" 80.0%  apply"), "apply is below the handler in 8 of 10: " + summary);
        assertTrue(!summary.contains("append"), "the journal thread's stack is not counted: " + summary);
        assertTrue(summary.contains("(1 lines were not 'frames count' and were left out)"), summary);
    }
}
