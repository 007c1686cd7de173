package io.ringmq.perf.jmh;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.perf.InProcessDaemon;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The journal thread's work per command: {@link ChronicleJournal#append} of a publish command (command header + SBE
 * frame with a 100 B payload, about 150 B) into a fresh Chronicle Queue in a temp directory. {@code syncEvery} > 0
 * also calls {@link ChronicleJournal#sync()} every that many appends, on a journal opened for {@code BATCH} (a group
 * commit of that size): the op time then includes the amortised msync (slow, and disk-bound, on a shared VM).
 * One op = one append. With {@code -prof gc}: 0 B/op expected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
@State(Scope.Thread)
public class JournalAppendBenchmark
{
    private static final int PAYLOAD_BYTES = 100;

    /** 0 = never sync (fsync NONE); N = sync every N appends. */
    @Param({"0"})
    int syncEvery;

    private Path directory;
    private ChronicleJournal journal;
    private UnsafeBuffer command;
    private int commandLength;
    private long logSequence;

    @Setup(Level.Trial)
    public void setUp()
    {
        directory = InProcessDaemon.createTempDirectory("ringmq-jmh-journal-");
        journal = ChronicleJournal.open(directory.resolve("journal"), "FAST_DAILY",
            syncEvery > 0 ? FsyncPolicy.BATCH : FsyncPolicy.NONE);
        command = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        commandLength = CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(command, CommandHeader.LENGTH, new MessageHeaderEncoder())
            .sessionId(1).correlationId(1).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("orders").putPayload(new byte[PAYLOAD_BYTES], 0, PAYLOAD_BYTES)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        journal.close();
        InProcessDaemon.deleteRecursively(directory);
    }

    @Benchmark
    public long append()
    {
        CommandHeader.write(command, 0, ++logSequence, logSequence, 7);
        journal.append(command, 0, commandLength);
        if (syncEvery > 0 && 0 == logSequence % syncEvery)
        {
            journal.sync();
        }
        return logSequence;
    }
}
