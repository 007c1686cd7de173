package io.ringmq.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client artifact carries both ends of the Aeron transport and nothing of what sits behind the daemon's ingress:
 * none of these classes is on its classpath (its dependencies included), so the server side cannot have reached for
 * them.
 */
class TransportDependenciesTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "com.lmax.disruptor.RingBuffer",
        "io.ringmq.journal.ChronicleJournal",
        "io.ringmq.replicator.Replicator",
        "io.ringmq.daemon.Daemon"})
    void isNotOnTheClientsClasspath(final String className)
    {
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName(className, false, TransportDependenciesTest.class.getClassLoader()));
    }
}
