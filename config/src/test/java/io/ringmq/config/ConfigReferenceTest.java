package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void tableHasAHeaderAndOneRowPerKey() {
        List<String> lines = ConfigReference.markdownTable().lines().toList();
        assertEquals("| key | default | allowed | description |", lines.get(0));
        assertEquals("|---|---|---|---|", lines.get(1));
        assertEquals(ConfigKeys.names().size() + 2, lines.size());
        for (int i = 0; i < ConfigKeys.names().size(); i++) {
            String row = lines.get(i + 2);
            assertTrue(row.startsWith("| `" + ConfigKeys.names().get(i) + "` | "), row);
            // four cells: five unescaped pipes
            assertEquals(5, row.replace("\\|", "").chars().filter(c -> c == '|').count(), row);
        }
    }

    @Test
    void rowsShowDefaultAllowedAndDescription() {
        String table = ConfigReference.markdownTable();
        assertTrue(table.contains("| `ringmq.ring.size` | `16384` | a power of two between 64 and 67108864 | Disruptor ring size (events) |"),
                table);
        assertTrue(table.contains("| `ringmq.data.dir` | `${user.home}/.ringmq/data` |"), table);
        assertTrue(table.contains("| `ringmq.ring.wait.strategy` | `PHASED` | one of PHASED, SLEEPING, YIELDING, BLOCKING, BUSY_SPIN |"), table);
        assertTrue(table.contains("| `ringmq.max.message.bytes` | `1m` | between 1 and 4m; at most ringmq.aeron.ipc.term.length / 8 |"),
                table);
        assertTrue(table.contains("| `ringmq.ingress.udp.channel` | (empty) |"), table);
        assertTrue(table.contains("| `ringmq.journal.fsync` | `BATCH` | one of NONE, BATCH, INTERVAL |"), table);
        assertTrue(table.contains("| `ringmq.journal.fsync.interval` | `10ms` | between 1ms and 10s |"), table);
    }

    @Test
    void namesAreUniqueAndUnderTheRingmqPrefix() {
        List<String> names = ConfigKeys.names();
        assertEquals(names.size(), new HashSet<>(names).size());
        assertTrue(names.stream().allMatch(n -> n.startsWith("ringmq.")), names.toString());
        // Every key declared is listed (loaded, validated, documented), not just declared.
        long declared = java.util.Arrays.stream(ConfigKeys.class.getDeclaredFields())
                .filter(f -> f.getType() == ConfigKey.class).count();
        assertEquals(declared, names.size());
    }
}
