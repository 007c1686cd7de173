package io.ringmq.perf;

/**
 * A ringmq daemon a harness started for one run, in this JVM ({@link InProcessDaemon}) or as a process of its own
 * ({@link io.ringmq.perf.process.DaemonProcess}); clients reach it through its Aeron directory. Closing it stops it
 * and removes its data and Aeron directories.
 */
public interface RingmqServer extends AutoCloseable
{
    String aeronDir();

    void close();
}
