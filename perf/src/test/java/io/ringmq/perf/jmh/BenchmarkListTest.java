package io.ringmq.perf.jmh;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH annotation processor ran over src/jmh/java: the benchmark list that {@code perf/bin/run-jmh} reads names
 * every microbenchmark. Running them is left to the script (they take minutes and assert nothing).
 */
class BenchmarkListTest
{
    @Test
    void everyMicrobenchmarkIsRegisteredWithJmh() throws IOException
    {
        try (InputStream list = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList"))
        {
            assertNotNull(list, "META-INF/BenchmarkList is missing: the JMH annotation processor did not run");
            final String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
            for (final String benchmark : new String[] {
                "CodecBenchmark.encodePublish", "CodecBenchmark.decodePublish", "CodecBenchmark.encodeDeliver",
                "CodecBenchmark.decodeDeliver", "StateMachineBenchmark.publishDeliverAck",
                "JournalAppendBenchmark.append"})
            {
                // Each entry names the generated class <Benchmark>_<method>_jmhTest.
                final String generated = "jmh_generated." + benchmark.replace('.', '_') + "_jmhTest";
                assertTrue(text.contains(generated), benchmark + " is not in the benchmark list");
            }
        }
    }
}
