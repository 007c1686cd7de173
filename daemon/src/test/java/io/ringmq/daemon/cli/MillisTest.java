package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Duration options read as the config file reads durations, in whole milliseconds; a bare number is ms. */
class MillisTest
{
    private final Millis millis = new Millis();

    @Test
    void unitsAndBareMilliseconds()
    {
        assertEquals(2_000L, millis.convert("2s"));
        assertEquals(500L, millis.convert("500ms"));
        assertEquals(120_000L, millis.convert("2m"));
        assertEquals(10_000L, millis.convert("10000"), "the -ms spellings' bare numbers mean what they did");
        assertEquals(3L, millis.convert("3000us"));
    }

    @Test
    void notADurationOrNotWholeMillisecondsIsRefused()
    {
        assertThrows(TypeConversionException.class, () -> millis.convert("PT1S"));
        assertThrows(TypeConversionException.class, () -> millis.convert("-1"));
        assertThrows(TypeConversionException.class, () -> millis.convert("1500us"));
    }
}
