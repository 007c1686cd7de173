package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.failover.Witness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "witness", description = "Run the witness of a replicated pair: the third vote for automatic " +
    "failover, a one-member Aeron Cluster at ringmq.replication.witness.endpoint (and the next four ports), holding " +
    "the pair's epoch, primary, in-sync standby and primary lease. Its own ringmq.aeron.dir and ringmq.data.dir; " +
    "its log is snapshotted and trimmed every ringmq.replication.witness.snapshot.interval.")
final class WitnessCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    public Integer call() throws InterruptedException
    {
        final RingmqConfig config = configOption.load();
        if (!config.witnessEnabled())
        {
            System.err.println("ringmq: ringmq.replication.witness.endpoint is not set: give the witness the " +
                "HOST:PORT the pair's nodes reach it on (the same key the two nodes get)");
            return 2;
        }
        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(stop);
        try (Witness ignored = Witness.launch(config))
        {
            System.out.println("ringmq witness running (pid " + ProcessHandle.current().pid() + ") at " +
                config.replicationWitnessEndpoint() + "; data " + config.dataDir().resolve("witness") +
                ". Ctrl-C or SIGTERM stops it.");
            stop.await();
        }
        System.out.println("ringmq witness stopped");
        return 0;
    }
}
