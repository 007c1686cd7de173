package io.ringmq.perf.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverSectionTest
{
    @TempDir
    Path dir;

    @Test
    void rowsGiveP50P99AndMaxOfTheSuitesTimesBesideTheAnchors() throws IOException
    {
        Files.write(dir.resolve("kill9.txt"), List.of("640", "600", "", "700", "610"));
        Files.write(dir.resolve("kill9-rejoin.txt"), List.of("750", "650", "620"));
        Files.write(dir.resolve("switchover.txt"), List.of("90"));
        Files.write(dir.resolve("pause-continue.txt"), List.of("900", "800"));

        final List<FailoverSection.Row> rows = FailoverSection.load(dir);
        final StringBuilder md = new StringBuilder();
        FailoverSection.render(md, rows);

        assertEquals(4, rows.size());
        assertEquals(610, rows.get(0).percentile(0.50));
        assertEquals(700, rows.get(0).percentile(0.99));
        assertTrue(md.toString().contains("| kill -9 of the primary → first receipt from the new primary | 4 | 610 | " +
            "700 | 700 | ~10 s leader heartbeat timeout"), md::toString);
        assertTrue(md.toString().contains("| kill -9 of the primary, which rejoins over its own journal → first " +
            "receipt from the new primary | 3 | 650 | 750 | 750 |"), md::toString);
        assertTrue(md.toString().contains("| planned switchover → first receipt from the new primary | 1 | 90 | 90 | " +
            "90 |"), md::toString);
        assertTrue(md.toString().contains("| SIGSTOP of the primary → first receipt from the new primary " +
            "(`PairFaultsIT`) | 2 | 800 | 900 | 900 |"), md::toString);
    }

    @Test
    void noFilesNoSection()
    {
        final StringBuilder md = new StringBuilder();
        FailoverSection.render(md, FailoverSection.load(dir));
        assertEquals("", md.toString());
    }
}
