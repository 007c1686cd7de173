package io.ringmq.perf;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlameGraphSvgTest
{
    @Test
    void boxesAreAsWideAsTheirSamplesForTheChosenThreadsOnly() throws Exception
    {
        final String svg = FlameGraphSvg.render(List.of(
            "[ringmq-ring tid=1];run_[j];io/ringmq/daemon/pipeline/DispatchHandler.onEvent_[j];apply_[i] 60",
            "[ringmq-ring tid=2];run_[j];io/ringmq/journal/JournalHandler.onEvent_[j] 30",
            "[ringmq-ingress tid=3];doWork_[j] 10",
            "[perf-consumer-0 tid=4];poll_[j] 500",
            "[ringmq-ring tid=1];run_[j];tiny_[j] 0",
            "not a stack line"), "ringmq-", "test <graph>");

        final Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        final Map<String, Double> widths = new HashMap<>();
        final NodeList groups = document.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++)
        {
            final Element group = (Element)groups.item(i);
            final String title = group.getElementsByTagName("title").item(0).getTextContent();
            final Element rect = (Element)group.getElementsByTagName("rect").item(0);
            widths.put(title.substring(0, title.lastIndexOf(" (")), Double.parseDouble(rect.getAttribute("width")));
        }

        assertFalse(widths.containsKey("[perf-consumer-0]"), "a client thread is not the daemon: " + widths.keySet());
        assertTrue(widths.containsKey("[ringmq-ring]"), "both ring threads in one box: " + widths.keySet());
        final double all = widths.get("[all]");
        assertEquals(0.9, widths.get("[ringmq-ring]") / all, 1e-3);
        assertEquals(0.1, widths.get("[ringmq-ingress]") / all, 1e-3);
        assertEquals(0.6, widths.get("io/ringmq/daemon/pipeline/DispatchHandler.onEvent_[j]") / all, 1e-3);
        assertTrue(svg.contains("(100 samples of threads ringmq-*"), svg);
        assertTrue(svg.contains("test &lt;graph&gt;"), "the title is escaped");
    }

    @Test
    void labelsDropPackagesAndProfilerSuffixes()
    {
        assertEquals("QueueStateMachine.apply", FlameGraphSvg.shortName("io/ringmq/core/state/QueueStateMachine.apply_[j]"));
        assertEquals("__GI___sched_yield", FlameGraphSvg.shortName("__GI___sched_yield"));
        assertEquals("ringmq-ring", FlameGraphSvg.threadName("[ringmq-ring tid=19459]"));
    }
}
