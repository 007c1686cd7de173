package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeTest {

    @TempDir
    Path dir;

    /** describe() lines by key; each line is "  key = value  [source]". */
    private static Map<String, String> linesByKey(String describe) {
        List<String> lines = Arrays.asList(describe.split("\n"));
        assertEquals("ringmq configuration:", lines.get(0));
        return lines.subList(1, lines.size()).stream()
                .collect(Collectors.toMap(line -> line.strip().split(" ")[0], Function.identity()));
    }

    @Test
    void showsEveryKeyWithItsValueAndSource() throws IOException {
        Path file = Files.write(dir.resolve("ringmq.properties"), List.of(
                "ringmq.ring.size=1024",
                "ringmq.idle.strategy=noop"));

        RingmqConfig config = TestEnv.load(file, TestEnv.props(
                "ringmq.idle.strategy", "busy-spin",
                "ringmq.client.connect.timeout", "1500"));
        Map<String, String> lines = linesByKey(config.describe());

        assertEquals(ConfigKeys.names().size(), lines.size());
        assertTrue(lines.keySet().containsAll(ConfigKeys.names()));
        assertTrue(lines.get("ringmq.ring.size").matches(" +ringmq\\.ring\\.size +=  ?1024  \\[file \\Q" + file + "\\E]"),
                lines.get("ringmq.ring.size"));
        assertTrue(lines.get("ringmq.idle.strategy").endsWith("= BUSY_SPIN  [system property]"), lines.get("ringmq.idle.strategy"));
        assertTrue(lines.get("ringmq.client.connect.timeout").endsWith("= 1500ms  [system property]"));
        assertTrue(lines.get("ringmq.data.dir").endsWith("= /home/tester/.ringmq/data  [default]"));
        assertTrue(lines.get("ringmq.aeron.ipc.term.length").endsWith("= 8m  [default]"));
        assertTrue(lines.get("ringmq.ingress.udp.channel").endsWith("= (empty)  [default]"));
        assertTrue(lines.get("ringmq.stats.report.interval").endsWith("= 0  [default]"));
    }

    @Test
    void valuesLineUpAndFollowDeclarationOrder() {
        String[] lines = TestEnv.load().describe().split("\n");
        int column = lines[1].indexOf(" = ");
        for (int i = 1; i < lines.length; i++) {
            assertEquals(column, lines[i].indexOf(" = "), lines[i]);
            assertEquals(ConfigKeys.names().get(i - 1), lines[i].strip().split(" ")[0]);
        }
    }

    @Test
    void describedValuesReadBackToTheSameConfig() {
        RingmqConfig config = TestEnv.load("ringmq.max.message.bytes", "1536", "ringmq.stats.report.interval", "90s");
        String[] pairs = config.formattedValues().entrySet().stream()
                .flatMap(e -> Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        assertEquals(config.formattedValues(), TestEnv.load(pairs).formattedValues());
    }
}
